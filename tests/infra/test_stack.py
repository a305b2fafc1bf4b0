"""The synthesized KeyCraft stack: data table, media bucket + CloudFront, app CDN, outputs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aws_cdk.assertions import Match, Template

from infra.keycraft_infra.settings import InfraSettings
from keycraft.config import Settings
from keycraft.services.repository.dynamodb.keys import TTL_ATTRIBUTE, table_definition
from keycraft.services.storage.keys import TEMP_PREFIX
from tests.infra.conftest import Synthesized

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS managed cache policy id
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # AWS managed origin request policy id


def _template(synthesized: Synthesized) -> Template:
    return Template.from_json(synthesized.body)


def _only(template: Template, resource_type: str) -> tuple[str, Mapping[str, Any]]:
    found = template.find_resources(resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def _distribution(template: Template, comment_prefix: str) -> tuple[str, dict[str, Any]]:
    for logical_id, resource in template.find_resources("AWS::CloudFront::Distribution").items():
        config = resource["Properties"]["DistributionConfig"]
        if config["Comment"].startswith(comment_prefix):
            return logical_id, config
    raise AssertionError(f"no distribution commented {comment_prefix!r}")


def test_table_has_exactly_the_keys_indexes_and_ttl_the_app_uses(synthesized: Synthesized) -> None:
    template = _template(synthesized)
    _, table = _only(template, "AWS::DynamoDB::Table")
    expected = table_definition("unused")
    properties = table["Properties"]
    assert properties["KeySchema"] == expected["KeySchema"]
    assert sorted(properties["AttributeDefinitions"], key=str) == sorted(
        expected["AttributeDefinitions"], key=str
    )
    assert properties.get("GlobalSecondaryIndexes", []) == expected.get(
        "GlobalSecondaryIndexes", []
    )
    assert properties["TimeToLiveSpecification"] == {
        "AttributeName": TTL_ATTRIBUTE,
        "Enabled": True,
    }
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


def test_media_bucket_is_private_encrypted_versioned_and_expires_temporary_uploads(
    synthesized: Synthesized,
) -> None:
    template = _template(synthesized)
    _, bucket = _only(template, "AWS::S3::Bucket")
    properties = bucket["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    encryption = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    rules = {rule["Id"]: rule for rule in properties["LifecycleConfiguration"]["Rules"]}
    temporary = rules["expire-temporary-uploads"]
    assert temporary["Prefix"] == TEMP_PREFIX
    assert temporary["ExpirationInDays"] == InfraSettings().temp_upload_expiry_days
    assert temporary["Status"] == "Enabled"
    versions = rules["expire-noncurrent-versions"]
    assert versions["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert versions["ExpiredObjectDeleteMarker"] is True
    assert bucket["DeletionPolicy"] == "Retain"


def test_media_bucket_cors_admits_only_the_site_and_app_origins(synthesized: Synthesized) -> None:
    _, bucket = _only(_template(synthesized), "AWS::S3::Bucket")
    (rule,) = bucket["Properties"]["CorsConfiguration"]["CorsRules"]
    assert sorted(rule["AllowedOrigins"]) == ["https://app.keycraft.org", "https://keycraft.org"]
    assert sorted(rule["AllowedMethods"]) == ["GET", "HEAD"]


def test_media_distribution_answers_cors_for_the_site_and_app_origins_only(
    synthesized: Synthesized,
) -> None:
    template = _template(synthesized)
    policy_id, policy = _only(template, "AWS::CloudFront::ResponseHeadersPolicy")
    cors = policy["Properties"]["ResponseHeadersPolicyConfig"]["CorsConfig"]
    assert sorted(cors["AccessControlAllowOrigins"]["Items"]) == [
        "https://app.keycraft.org",
        "https://keycraft.org",
    ]
    assert cors["AccessControlAllowCredentials"] is False
    _, config = _distribution(template, "KeyCraft media")
    for behavior in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": policy_id}


def test_bucket_policy_lets_only_the_media_distribution_read_and_denies_plain_http(
    synthesized: Synthesized,
) -> None:
    template = _template(synthesized)
    media_id, _ = _distribution(template, "KeyCraft media")
    _, policy = _only(template, "AWS::S3::BucketPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert len(allows) == 1
    (allow,) = allows
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source_arn = allow["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert {"Ref": media_id} in source_arn["Fn::Join"][1]
    denies = [s for s in statements if s["Effect"] == "Deny"]
    assert denies and denies[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_media_distribution_uses_origin_access_control_and_signed_urls_everywhere(
    synthesized: Synthesized,
) -> None:
    template = _template(synthesized)
    template.has_resource_properties(
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": Match.object_like(
                {
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            )
        },
    )
    oac_id, _ = _only(template, "AWS::CloudFront::OriginAccessControl")
    key_group_id, _ = _only(template, "AWS::CloudFront::KeyGroup")
    _, config = _distribution(template, "KeyCraft media")
    (origin,) = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": [oac_id, "Id"]}
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    behaviors = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    for behavior in behaviors:
        assert behavior["TrustedKeyGroups"] == [{"Ref": key_group_id}]
        assert behavior["ViewerProtocolPolicy"] == "https-only"
        assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    _, public_key = _only(template, "AWS::CloudFront::PublicKey")
    encoded = public_key["Properties"]["PublicKeyConfig"]["EncodedKey"]
    assert encoded == {"Ref": "CloudFrontPublicKeyPem"}


def test_midi_downloads_are_cached_with_the_filename_query_in_the_key(
    synthesized: Synthesized,
) -> None:
    template = _template(synthesized)
    _, config = _distribution(template, "KeyCraft media")
    (midi,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "*.mid"]
    policy = template.find_resources("AWS::CloudFront::CachePolicy")[midi["CachePolicyId"]["Ref"]]
    policy_config = policy["Properties"]["CachePolicyConfig"]
    assert policy_config["DefaultTTL"] == 86400
    parameters = policy_config["ParametersInCacheKeyAndForwardedToOrigin"]
    assert parameters["QueryStringsConfig"] == {
        "QueryStringBehavior": "whitelist",
        "QueryStrings": ["response-content-disposition"],
    }
    assert parameters["CookiesConfig"] == {"CookieBehavior": "none"}


def test_app_distribution_caches_static_assets_and_passes_everything_else_through(
    synthesized: Synthesized,
) -> None:
    template = _template(synthesized)
    _, config = _distribution(template, "KeyCraft app")
    default = config["DefaultCacheBehavior"]
    assert default["CachePolicyId"] == CACHING_DISABLED
    assert default["OriginRequestPolicyId"] == ALL_VIEWER
    assert "POST" in default["AllowedMethods"]
    static = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(static) == {"/assets/*", "/favicon.svg", "/piano/*"}
    policies = template.find_resources("AWS::CloudFront::CachePolicy")
    for behavior in static.values():
        policy = policies[behavior["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
        assert policy["DefaultTTL"] == 365 * 86400
    (origin,) = config["Origins"]
    assert origin["DomainName"] == InfraSettings().app_origin_domain
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_outputs_name_settings_the_app_really_reads(synthesized: Synthesized) -> None:
    outputs = synthesized.body["Outputs"]
    aliases = {field.alias for field in Settings.model_fields.values()}
    setting_outputs = {
        name: output["Description"]
        for name, output in outputs.items()
        if output["Description"].isupper()
    }
    assert set(setting_outputs.values()) == {
        "DYNAMODB_TABLE",
        "AWS_REGION",
        "S3_BUCKET",
        "CLOUDFRONT_DOMAIN",
        "CLOUDFRONT_KEY_PAIR_ID",
    }
    assert set(setting_outputs.values()) <= aliases
    assert {"AppDistributionDomain", "AppPolicyArn", "AppLogGroup", "AlarmTopicArn"} <= set(outputs)


def test_app_policy_grants_the_table_and_bucket_and_nothing_wildcard(
    synthesized: Synthesized,
) -> None:
    _, policy = _only(_template(synthesized), "AWS::IAM::ManagedPolicy")
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    actions = {
        a
        for s in statements
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    # Transactions need no action of their own: IAM checks each item action inside them.
    assert {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:DescribeTable",
        "s3:GetObject*",
        "s3:PutObject",
        "s3:DeleteObject*",
        "s3:List*",
    } <= actions
    assert all(s["Resource"] != "*" for s in statements)

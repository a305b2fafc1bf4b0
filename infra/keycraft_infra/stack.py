"""The KeyCraft stack: table, media store, CDNs, app permissions, monitoring, and outputs."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, CfnParameter, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.keycraft_infra.app_cdn import AppCdn
from infra.keycraft_infra.media import MediaStore
from infra.keycraft_infra.monitoring import Monitoring
from infra.keycraft_infra.settings import InfraSettings
from infra.keycraft_infra.table import KeyCraftTable


class KeyCraftStack(Stack):
    """Everything KeyCraft runs on in AWS except the compute serving the app and transcriber.

    Outputs are named after the app settings they feed (see docs/deployment.md).
    """

    def __init__(
        self, scope: Construct, construct_id: str, settings: InfraSettings, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        # A deploy-time input: the operator keeps the private half (CLOUDFRONT_PRIVATE_KEY).
        public_key = CfnParameter(
            self,
            "CloudFrontPublicKeyPem",
            type="String",
            description="PEM of the RSA public key that verifies signed media URLs.",
            min_length=1,
        )
        certificate = (
            acm.Certificate.from_certificate_arn(self, "Certificate", settings.certificate_arn)
            if settings.certificate_arn
            else None
        )
        table = KeyCraftTable(self, "Data").table
        media = MediaStore(self, "Media", settings, public_key.value_as_string, certificate)
        app_cdn = AppCdn(self, "AppCdn", settings, certificate)
        monitoring = Monitoring(
            self, "Monitoring", settings, table, app_cdn.distribution, media.distribution
        )

        app_policy = iam.ManagedPolicy(
            self,
            "AppPolicy",
            description="What the KeyCraft app process may do: its table, its bucket, its logs.",
        )
        table.grant_read_write_data(app_policy)
        media.bucket.grant_read_write(app_policy)
        media.bucket.grant_delete(app_policy)
        monitoring.log_group.grant_write(app_policy)

        outputs = {
            "DynamoDbTable": (table.table_name, "DYNAMODB_TABLE"),
            "AwsRegion": (self.region, "AWS_REGION"),
            "S3Bucket": (media.bucket.bucket_name, "S3_BUCKET"),
            "CloudFrontDomain": (media.distribution.distribution_domain_name, "CLOUDFRONT_DOMAIN"),
            "CloudFrontKeyPairId": (media.public_key.public_key_id, "CLOUDFRONT_KEY_PAIR_ID"),
            "AppDistributionDomain": (
                app_cdn.distribution.distribution_domain_name,
                "DNS target (CNAME/alias) of the app host",
            ),
            "AppPolicyArn": (app_policy.managed_policy_arn, "attach to the app's IAM role"),
            "AppLogGroup": (monitoring.log_group.log_group_name, "ship the app's stdout here"),
            "AlarmTopicArn": (monitoring.topic.topic_arn, "subscribe on-call to alarms"),
        }
        for name, (value, meaning) in outputs.items():
            CfnOutput(self, name, value=value, description=meaning)

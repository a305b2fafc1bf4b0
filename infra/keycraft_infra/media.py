"""The private media bucket and the CloudFront distribution that serves it by signed URL."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.keycraft_infra.settings import InfraSettings
from keycraft.services.storage.keys import TEMP_PREFIX

DISPOSITION_QUERY = "response-content-disposition"
"""The one query parameter media URLs carry; S3 turns it into ``Content-Disposition``."""


def _media_cache_policy(
    scope: Construct, construct_id: str, comment: str, default_ttl: Duration, max_ttl: Duration
) -> cloudfront.CachePolicy:
    # The disposition query is in the cache key, which also makes CloudFront forward it to S3.
    return cloudfront.CachePolicy(
        scope,
        construct_id,
        comment=comment,
        default_ttl=default_ttl,
        min_ttl=Duration.seconds(0),
        max_ttl=max_ttl,
        query_string_behavior=cloudfront.CacheQueryStringBehavior.allow_list(DISPOSITION_QUERY),
        header_behavior=cloudfront.CacheHeaderBehavior.none(),
        cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        enable_accept_encoding_gzip=True,
        enable_accept_encoding_brotli=True,
    )


class MediaStore(Construct):
    """Bucket (no public access, encrypted, versioned, lifecycle, CORS) behind CloudFront + OAC.

    Every request to the distribution must carry a URL signed by the key whose public half is
    ``public_key_pem``; the bucket policy admits only this distribution (``AWS:SourceArn``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        settings: InfraSettings,
        public_key_pem: str,
        certificate: acm.ICertificate | None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-temporary-uploads",
                    prefix=TEMP_PREFIX,
                    expiration=Duration.days(settings.temp_upload_expiry_days),
                    noncurrent_version_expiration=Duration.days(1),
                ),
                # Deleting a project or account leaves noncurrent versions: they go for good
                # after this many days (the window in which a mistaken delete can be undone).
                s3.LifecycleRule(
                    id="expire-noncurrent-versions",
                    noncurrent_version_expiration=Duration.days(
                        settings.noncurrent_version_expiry_days
                    ),
                    expired_object_delete_marker=True,
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
            ],
            cors=[
                s3.CorsRule(
                    allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                    allowed_origins=settings.cors_origins,
                    allowed_headers=["*"],
                    exposed_headers=["Content-Length", "Content-Disposition", "ETag"],
                    max_age=3600,
                )
            ],
            removal_policy=RemovalPolicy.RETAIN,
        )

        self.public_key = cloudfront.PublicKey(
            self,
            "SigningPublicKey",
            encoded_key=public_key_pem,
            comment="Verifies KeyCraft's signed media download URLs",
        )
        key_group = cloudfront.KeyGroup(self, "SigningKeyGroup", items=[self.public_key])

        midi_policy = _media_cache_policy(
            self,
            "MidiCachePolicy",
            "Exported MIDI: each export has its own key, so it can be cached long",
            default_ttl=Duration.days(1),
            max_ttl=Duration.days(30),
        )
        audio_policy = _media_cache_policy(
            self,
            "AudioCachePolicy",
            "Uploaded audio: shorter, since a take can be replaced under its key",
            default_ttl=Duration.hours(1),
            max_ttl=Duration.days(1),
        )
        # CloudFront answers CORS itself: a cached object then carries the headers whichever
        # origin (or none) the request that filled the cache came from.
        cors_policy = cloudfront.ResponseHeadersPolicy(
            self,
            "MediaCorsPolicy",
            comment="Media may be fetched by pages on the KeyCraft site and app only",
            cors_behavior=cloudfront.ResponseHeadersCorsBehavior(
                access_control_allow_credentials=False,
                access_control_allow_headers=["Range"],
                access_control_allow_methods=["GET", "HEAD"],
                access_control_allow_origins=settings.cors_origins,
                access_control_expose_headers=["Content-Length", "Content-Disposition", "ETag"],
                access_control_max_age=Duration.hours(1),
                origin_override=True,
            ),
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
            ),
        )
        origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)

        def behavior(policy: cloudfront.ICachePolicy) -> cloudfront.BehaviorOptions:
            return cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=policy,
                response_headers_policy=cors_policy,
                trusted_key_groups=[key_group],
                compress=True,
            )

        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="KeyCraft media (signed URLs only)",
            default_behavior=behavior(audio_policy),
            additional_behaviors={"*.mid": behavior(midi_policy)},
            domain_names=list(settings.media_aliases) or None,
            certificate=certificate if settings.media_aliases else None,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )

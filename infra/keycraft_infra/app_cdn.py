"""CloudFront in front of the app: pages and the live connection uncached, hashed assets cached."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from constructs import Construct

from infra.keycraft_infra.settings import InfraSettings

STATIC_PATHS = ("/assets/*", "/favicon.svg", "/piano/*")
"""Reflex's production build puts content-hashed JS/CSS under ``/assets/``: safe to cache. The
grand piano's samples under ``/piano/`` (about 23 MB, pinned npm packages) never change either."""


class AppCdn(Construct):
    """A distribution for ``app.keycraft.org`` whose origin is the Reflex app's HTTPS endpoint."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        settings: InfraSettings,
        certificate: acm.ICertificate | None,
    ) -> None:
        super().__init__(scope, construct_id)
        origin = origins.HttpOrigin(
            settings.app_origin_domain,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            read_timeout=Duration.seconds(60),
        )
        static_policy = cloudfront.CachePolicy(
            self,
            "StaticAssetsCachePolicy",
            comment="Content-hashed app assets: cached for a year, no cookies or queries",
            default_ttl=Duration.days(365),
            min_ttl=Duration.days(1),
            max_ttl=Duration.days(365),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.none(),
            header_behavior=cloudfront.CacheHeaderBehavior.none(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        static = cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=static_policy,
            compress=True,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="KeyCraft app (dynamic pass-through, static assets cached)",
            # Pages, API routes, the state websocket and cookies pass through untouched.
            default_behavior=cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER,
            ),
            additional_behaviors={path: static for path in STATIC_PATHS},
            domain_names=list(settings.app_aliases) or None,
            certificate=certificate if settings.app_aliases else None,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )

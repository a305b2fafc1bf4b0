"""Deployment choices for the stack: domains and origins, read from CDK context with defaults."""

from __future__ import annotations

from dataclasses import dataclass

from constructs import Node


@dataclass(frozen=True)
class InfraSettings:
    """What differs between deployments; every value has a ``keycraft.org`` default.

    Attributes:
        site_origin: The marketing site's origin (browsers on it may call the media bucket).
        app_origin: The app's public origin (``APP_URL``).
        app_origin_domain: Host name CloudFront forwards app traffic to (the load balancer or
            server in front of the Reflex app, serving HTTPS).
        app_aliases: Extra host names of the app distribution (need ``certificate_arn``).
        media_aliases: Host names of the media distribution (need ``certificate_arn``).
        certificate_arn: ACM certificate in us-east-1 covering the aliases, or empty.
        alarm_email: Address subscribed to the alarm topic, or empty for no subscription.
        temp_upload_expiry_days: Age in days at which S3 deletes objects under ``tmp/``.
        noncurrent_version_expiry_days: Days a deleted or replaced media version is kept.
        log_retention_days: Days the app's CloudWatch logs are kept (7, 30, 90 or 365).
    """

    site_origin: str = "https://keycraft.org"
    app_origin: str = "https://app.keycraft.org"
    app_origin_domain: str = "origin.app.keycraft.org"
    app_aliases: tuple[str, ...] = ()
    media_aliases: tuple[str, ...] = ()
    certificate_arn: str = ""
    alarm_email: str = ""
    temp_upload_expiry_days: int = 1
    noncurrent_version_expiry_days: int = 30
    log_retention_days: int = 30

    @classmethod
    def from_context(cls, node: Node) -> InfraSettings:
        """Read overrides from CDK context (``-c appOrigin=https://...`` or ``cdk.json``)."""
        defaults = cls()

        def text(name: str, default: str) -> str:
            value = node.try_get_context(name)
            return default if value is None else str(value)

        def names(name: str) -> tuple[str, ...]:
            value = node.try_get_context(name)
            if not value:
                return ()
            items = value.split(",") if isinstance(value, str) else value
            return tuple(str(item).strip() for item in items if str(item).strip())

        return cls(
            site_origin=text("siteOrigin", defaults.site_origin),
            app_origin=text("appOrigin", defaults.app_origin),
            app_origin_domain=text("appOriginDomain", defaults.app_origin_domain),
            app_aliases=names("appAliases"),
            media_aliases=names("mediaAliases"),
            certificate_arn=text("certificateArn", ""),
            alarm_email=text("alarmEmail", ""),
        )

    @property
    def cors_origins(self) -> list[str]:
        """Origins whose pages may fetch media directly from the bucket or CDN."""
        return [self.site_origin, self.app_origin]

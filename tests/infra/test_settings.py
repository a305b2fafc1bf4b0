"""Deployment settings come from CDK context, with keycraft.org defaults."""

from aws_cdk import App

from infra.keycraft_infra.settings import InfraSettings


def test_defaults_describe_the_keycraft_org_deployment() -> None:
    settings = InfraSettings.from_context(App().node)
    assert settings == InfraSettings()
    assert settings.cors_origins == ["https://keycraft.org", "https://app.keycraft.org"]


def test_context_overrides_origins_aliases_and_alarm_email() -> None:
    app = App(
        context={
            "siteOrigin": "https://example.org",
            "appOrigin": "https://app.example.org",
            "appOriginDomain": "lb.example.org",
            "appAliases": "app.example.org",
            "mediaAliases": ["media.example.org", " cdn.example.org "],
            "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            "alarmEmail": "ops@example.org",
        }
    )
    settings = InfraSettings.from_context(app.node)
    assert settings.cors_origins == ["https://example.org", "https://app.example.org"]
    assert settings.app_origin_domain == "lb.example.org"
    assert settings.app_aliases == ("app.example.org",)
    assert settings.media_aliases == ("media.example.org", "cdn.example.org")
    assert settings.certificate_arn.endswith("certificate/abc")
    assert settings.alarm_email == "ops@example.org"

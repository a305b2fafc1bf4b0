"""One typed Settings object, read from the environment and ``.env`` once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-change-me"
MIN_SECRET_KEY_CHARS = 32
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class PlanSettings(BaseModel):
    """One plan as configured: limits and prices live here, not in code paths."""

    key: str
    name: str
    monthly_downloads: int
    monthly_transcription_minutes: int = Field(default=30, ge=0)
    price_cents: int = 0
    interval: Literal["month", "year"] = "month"
    stripe_price_id: str = ""
    payment_link_url: str = ""


DEFAULT_PLANS: tuple[PlanSettings, ...] = (
    PlanSettings(key="free", name="Free", monthly_downloads=3, monthly_transcription_minutes=30),
    PlanSettings(
        key="pro-monthly",
        name="Pro",
        monthly_downloads=100,
        monthly_transcription_minutes=600,
        price_cents=900,
    ),
    PlanSettings(
        key="pro-yearly",
        name="Pro yearly",
        monthly_downloads=100,
        monthly_transcription_minutes=600,
        price_cents=9000,
        interval="year",
    ),
)


class Settings(BaseSettings):
    """Every configurable value of the app; see ``.env.example`` for the documentation."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Literal["dev", "prod"] = Field(default="dev", alias="KEYCRAFT_ENV")
    app_url: str = Field(default="http://localhost:3000", alias="APP_URL")
    secret_key: SecretStr = Field(default=SecretStr(DEV_SECRET_KEY), alias="SECRET_KEY")

    # "memory" keeps everything in this one process and loses it on restart: tests and demos.
    repository: Literal["sqlmodel", "dynamodb", "memory"] = Field(
        default="sqlmodel", alias="REPOSITORY"
    )
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'data' / 'keycraft.db'}", alias="DATABASE_URL"
    )
    dynamodb_table: str = Field(default="keycraft", alias="DYNAMODB_TABLE")
    dynamodb_endpoint_url: str | None = Field(default=None, alias="DYNAMODB_ENDPOINT_URL")
    aws_region: str = Field(default="us-east-1", alias="AWS_REGION")

    storage: Literal["local", "s3"] = Field(default="local", alias="STORAGE")
    media_dir: Path = Field(default=PROJECT_ROOT / "data" / "media", alias="MEDIA_DIR")
    s3_bucket: str = Field(default="keycraft-media", alias="S3_BUCKET")
    s3_endpoint_url: str | None = Field(default=None, alias="S3_ENDPOINT_URL")
    cloudfront_domain: str | None = Field(default=None, alias="CLOUDFRONT_DOMAIN")
    cloudfront_key_pair_id: str | None = Field(default=None, alias="CLOUDFRONT_KEY_PAIR_ID")
    cloudfront_private_key: SecretStr | None = Field(default=None, alias="CLOUDFRONT_PRIVATE_KEY")
    download_link_ttl_s: int = Field(default=300, gt=0, alias="DOWNLOAD_LINK_TTL_S")
    temp_upload_max_age_s: int = Field(default=86400, gt=0, alias="TEMP_UPLOAD_MAX_AGE_S")

    transcriber_url: str = Field(default="http://127.0.0.1:8001", alias="TRANSCRIBER_URL")
    transcriber_secret: SecretStr | None = Field(default=None, alias="TRANSCRIBER_SECRET")
    transcriber_timeout_s: float = Field(default=1800.0, alias="TRANSCRIBER_TIMEOUT_S")
    # The same variable sets the transcriber's own limit when both run from one environment.
    transcriber_max_duration_s: float = Field(
        default=1800.0, gt=0, alias="TRANSCRIBER_MAX_DURATION_S"
    )

    # Transcription jobs (docs/jobs.md): Huey on SQLite by default, on Redis in scale-out.
    job_queue: Literal["sqlite", "redis"] = Field(default="sqlite", alias="JOB_QUEUE")
    job_queue_path: Path = Field(
        default=PROJECT_ROOT / "data" / "jobs-queue.db", alias="JOB_QUEUE_PATH"
    )
    job_queue_redis_url: str = Field(default="", alias="JOB_QUEUE_REDIS_URL")
    job_workers: int = Field(default=1, ge=1, alias="JOB_WORKERS")
    max_active_jobs_per_user: int = Field(default=3, ge=1, alias="MAX_ACTIVE_JOBS_PER_USER")
    job_lease_s: float = Field(default=60.0, gt=0, alias="JOB_LEASE_S")
    job_email_after_s: float = Field(default=60.0, ge=0, alias="JOB_EMAIL_AFTER_S")
    # Long recordings go to the transcriber in overlapping chunks (docs/jobs.md).
    job_chunk_max_s: float = Field(default=370.0, gt=0, alias="JOB_CHUNK_MAX_S")
    job_chunk_overlap_s: float = Field(default=10.0, ge=0, alias="JOB_CHUNK_OVERLAP_S")
    job_chunk_parallel: int = Field(default=5, ge=1, alias="JOB_CHUNK_PARALLEL")

    health_timeout_s: float = Field(default=2.0, alias="HEALTH_TIMEOUT_S")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", alias="LOG_LEVEL"
    )
    log_format: Literal["json", "text"] = Field(default="json", alias="LOG_FORMAT")
    metrics_token: SecretStr | None = Field(default=None, alias="METRICS_TOKEN")
    prometheus_multiproc_dir: Path | None = Field(default=None, alias="PROMETHEUS_MULTIPROC_DIR")

    plans: tuple[PlanSettings, ...] = Field(default=DEFAULT_PLANS, alias="PLANS")
    stripe_secret_key: SecretStr | None = Field(default=None, alias="STRIPE_SECRET_KEY")
    stripe_webhook_secret: SecretStr | None = Field(default=None, alias="STRIPE_WEBHOOK_SECRET")
    stripe_api_base: str | None = Field(default=None, alias="STRIPE_API_BASE")
    stripe_timeout_s: float = Field(default=10.0, alias="STRIPE_TIMEOUT_S")

    # --- accounts and sign-in (see .env.example) ---
    session_cookie_domain: str = Field(default="", alias="SESSION_COOKIE_DOMAIN")
    cors_allowed_origins: str = Field(default="", alias="CORS_ALLOWED_ORIGINS")
    upload_session_required: bool = Field(default=True, alias="UPLOAD_SESSION_REQUIRED")
    """Uploads need a session cookie. Only ``make dev`` turns it off: its frontend and backend
    are different origins, so the browser sends uploads without cookies."""
    trusted_proxy_count: int = Field(default=0, ge=0, alias="TRUSTED_PROXY_COUNT")
    auth_rate_limit_per_ip: int = Field(default=30, ge=1, alias="AUTH_RATE_LIMIT_PER_IP")
    auth_rate_limit_per_account: int = Field(default=10, ge=1, alias="AUTH_RATE_LIMIT_PER_ACCOUNT")
    smtp_host: str = Field(default="", alias="SMTP_HOST")
    smtp_port: int = Field(default=587, alias="SMTP_PORT")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", alias="SMTP_SECURITY"
    )
    smtp_username: str = Field(default="", alias="SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(default=None, alias="SMTP_PASSWORD")
    smtp_timeout_s: float = Field(default=10.0, alias="SMTP_TIMEOUT_S")
    mail_from: str = Field(default="KeyCraft <no-reply@localhost>", alias="MAIL_FROM")
    google_client_id: str = Field(default="", alias="GOOGLE_CLIENT_ID")
    google_client_secret: SecretStr | None = Field(default=None, alias="GOOGLE_CLIENT_SECRET")
    github_client_id: str = Field(default="", alias="GITHUB_CLIENT_ID")
    github_client_secret: SecretStr | None = Field(default=None, alias="GITHUB_CLIENT_SECRET")
    oidc_name: str = Field(default="Single sign-on", alias="OIDC_NAME")
    oidc_discovery_url: str = Field(default="", alias="OIDC_DISCOVERY_URL")
    oidc_client_id: str = Field(default="", alias="OIDC_CLIENT_ID")
    oidc_client_secret: SecretStr | None = Field(default=None, alias="OIDC_CLIENT_SECRET")
    oauth_timeout_s: float = Field(default=10.0, alias="OAUTH_TIMEOUT_S")

    @property
    def local_only(self) -> bool:
        """Whether ``APP_URL`` names this machine (a developer's or a test run's server)."""
        host = (urlsplit(self.app_url).hostname or "").lower()
        return host in LOOPBACK_HOSTS or host.endswith(".localhost")

    @property
    def sibling_origins(self) -> tuple[str, ...]:
        """Origins (``CORS_ALLOWED_ORIGINS``) trusted with credentials beside ``APP_URL``."""
        parts = (o.strip().rstrip("/") for o in self.cors_allowed_origins.split(","))
        return tuple(o.lower() for o in parts if o)

    @property
    def browser_origins(self) -> tuple[str, ...]:
        """Origins whose pages may call the backend with credentials (Reflex's CORS list).

        ``APP_URL`` (plus its loopback twin in local runs: localhost and 127.0.0.1 are the
        same server but different origins) and the sibling origins.
        """
        parts = urlsplit(self.app_url)
        origins = [f"{parts.scheme}://{parts.netloc}".lower()]
        if parts.hostname in ("localhost", "127.0.0.1"):
            port = f":{parts.port}" if parts.port else ""
            origins += [f"{parts.scheme}://localhost{port}", f"{parts.scheme}://127.0.0.1{port}"]
        return tuple(dict.fromkeys([*origins, *self.sibling_origins]))


def deployment_problems(settings: Settings) -> list[str]:
    """What makes ``settings`` unsafe to serve real users with ([] when nothing does).

    Development mode puts sign-in links on screen when SMTP is absent, and the default
    secret lets anyone forge download links and OAuth state: both are for localhost only.
    """
    problems = []
    secret = settings.secret_key.get_secret_value()
    public = settings.env == "prod" or not settings.local_only
    if public and secret == DEV_SECRET_KEY:
        problems.append("SECRET_KEY is the development default; set a random secret")
    elif settings.env == "prod" and len(secret) < MIN_SECRET_KEY_CHARS:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_CHARS} characters")
    if settings.env == "prod" and not settings.upload_session_required:
        problems.append("UPLOAD_SESSION_REQUIRED is off; uploads must need a session")
    if settings.env == "dev" and not settings.local_only:
        problems.append(
            f"KEYCRAFT_ENV is dev but APP_URL ({settings.app_url}) is not localhost; "
            "set KEYCRAFT_ENV=prod"
        )
    return problems


def refuse_unsafe_deployment(settings: Settings) -> None:
    """Stop the process with a clear message (exit status 1) when the settings are unsafe."""
    problems = deployment_problems(settings)
    if problems:
        raise SystemExit("KeyCraft refuses to start: " + "; ".join(problems) + ".")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, reading the environment on first use."""
    return Settings()

"""Operator commands: ``python -m keycraft.manage migrate`` prepares the configured database."""

from __future__ import annotations

import argparse
import sys

from keycraft.config import PROJECT_ROOT, Settings, get_settings


def migrate(settings: Settings) -> str:
    """Bring the configured repository's schema up to date; return what was done."""
    if settings.repository == "dynamodb":
        from keycraft.services.repository.dynamodb_factory import dynamodb_repository

        dynamodb_repository(settings).create_table()
        return f"DynamoDB table {settings.dynamodb_table!r} ready"
    from alembic.config import Config

    from alembic import command

    if settings.database_url.startswith("sqlite:///"):
        from pathlib import Path

        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["url"] = settings.database_url
    # alembic.ini's logging setup would disable every logger already created in this process.
    config.attributes["configure_logger"] = False
    command.upgrade(config, "heads")
    return "database migrated to head"


def purge_temp(settings: Settings) -> str:
    """Delete temporary uploads older than ``TEMP_UPLOAD_MAX_AGE_S``; for cron on local storage."""
    from keycraft.services.container import build_storage

    removed = build_storage(settings).purge_expired_temp(settings.temp_upload_max_age_s)
    return f"{removed} expired temporary upload(s) deleted"


COMMANDS = {"migrate": migrate, "purge-temp": purge_temp}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(prog="python -m keycraft.manage")
    parser.add_argument("command", choices=sorted(COMMANDS))
    args = parser.parse_args(argv)
    print(COMMANDS[args.command](get_settings()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

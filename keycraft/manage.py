"""Operator commands: ``python -m keycraft.manage migrate`` prepares the configured database.

``python -m keycraft.manage staff grant|revoke EMAIL`` and ``staff list`` manage who is staff
(each change lands in the audit log, by the command line).
"""

from __future__ import annotations

import argparse
import sys

from keycraft.config import PROJECT_ROOT, Settings, get_settings


def migrate(settings: Settings) -> str:
    """Bring the configured repository's schema up to date; return what was done."""
    if settings.repository == "dynamodb":
        from keycraft.services.repository.dynamodb.factory import dynamodb_repository

        dynamodb_repository(settings).create_table()
        return f"DynamoDB table {settings.dynamodb_table!r} ready"
    if settings.repository == "memory":
        return "in-memory repository: nothing to prepare (its data lives only in the app process)"
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
    """Delete temporary uploads older than ``TEMP_UPLOAD_MAX_AGE_S``; for cron on local storage.

    A staged upload a queued or running job is still to read stays (the sweep's rule).
    """
    from keycraft.services.container import build_repository, build_storage
    from keycraft.services.jobs.sweep import staged_folders_in_use

    in_use = staged_folders_in_use(build_repository(settings))
    removed = build_storage(settings).purge_expired_temp(settings.temp_upload_max_age_s, in_use)
    return f"{removed} expired temporary upload(s) deleted"


def staff(settings: Settings, action: str, email: str = "") -> str:
    """Grant or revoke staff for an existing account, or list the staff; return a report.

    Raises:
        NoSuchAccount: Nobody has signed up with ``email``.
        InvalidEmail: ``email`` is not shaped like an address.
    """
    from keycraft.services.audit import COMMAND_LINE_ACTOR
    from keycraft.services.auth.staff import grant_staff, list_staff, revoke_staff
    from keycraft.services.clock import utc_now
    from keycraft.services.container import build_repository

    repo = build_repository(settings)
    if action == "list":
        people = list_staff(repo)
        return "\n".join(user.email for user in people) if people else "no staff yet"
    change = grant_staff if action == "grant" else revoke_staff
    user = change(repo, email, COMMAND_LINE_ACTOR, utc_now())
    return f"{user.email} is {'staff' if user.role == 'staff' else 'not staff'}"


COMMANDS = {"migrate": migrate, "purge-temp": purge_temp}
STAFF_ACTIONS = ("grant", "revoke", "list")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    from keycraft.services.auth.staff import NoSuchAccount
    from keycraft.services.auth.types import InvalidEmail

    parser = argparse.ArgumentParser(prog="python -m keycraft.manage")
    parser.add_argument("command", choices=sorted([*COMMANDS, "staff"]))
    parser.add_argument("action", nargs="?", choices=STAFF_ACTIONS, help="for staff")
    parser.add_argument("email", nargs="?", default="", help="for staff grant/revoke")
    args = parser.parse_args(argv)
    if args.command != "staff":
        print(COMMANDS[args.command](get_settings()))
        return 0
    if args.action is None or (args.action != "list" and not args.email):
        parser.error("usage: staff grant EMAIL | staff revoke EMAIL | staff list")
    try:
        print(staff(get_settings(), args.action, args.email))
    except (NoSuchAccount, InvalidEmail):
        print(f"no account uses {args.email!r}; they must sign up first", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

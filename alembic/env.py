"""Alembic environment: migrates the database named by Settings (or the -x url=... override)."""

from logging.config import fileConfig

from sqlmodel import SQLModel

import keycraft.services.repository.sql.admin_tables  # noqa: F401
import keycraft.services.repository.sql.auth_tables  # noqa: F401  (registers the tables)
import keycraft.services.repository.sql.experiments_tables  # noqa: F401
import keycraft.services.repository.sql.jobs_tables  # noqa: F401
import keycraft.services.repository.sql.tables  # noqa: F401  (registers the tables)
from alembic import context
from keycraft.config import get_settings
from keycraft.services.repository.sql.base import make_engine

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    # Keep the loggers that already exist (the app's own, when migrate runs in-process).
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get(
        "url", get_settings().database_url
    )


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through a live connection; batch mode lets SQLite alter tables."""
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

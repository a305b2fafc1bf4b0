"""Staff operations of the relational adapter (a mixin on ``SqlBase``)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from keycraft.services.audit import AuditEntry
from keycraft.services.domain import User
from keycraft.services.errors import Conflict
from keycraft.services.experiments.lifecycle import Lifecycle
from keycraft.services.experiments.model import EXPOSURE, DailyTally, Status, Variant
from keycraft.services.repository.sql.admin_tables import AuditEntryRow, ExperimentLifecycleRow
from keycraft.services.repository.sql.base import SqlBase, aware, maybe_aware, rowcount
from keycraft.services.repository.sql.experiments_tables import (
    ExperimentConversionRow,
    ExperimentExposureRow,
)
from keycraft.services.repository.sql.tables import UserRow


def _lifecycle_values(lifecycle: Lifecycle) -> dict[str, object]:
    return {
        "experiment_key": lifecycle.experiment_key,
        "status": lifecycle.status.value,
        "version": lifecycle.version,
        "weights_json": json.dumps([[v.key, v.weight] for v in lifecycle.weights]),
        "ramp_percent": lifecycle.ramp_percent,
        "winner": lifecycle.winner,
        "revision": lifecycle.revision,
        "updated_at": lifecycle.updated_at,
        "updated_by": lifecycle.updated_by,
    }


def _lifecycle_from_row(row: ExperimentLifecycleRow) -> Lifecycle:
    return Lifecycle(
        experiment_key=row.experiment_key,
        status=Status(row.status),
        version=row.version,
        weights=tuple(Variant(key, int(weight)) for key, weight in json.loads(row.weights_json)),
        ramp_percent=row.ramp_percent,
        winner=row.winner,
        revision=row.revision,
        updated_at=maybe_aware(row.updated_at),
        updated_by=row.updated_by,
    )


def _day(value: object) -> date:
    # SQLite's date() returns text; other databases return a date.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class SqlAdminMixin(SqlBase):
    """Lifecycles with a revision check, an append-only audit table, a role query."""

    def get_user(self, user_id: str) -> User | None:
        """See the port (the repository class provides it)."""
        raise NotImplementedError

    def list_experiment_lifecycles(self) -> list[Lifecycle]:
        """See the port."""
        with self._tx() as db:
            rows = db.execute(select(ExperimentLifecycleRow)).scalars().all()
            return [_lifecycle_from_row(row) for row in rows]

    def save_experiment_lifecycle(self, lifecycle: Lifecycle) -> None:
        """See the port."""
        values = _lifecycle_values(lifecycle)
        try:
            with self._tx() as db:
                if lifecycle.revision == 1:
                    db.add(ExperimentLifecycleRow(**values))  # type: ignore[arg-type]
                    return
                result = db.execute(
                    update(ExperimentLifecycleRow)
                    .where(
                        col(ExperimentLifecycleRow.experiment_key) == lifecycle.experiment_key,
                        col(ExperimentLifecycleRow.revision) == lifecycle.revision - 1,
                    )
                    .values(**values)
                )
                if rowcount(result) != 1:
                    raise Conflict(lifecycle.experiment_key)
        except IntegrityError as exc:
            raise Conflict(lifecycle.experiment_key) from exc

    def add_audit_entry(self, entry: AuditEntry) -> None:
        """See the port."""
        with self._tx() as db:
            db.add(
                AuditEntryRow(
                    id=entry.id,
                    at=entry.at,
                    actor=entry.actor,
                    action=entry.action,
                    target=entry.target,
                    detail=entry.detail,
                )
            )

    def list_audit_entries(self, limit: int) -> list[AuditEntry]:
        """See the port."""
        with self._tx() as db:
            rows = db.execute(
                select(AuditEntryRow)
                .order_by(col(AuditEntryRow.at).desc(), col(AuditEntryRow.id).desc())
                .limit(limit)
            ).scalars()
            return [
                AuditEntry(row.id, aware(row.at), row.actor, row.action, row.target, row.detail)
                for row in rows
            ]

    def list_users_with_role(self, role: str) -> list[User]:
        """See the port."""
        with self._tx() as db:
            ids = (
                db.execute(
                    select(col(UserRow.id))
                    .where(col(UserRow.role) == role)
                    .order_by(col(UserRow.email))
                )
                .scalars()
                .all()
            )
        # Few users hold a special role, so reading each through the one mapping is fine.
        return [user for user_id in ids if (user := self.get_user(user_id)) is not None]

    def experiment_daily_tallies(self, key: str, version: int) -> list[DailyTally]:
        """See the port."""
        exposed_day = func.date(col(ExperimentExposureRow.exposed_at))
        exposures = (
            select(exposed_day, col(ExperimentExposureRow.variant), func.count())
            .where(
                col(ExperimentExposureRow.experiment_key) == key,
                col(ExperimentExposureRow.version) == version,
            )
            .group_by(exposed_day, col(ExperimentExposureRow.variant))
        )
        converted_day = func.date(col(ExperimentConversionRow.converted_at))
        conversions = (
            select(
                converted_day,
                col(ExperimentConversionRow.variant),
                col(ExperimentConversionRow.metric),
                func.count(),
            )
            .where(
                col(ExperimentConversionRow.experiment_key) == key,
                col(ExperimentConversionRow.version) == version,
            )
            .group_by(
                converted_day,
                col(ExperimentConversionRow.variant),
                col(ExperimentConversionRow.metric),
            )
        )
        with self._tx() as db:
            tallies = [
                DailyTally(_day(d), v, EXPOSURE, int(n)) for d, v, n in db.execute(exposures).all()
            ]
            tallies += [
                DailyTally(_day(d), v, str(m), int(n))
                for d, v, m, n in db.execute(conversions).all()
            ]
        return sorted(tallies, key=lambda t: (t.day, t.variant, t.event))

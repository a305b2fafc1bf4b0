"""Experiments operations of the relational adapter (a mixin on ``SqlBase``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from keycraft.services.experiments.model import EXPOSURE, Conversion, Exposure, Metric, Tally
from keycraft.services.repository.sql.base import SqlBase, aware
from keycraft.services.repository.sql.experiments_tables import (
    ExperimentConversionRow,
    ExperimentDefinitionRow,
    ExperimentExposureRow,
    VisitorLinkRow,
)


def _exposure_from_row(row: ExperimentExposureRow) -> Exposure:
    return Exposure(
        experiment_key=row.experiment_key,
        version=row.version,
        visitor_id=row.visitor_id,
        variant=row.variant,
        exposed_at=aware(row.exposed_at),
    )


class SqlExperimentsMixin(SqlBase):
    """Exposures and conversions as once-only rows (primary keys decide), counted by SQL."""

    def _insert_once(self, row: object) -> bool:
        # The primary key is the once-only guard: a duplicate insert fails atomically,
        # even when two requests race.
        try:
            with self._tx() as db:
                db.add(row)
        except IntegrityError:
            return False
        return True

    def lock_experiment_definition(
        self, key: str, version: int, fingerprint: str, now: datetime
    ) -> str:
        """See the port."""
        self._insert_once(
            ExperimentDefinitionRow(
                experiment_key=key, version=version, fingerprint=fingerprint, created_at=now
            )
        )
        with self._tx() as db:
            row = db.get(ExperimentDefinitionRow, (key, version))
            assert row is not None  # inserted above or by the racer that beat us
            return row.fingerprint

    def record_exposure(self, exposure: Exposure) -> bool:
        """See the port."""
        return self._insert_once(
            ExperimentExposureRow(
                experiment_key=exposure.experiment_key,
                version=exposure.version,
                visitor_id=exposure.visitor_id,
                variant=exposure.variant,
                exposed_at=exposure.exposed_at,
            )
        )

    def list_visitor_exposures(self, visitor_id: str) -> list[Exposure]:
        """See the port."""
        with self._tx() as db:
            rows = db.execute(
                select(ExperimentExposureRow).where(
                    col(ExperimentExposureRow.visitor_id) == visitor_id
                )
            ).scalars()
            return [_exposure_from_row(row) for row in rows]

    def record_conversion(self, conversion: Conversion) -> bool:
        """See the port."""
        return self._insert_once(
            ExperimentConversionRow(
                experiment_key=conversion.experiment_key,
                version=conversion.version,
                visitor_id=conversion.visitor_id,
                metric=conversion.metric.value,
                variant=conversion.variant,
                converted_at=conversion.converted_at,
            )
        )

    def link_visitor(self, visitor_id: str, user_id: str, now: datetime) -> str:
        """See the port."""
        self._insert_once(VisitorLinkRow(visitor_id=visitor_id, user_id=user_id, linked_at=now))
        with self._tx() as db:
            row = db.get(VisitorLinkRow, visitor_id)
            return row.user_id if row else ""

    def list_user_visitors(self, user_id: str) -> list[str]:
        """See the port."""
        with self._tx() as db:
            rows = db.execute(
                select(col(VisitorLinkRow.visitor_id))
                .where(col(VisitorLinkRow.user_id) == user_id)
                .order_by(col(VisitorLinkRow.linked_at), col(VisitorLinkRow.visitor_id))
            ).all()
        return [row[0] for row in rows]

    def experiment_tallies(self, key: str, version: int) -> list[Tally]:
        """See the port."""
        exposures = (
            select(col(ExperimentExposureRow.variant), func.count())
            .where(
                col(ExperimentExposureRow.experiment_key) == key,
                col(ExperimentExposureRow.version) == version,
            )
            .group_by(col(ExperimentExposureRow.variant))
        )
        conversions = (
            select(
                col(ExperimentConversionRow.variant),
                col(ExperimentConversionRow.metric),
                func.count(),
            )
            .where(
                col(ExperimentConversionRow.experiment_key) == key,
                col(ExperimentConversionRow.version) == version,
            )
            .group_by(col(ExperimentConversionRow.variant), col(ExperimentConversionRow.metric))
        )
        with self._tx() as db:
            tallies = [Tally(v, EXPOSURE, int(n)) for v, n in db.execute(exposures).all()]
            tallies += [
                Tally(v, Metric(m).value, int(n)) for v, m, n in db.execute(conversions).all()
            ]
        return sorted(tallies, key=lambda t: (t.variant, t.event))

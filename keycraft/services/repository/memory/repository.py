"""The in-memory repository: every feature mixin over one set of tables and one lock."""

from __future__ import annotations

from keycraft.services.repository.memory.admin import MemoryAdminMixin
from keycraft.services.repository.memory.auth import MemoryAuthMixin
from keycraft.services.repository.memory.billing import MemoryBillingMixin
from keycraft.services.repository.memory.experiments import MemoryExperimentsMixin
from keycraft.services.repository.memory.jobs import MemoryJobsMixin
from keycraft.services.repository.memory.projects import MemoryProjectsMixin
from keycraft.services.repository.memory.sessions import MemorySessionsMixin
from keycraft.services.repository.memory.users import MemoryUsersMixin


class MemoryRepository(
    MemoryUsersMixin,
    MemorySessionsMixin,
    MemoryProjectsMixin,
    MemoryAuthMixin,
    MemoryBillingMixin,
    MemoryExperimentsMixin,
    MemoryAdminMixin,
    MemoryJobsMixin,
):
    """A :class:`~keycraft.services.repository.port.Repository` held in this process's memory.

    For unit and service tests (no server, no files) and a throwaway demo: everything is
    lost when the process ends, and other processes (a queue worker, a second web worker)
    see none of it. It passes the same contract suite as the SQL and DynamoDB adapters.
    """

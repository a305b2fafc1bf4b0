"""The in-memory repository adapter: one module per feature of the port, composed here."""

from keycraft.services.repository.memory.repository import MemoryRepository

__all__ = ["MemoryRepository"]

"""The repository port and its adapters (memory, SQLModel, DynamoDB)."""

from keycraft.services.repository.port import Repository

__all__ = ["Repository"]

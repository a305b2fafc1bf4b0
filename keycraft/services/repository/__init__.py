"""The repository port and its adapters (SQLModel, DynamoDB, in-memory)."""

from keycraft.services.repository.port import Repository

__all__ = ["Repository"]

"""The repository port and its adapters (SQLModel, DynamoDB)."""

from keycraft.services.repository.port import Repository

__all__ = ["Repository"]

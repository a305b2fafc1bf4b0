"""The media storage port and its adapters."""

from keycraft.services.storage.port import Storage

__all__ = ["Storage"]

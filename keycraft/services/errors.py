"""Domain errors raised by services and repositories; handlers map them to fixed messages."""


class DomainError(Exception):
    """Base class for errors the user can be told about in a fixed, safe sentence."""


class NotFound(DomainError):
    """The requested record does not exist (or is not the caller's)."""


class EmailTaken(DomainError):
    """An account with this email address already exists."""


class Conflict(DomainError):
    """A concurrent change won; the caller may re-read and retry."""


class RepositoryUnavailable(DomainError):
    """The storage backend could not be reached or refused the request."""


class StorageUnavailable(DomainError):
    """The media store cannot be read or written."""


class InvalidKey(DomainError):
    """A storage key tried to leave its root (``..``, absolute paths)."""


class InvalidMediaLink(DomainError):
    """A media download link was altered or was not issued by this app."""


class ExpiredMediaLink(DomainError):
    """A media download link is past its expiry time."""

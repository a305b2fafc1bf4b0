"""Copies that share nothing mutable, so no caller can change what the memory store holds."""

from __future__ import annotations

import copy
import dataclasses
import enum
import types
from datetime import date, datetime, time, timedelta
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

_ATOMIC_BASES = (str, int, float, bytes, type(None), datetime, date, time, timedelta, enum.Enum)
"""Classes whose instances (and subclasses' instances) never change."""
_immutable_types: dict[type, bool] = {}
"""Per class: whether every instance is immutable all the way down (by its type hints).

Deciding it once per class keeps a read of a project with thousands of frozen notes to one
dictionary lookup. A racing thread that sees no answer yet just walks the value instead.
"""


def _hint_is_immutable(hint: Any) -> bool:
    origin = get_origin(hint)
    if origin is None:
        return isinstance(hint, type) and _type_is_immutable(hint)
    if origin is Literal:
        return True
    if origin in (Union, types.UnionType, tuple, frozenset):
        return all(arg is Ellipsis or _hint_is_immutable(arg) for arg in get_args(hint))
    return False


def _type_is_immutable(cls: type) -> bool:
    known = _immutable_types.get(cls)
    if known is not None:
        return known
    result = False
    if issubclass(cls, _ATOMIC_BASES):
        result = True
    elif dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        _immutable_types[cls] = False  # a class that refers to itself is walked, not trusted
        try:
            hints = get_type_hints(cls)
        except (NameError, TypeError):
            hints = {}
        fields = dataclasses.fields(cls)
        result = bool(hints) and all(_hint_is_immutable(hints.get(f.name, Any)) for f in fields)
    _immutable_types[cls] = result
    return result


def detached(value: T) -> T:
    """Return ``value`` itself when nothing in it can change, else a copy sharing nothing mutable.

    Frozen dataclasses whose fields are all immutable by their type hints (every domain
    record but a transcription job, whose options are a dict) are returned as they are.

    Args:
        value: A domain record, a container of them, or a plain value.

    Returns:
        ``value`` or an equal copy.
    """
    cls = type(value)
    if _type_is_immutable(cls):
        return value
    result: Any
    if cls is tuple:
        result = tuple(detached(item) for item in value)  # type: ignore[attr-defined]
    elif cls is list:
        result = [detached(item) for item in value]  # type: ignore[attr-defined]
    elif cls is dict:
        result = {detached(k): detached(v) for k, v in value.items()}  # type: ignore[attr-defined]
    elif cls in (set, frozenset):
        result = cls(detached(item) for item in value)  # type: ignore[call-arg,attr-defined]
    elif (
        dataclasses.is_dataclass(value)
        and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        and all(f.init for f in dataclasses.fields(value))
    ):
        changes = {f.name: detached(getattr(value, f.name)) for f in dataclasses.fields(value)}
        result = dataclasses.replace(value, **changes)  # type: ignore[type-var]
    else:
        result = copy.deepcopy(value)
    return result

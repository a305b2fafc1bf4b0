"""Keep the garbage collector off the objects the server made while starting.

The served app holds a few hundred thousand long-lived objects (Reflex, the compiled pages,
SQLAlchemy, our modules) before its first request. Python's full collections walk every one
of them, and a handler that makes many objects (opening a 20,000-note project builds tens of
thousands) sets off such collections: measured in process, they were 114 of the 175 ms the
editor's load took at 20,000 notes. Frozen once at start-up, they are never walked again and
that load took 64 ms (``python -m bench.editor_profile`` prints both).
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Collect once, then move every object alive now out of the collector's way.

    Registered as a start-up task of the app: it runs when the server starts serving, after
    the app and its pages are built. Objects made later are collected as usual.
    """
    gc.collect()
    gc.freeze()

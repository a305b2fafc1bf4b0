"""The notes as the JSON text the roll reads when a project opens, written in one pass."""

from __future__ import annotations

import json
from collections.abc import Mapping

from keycraft.services.domain import Note


def notes_json(notes: Mapping[str, Note]) -> str:
    """Every note as the roll's JSON rows, in time order (then pitch), without spaces.

    The same text as compact ``json.dumps`` of ``edits.note_to_row`` rows, written
    directly: building a dict per note and encoding those took most of a large project's
    open on the server (about 120 ms of it at 20,000 notes).
    """
    ordered = sorted(notes.items(), key=lambda kv: (kv[1].start_tick, kv[1].pitch_midi))
    quote = json.dumps  # ids are strings from the session or the browser: escape them
    rows = ",".join(
        f'{{"id":{quote(note_id)},"start_tick":{n.start_tick},'
        f'"duration_ticks":{n.duration_ticks},"pitch_midi":{n.pitch_midi},'
        f'"velocity":{n.velocity}}}'
        for note_id, n in ordered
    )
    return f"[{rows}]"

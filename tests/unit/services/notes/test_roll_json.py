"""The roll's JSON of the notes is the text encoding the rows one by one would give."""

import json

from keycraft.services.domain import Note
from keycraft.services.notes.edits import note_to_row
from keycraft.services.notes.roll_json import notes_json


def test_the_notes_json_is_the_compact_rows_in_time_then_pitch_order() -> None:
    notes = {
        "s2": Note(480, 240, 64, 90),
        'new "quoted" \\ id': Note(0, 480, 67, 1),
        "s0": Note(0, 480, 60, 127),
        "ノート": Note(0, 10, 60, 64),
    }
    ordered = sorted(notes.items(), key=lambda kv: (kv[1].start_tick, kv[1].pitch_midi))
    rows = [note_to_row(i, n) for i, n in ordered]
    text = notes_json(notes)
    assert text == json.dumps(rows, separators=(",", ":"))
    assert [row["id"] for row in json.loads(text)] == ["s0", "ノート", 'new "quoted" \\ id', "s2"]


def test_no_notes_is_an_empty_list() -> None:
    assert notes_json({}) == "[]"

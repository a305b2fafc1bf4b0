"""What following the key costs an edit: the estimate beside the edit and its save.

Run: ``.venv/bin/python -m bench.key_follow_bench [NOTES]`` (default the editor's limit,
20,000 notes). A project of that size is stored in a fresh SQLite database, as the
embedded default stores it; then each of 50 edits moves one note up a semitone, as a drag
does, and is applied and saved the way the editor saves it while idle. Beside each edit the
key is estimated as the editor does after each edit, from the session's running pitch-class
weights, and, for comparison and as a check that the running weights do not drift, from
every note. Prints the medians and their shares of the edit's server work, all measured in
this run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.editor_bench import bench_notes
from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.clock import utc_now
from keycraft.services.notes.autosave import AutosaveTracker, after_save, run_save, save_job
from keycraft.services.notes.edits import MAX_NOTES, EditorNote, NoteChangeset
from keycraft.services.notes.key import estimate_key, estimate_key_from_weights
from keycraft.services.notes.session import EditingSession
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.factories import make_project, make_user

EDITS = 50


def main(argv: list[str] | None = None) -> None:
    """Time 50 edit-and-save rounds and the key estimate beside each; print both."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notes", nargs="?", type=int, default=MAX_NOTES)
    count = parser.parse_args(argv).notes
    with tempfile.TemporaryDirectory(prefix="key-follow-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
        engine = make_engine(url)
        repo = SqlModelRepository(engine)
        user = repo.create_user(make_user("bench@example.com"))
        project = repo.create_project(
            replace(make_project(user, notes=0), notes=bench_notes(count))
        )
        session = EditingSession(project.notes, project.pedals)
        tracker = AutosaveTracker()
        ids = list(session.notes)
        edit_ms: list[float] = []
        key_ms: list[float] = []
        full_ms: list[float] = []
        for index in range(EDITS):
            note_id = ids[(index * 397) % len(ids)]
            note = session.notes[note_id]
            moved = replace(note, pitch_midi=min(108, note.pitch_midi + 1))
            started = time.perf_counter()
            session.commit(NoteChangeset(upserts=(EditorNote(note_id, moved),)))
            tracker.edited()
            job = save_job(tracker, project, session, time.time())
            assert job is not None
            project = after_save(project, run_save(repo, job, utc_now()))
            tracker.finished_inline(job.ticket, job.content_key)
            edit_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            followed = estimate_key_from_weights(session.pitch_class_weights)
            key_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            counted = estimate_key(session.notes.values())
            full_ms.append((time.perf_counter() - started) * 1000)
            assert followed == counted, "the running weights drifted from the notes"
        engine.dispose()
    edit, key = statistics.median(edit_ms), statistics.median(key_ms)
    full = statistics.median(full_ms)
    print(f"{count} notes, {EDITS} edits, SQLite in a temporary directory:")
    print(f"  edit applied and saved (running weights kept): median {edit:.2f} ms")
    print(f"  key from the running weights: median {key:.3f} ms, {key / edit:.1%} of the edit")
    print(f"  key counted from every note (same answer): median {full:.2f} ms, {full / edit:.0%}")


if __name__ == "__main__":
    main()

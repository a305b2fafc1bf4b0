"""Where the server's time and memory go when the editor opens and edits a large project.

Run: ``.venv/bin/python -m bench.editor_profile [NOTES ...]`` (default ``3000 20000``).
In process and without a browser, on a SQLite store in a temporary directory:

- times each step the editor's ``load`` takes: read the project, build the editing session,
  turn the notes into the rows and JSON the roll reads, encode the state change Reflex
  sends, and pickle what Reflex keeps of the state between events;
- runs the editor state's own handlers (load, also with the objects made before it frozen
  out of the collector as the served app does, a one-note move, a delete, a paste of 100,
  each saved inline as when idle) and Reflex's pickling of the whole editor state, and
  lists the functions that cost most over those edits (cProfile);
- weighs one open editor's state with ``tracemalloc``.

Prints the figures and writes ``bench/results/editor_profile.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import inspect
import io
import json
import pickle
import pstats
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import reflex as rx
from reflex.istate.data import RouterData
from reflex.utils.format import json_dumps

from bench.editor_bench import NOTE_COUNTS, bench_notes, p95
from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services import projects
from keycraft.services.container import Services, build_services, override_services
from keycraft.services.notes import roll_json
from keycraft.services.notes.edits import pedal_rows
from keycraft.services.notes.roll_events import CommandEvent, CommitEvent, NoteRow
from keycraft.services.notes.session import EditingSession
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from keycraft.state.auth import AuthState
from keycraft.state.editor import EditorState
from keycraft.state.editor_base import _compact
from keycraft.state.editor_key import EditorKeyState
from tests.support.factories import make_project, make_user

RESULTS = Path(__file__).resolve().parent / "results" / "editor_profile.json"
REPEATS = 7


def timed(step: Callable[[], object]) -> dict[str, float]:
    """Median and p95 wall time of ``step`` in ms over ``REPEATS`` runs."""
    times = []
    for _ in range(REPEATS):
        gc.collect()
        started = time.perf_counter()
        step()
        times.append((time.perf_counter() - started) * 1000)
    return {"median": round(statistics.median(times), 1), "p95": round(p95(times), 1)}


def state_bytes(count: int) -> dict[str, float]:
    """MB held by one open editor's notes: project, session, and the JSON sent to the roll."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    project = replace(make_project(make_user(), notes=0), notes=bench_notes(count))
    after_project = tracemalloc.get_traced_memory()[0]
    session = EditingSession(project.notes, project.pedals)
    after_session = tracemalloc.get_traced_memory()[0]
    notes_json = _compact(session.rows())
    after_json = tracemalloc.get_traced_memory()[0]
    pickled = pickle.dumps((session, project, notes_json))
    tracemalloc.stop()
    mb = 1024 * 1024
    return {
        "project_notes_mb": round((after_project - base) / mb, 2),
        "session_mb": round((after_session - after_project) / mb, 2),
        "notes_json_mb": round((after_json - after_session) / mb, 2),
        "total_mb": round((after_json - base) / mb, 2),
        "pickled_mb": round(len(pickled) / mb, 2),
    }


def profile(repo: SqlModelRepository, count: int) -> dict[str, object]:
    """Time each step of opening a ``count``-note project, and weigh its state."""
    user = make_user()
    repo.create_user(user)
    project = replace(make_project(user, notes=0), notes=bench_notes(count))
    repo.create_project(project)
    stored = projects.open_project(repo, user.id, project.id)
    session = EditingSession(stored.notes, stored.pedals)
    rows = session.rows()
    notes_json = _compact(rows)
    delta = {"editor_state": {"notes_json": notes_json, "pedals_json": "[]", "loaded": True}}
    steps = {
        "read_project (repository.get_project)": lambda: projects.open_project(
            repo, user.id, project.id
        ),
        "EditingSession(notes)": lambda: EditingSession(stored.notes, stored.pedals),
        "session.rows()": session.rows,
        "json of the rows (notes_json, before)": lambda: _compact(rows),
        "roll_json.notes_json (both steps, now)": lambda: roll_json.notes_json(session.notes),
        "pedal rows": lambda: _compact(pedal_rows(session.pedals)),
        "Reflex delta json (notes_json string)": lambda: json_dumps(delta),
        "pickle EditingSession": lambda: pickle.dumps(session),
        "unpickle EditingSession": lambda: pickle.loads(pickle.dumps(session)),
        "pickle Project (notes as objects)": lambda: pickle.dumps(stored),
        "pickle notes_json": lambda: pickle.dumps(notes_json),
    }
    figures: dict[str, object] = {name: timed(step) for name, step in steps.items()}
    figures["notes_json_kb"] = round(len(notes_json) / 1024, 1)
    figures["memory"] = state_bytes(count)
    return figures


def _handler_run(handler: Any, *args: Any) -> Any:
    result = handler(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def _open_editor(services: Services, count: int) -> EditorState:
    """An editor state tree, signed in, on the page of a new ``count``-note project."""
    user = services.repository.create_user(make_user())
    project = replace(make_project(user, notes=0), notes=bench_notes(count))
    services.repository.create_project(project)
    # Built as Reflex's state manager builds one (a plain ``rx.State()`` is refused outside
    # pytest).
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    path = f"/editor/{project.id}"
    root.router = RouterData.from_router_data({"pathname": path, "asPath": path})
    auth = root.get_substate(AuthState.get_full_name().split(".")[1:])
    assert isinstance(auth, AuthState)
    auth.user_id = user.id
    editor = root.get_substate(EditorState.get_full_name().split(".")[1:])
    assert isinstance(editor, EditorState)
    return editor


async def _inline(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


def edit_profile(services: Services, count: int) -> dict[str, object]:
    """Time the editor's own handlers on a ``count``-note project, and where the time goes."""
    editor = _open_editor(services, count)
    root = editor.parent_state
    assert root is not None
    key_state = root.get_substate(EditorKeyState.get_full_name().split(".")[1:])
    assert isinstance(key_state, EditorKeyState)
    started = time.perf_counter()
    _handler_run(editor.load)
    loaded = time.perf_counter()
    _handler_run(key_state.load)
    figures: dict[str, object] = {
        "EditorState.load handler": round((loaded - started) * 1000, 1),
        "EditorKeyState.load handler (key estimate)": round(
            (time.perf_counter() - loaded) * 1000, 1
        ),
    }
    # The served app freezes what it made at start-up (keycraft/api/startup_memory.py):
    # the same load with this process's objects frozen, and back.
    frozen_editor = _open_editor(services, count)
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    _handler_run(frozen_editor.load)
    figures["EditorState.load handler, start-up objects frozen"] = round(
        (time.perf_counter() - started) * 1000, 1
    )
    gc.unfreeze()
    rows = json.loads(editor.notes_json)
    seq = 0

    def move() -> None:
        nonlocal seq
        seq += 1
        first = rows[25]
        row = NoteRow(
            id=first["id"],
            start_tick=first["start_tick"],
            duration_ticks=first["duration_ticks"],
            pitch_midi=first["pitch_midi"] + seq % 2,
            velocity=first["velocity"],
        )
        event = CommitEvent(upserts=[row], removed_ids=[], unacked=0, seq=seq)
        _handler_run(editor.commit, event)

    def command(name: str) -> None:
        nonlocal seq
        seq += 1
        _handler_run(editor.command, CommandEvent(name=name, tick=0, unacked=0, seq=seq))

    def delete_one() -> None:
        _handler_run(editor.select, {"ids": [rows[100 + seq]["id"]]})
        command("delete")

    # As the bench: copy 100 notes and delete them, so a paste fits at MAX_NOTES.
    _handler_run(editor.select, {"ids": [r["id"] for r in rows[199:299]]})
    command("copy")
    command("delete")

    def paste_100() -> None:
        command("paste")
        command("delete")  # the pasted notes come back selected

    figures["move 1 note (commit + inline save)"] = timed(move)
    figures["delete 1 note (command + inline save)"] = timed(delete_one)
    figures["paste 100 + delete them (two edits)"] = timed(paste_100)
    assert editor.note_count == count - 100 - REPEATS, "an edit was refused"
    figures["Reflex pickles the editor state (disk)"] = timed(editor._serialize)
    figures["pickled editor state kb"] = round(len(editor._serialize()) / 1024)
    # Worker threads are invisible to cProfile: run what the handlers hand to threads inline.
    threaded = asyncio.to_thread
    asyncio.to_thread = _inline
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        _handler_run(editor.load)
        _handler_run(key_state.load)
        for _ in range(5):
            move()
            delete_one()
        paste_100()
        profiler.disable()
    finally:
        asyncio.to_thread = threaded
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    figures["cProfile: load, key, 5 moves, 5 deletes, paste+delete (own time)"] = [
        line for line in out.getvalue().splitlines()[5:] if line.strip()
    ]
    return figures


def main() -> None:
    """Profile each size, print and store the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=list(NOTE_COUNTS))
    counts = parser.parse_args().counts
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'profile.db'}"
        migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
        engine = make_engine(url)
        repo = SqlModelRepository(engine)
        results = {str(count): profile(repo, count) for count in counts}
        services = build_services(
            Settings(
                REPOSITORY="sqlmodel",
                DATABASE_URL=url,
                MEDIA_DIR=Path(tmp) / "media",
                APP_URL="http://localhost",
            )
        )
        override_services(services)
        for count in counts:
            results[str(count)]["edits"] = edit_profile(services, count)
        override_services(None)
        engine.dispose()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    for count, figures in results.items():
        print(f"--- {int(count):,} notes (ms: median / p95)")
        for name, value in figures.items():
            if name == "edits":
                assert isinstance(value, dict)
                for edit, figure in value.items():
                    shown = "\n      ".join(figure) if isinstance(figure, list) else figure
                    print(f"  {edit:42} {shown}")
            else:
                print(f"  {name:42} {value}")


if __name__ == "__main__":
    main()

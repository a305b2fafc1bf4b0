"""Autosave bookkeeping: one save in flight, edits during it coalesced, browser acks."""

from dataclasses import replace

from keycraft.services.domain import PedalSpan
from keycraft.services.note_chunks import NOTE_CHUNK_TICKS, note_order
from keycraft.services.notes.autosave import (
    STALE_SAVE_S,
    AutosaveTracker,
    SaveTicket,
    after_save,
    content_key,
    run_save,
    save_job,
)
from keycraft.services.notes.session import EditingSession
from keycraft.services.repository.memory import MemoryRepository
from tests.support.factories import T0, make_notes, make_project, make_user


def test_an_edit_needs_a_saver_and_a_second_edit_waits_for_it() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    assert tracker.needs_saver(0.0)
    tracker.claim(0.0)
    tracker.edited()
    assert not tracker.needs_saver(0.1)


def test_edits_arriving_during_a_save_are_saved_together_right_after() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.received(101)
    tracker.claim(0.0)
    first = tracker.begin(0.0)
    assert first == SaveTicket(edit_count=1, client_seq=101)
    for seq in (102, 103, 104):
        tracker.edited()
        tracker.received(seq)
    tracker.finished(first)
    assert tracker.dirty and tracker.saved_client_seq == 101
    second = tracker.begin(0.2)
    assert second == SaveTicket(edit_count=4, client_seq=104)
    tracker.finished(second)
    assert tracker.begin(0.3) is None
    assert not tracker.dirty and tracker.in_flight_since_s is None
    assert tracker.saved_client_seq == 104


def test_events_that_change_nothing_are_acknowledged_at_once_when_idle() -> None:
    tracker = AutosaveTracker()
    tracker.received(7)
    assert tracker.saved_client_seq == 7


def test_events_during_a_save_are_acknowledged_when_it_ends() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.received(1)
    tracker.claim(0.0)
    ticket = tracker.begin(0.0)
    assert ticket is not None
    tracker.received(2)  # a copy: nothing to save
    assert tracker.saved_client_seq == 0
    tracker.finished(ticket)
    assert tracker.saved_client_seq == 2


def test_a_failed_save_stops_the_saver_and_the_next_edit_starts_one() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.received(1)
    tracker.claim(0.0)
    assert tracker.begin(0.0) is not None
    tracker.failed()
    assert tracker.dirty and tracker.saved_client_seq == 0
    tracker.edited()
    assert tracker.needs_saver(1.0)


def test_a_saver_that_never_finished_is_replaced_after_a_while() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.claim(0.0)
    assert not tracker.needs_saver(STALE_SAVE_S - 1)
    assert tracker.needs_saver(STALE_SAVE_S + 1)


def test_reset_forgets_edits_but_keeps_browser_numbers_growing() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.received(9)
    tracker.reset()
    assert not tracker.dirty and tracker.client_seq == 9


def test_an_export_asked_for_during_a_save_runs_once_everything_is_saved() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.claim(0.0)
    first = tracker.begin(0.0)
    assert first is not None
    tracker.want_export()
    tracker.edited()  # an edit arriving while the export waits is saved before it
    assert not tracker.take_export()
    tracker.finished(first)
    assert not tracker.take_export()
    second = tracker.begin(0.1)
    assert second is not None
    tracker.finished(second)
    assert not tracker.take_export()  # the saver has not seen that it is done yet
    assert tracker.begin(0.2) is None
    assert tracker.take_export()
    assert not tracker.take_export()  # one click, one download


def test_a_failed_save_drops_the_export_waiting_for_it() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.claim(0.0)
    assert tracker.begin(0.0) is not None
    tracker.want_export()
    tracker.failed()
    assert not tracker.take_export()
    tracker.edited()
    tracker.claim(1.0)
    ticket = tracker.begin(1.0)
    assert ticket is not None
    tracker.finished(ticket)
    assert tracker.begin(1.1) is None
    assert not tracker.take_export()


def test_reset_drops_a_wanted_export() -> None:
    tracker = AutosaveTracker()
    tracker.want_export()
    tracker.reset()
    assert not tracker.take_export()


def test_an_inline_save_leaves_no_saver_running() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    tracker.received(3)
    ticket = tracker.begin(10.0)
    assert ticket is not None and tracker.in_flight_since_s == 10.0
    tracker.finished_inline(ticket)
    assert not tracker.dirty and tracker.in_flight_since_s is None
    assert tracker.saved_client_seq == 3
    tracker.edited()
    assert tracker.needs_saver(11.0)  # the next edit is not held back by a phantom saver


def test_an_edit_is_saved_inline_unless_in_a_burst_or_beside_a_running_saver() -> None:
    tracker = AutosaveTracker()
    tracker.edited()
    assert tracker.saves_inline(burst=False)
    assert not tracker.saves_inline(burst=True)
    assert tracker.start_saver(0.0)
    assert tracker.unsaved and not tracker.saves_inline(burst=False)
    assert not tracker.start_saver(0.1)  # one saver at a time
    assert tracker.start_saver(STALE_SAVE_S + 1)  # unless the running one is taken as lost


def test_a_save_job_covers_the_chunks_edited_and_the_pedal_as_they_are_when_it_begins() -> None:
    tracker = AutosaveTracker()
    project = make_project(make_user())
    session = EditingSession(make_notes(2))
    assert save_job(tracker, project, session, 0.0) is None  # nothing edited yet
    tracker.edited()
    tracker.received(5)
    session.set_pedals([PedalSpan(0, 480)])
    session.delete([next(iter(session.notes))])
    job = save_job(tracker, project, session, 0.0)
    assert job is not None and job.edit is not None
    session.paste(NOTE_CHUNK_TICKS * 5)  # after the job began: left for the next one
    assert job.ticket == SaveTicket(edit_count=1, client_seq=5)
    assert job.project is project
    assert job.edit.chunks == ((0, make_notes(2)[1:]),)
    assert job.edit.note_count == 1 and job.edit.content_changed
    assert job.pedals == (PedalSpan(0, 480),)
    assert session.take_dirty_chunks() == frozenset()


def test_a_save_job_writes_the_pedal_and_maps_only_when_they_changed() -> None:
    project = make_project(make_user())
    tracker = AutosaveTracker()
    tracker.reset(content_key(project, project.pedals))
    session = EditingSession(project.notes, project.pedals)
    session.delete([next(iter(session.notes))])
    tracker.edited()
    job = save_job(tracker, project, session, 0.0)
    assert job is not None and job.edit is not None and not job.edit.content_changed
    tracker.finished_inline(job.ticket, job.content_key)
    session.set_pedals([PedalSpan(0, 480)])
    tracker.edited()
    job = save_job(tracker, project, session, 1.0)
    assert job is not None and job.edit is not None and job.edit.content_changed


def test_an_edit_over_many_chunks_saves_every_note() -> None:
    tracker = AutosaveTracker()
    session = EditingSession()
    spread = [replace(make_notes(1)[0], start_tick=i * NOTE_CHUNK_TICKS) for i in range(60)]
    session.replace_all(spread)
    tracker.edited()
    job = save_job(tracker, make_project(make_user()), session, 0.0)
    assert job is not None and job.edit is None
    assert sorted(job.notes, key=note_order) == sorted(spread, key=note_order)
    assert len(job.chunk_indexes) == 60


def test_a_failed_save_gives_its_chunks_back_to_the_session() -> None:
    session = EditingSession(make_notes(3))
    session.delete([next(iter(session.notes))])
    taken = session.take_dirty_chunks()
    session.restore_dirty_chunks(taken)
    assert session.take_dirty_chunks() == taken == frozenset({0})


def test_after_a_save_the_open_project_keeps_its_fields_and_takes_the_stored_version() -> None:
    stored = make_project(make_user())
    renamed = replace(stored, title="Renamed meanwhile", tempo_bpm=72.0)
    saved = replace(stored, version=stored.version + 1, updated_at=T0, pedals=(PedalSpan(0, 9),))
    after = after_save(renamed, saved)
    assert (after.title, after.tempo_bpm) == ("Renamed meanwhile", 72.0)
    assert (after.version, after.pedals) == (saved.version, saved.pedals)


def test_saves_of_edits_reload_as_the_session_shows_them() -> None:
    repo = MemoryRepository()
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, notes=400))
    tracker = AutosaveTracker()
    tracker.reset(content_key(project, project.pedals))
    session = EditingSession(project.notes, project.pedals)
    ids = list(session.notes)
    edits = [
        lambda: session.transpose(ids[:3], 2),
        lambda: session.delete(ids[200:205]),
        lambda: session.paste(NOTE_CHUNK_TICKS * 2),
        lambda: session.undo(),
        lambda: session.set_pedals([PedalSpan(0, 960)]),
    ]
    session.copy(ids[390:])
    for number, edit in enumerate(edits, start=1):
        edit()
        tracker.edited()
        job = save_job(tracker, project, session, float(number))
        assert job is not None
        project = after_save(project, run_save(repo, job, T0))
        tracker.finished_inline(job.ticket, job.content_key)
    stored = repo.get_project(user.id, project.id)
    assert stored is not None
    assert stored.notes == tuple(sorted(session.notes.values(), key=note_order))
    assert stored.pedals == session.pedals == (PedalSpan(0, 960),)


def test_a_tracker_stored_before_content_keys_writes_the_content_once() -> None:
    tracker = AutosaveTracker()
    del tracker.stored_content_key  # as unpickled from a state stored by an older release
    session = EditingSession(make_notes(2))
    session.delete([next(iter(session.notes))])
    tracker.edited()
    job = save_job(tracker, make_project(make_user()), session, 0.0)
    assert job is not None and job.edit is not None and job.edit.content_changed
    tracker.finished_inline(job.ticket, job.content_key)
    assert tracker.stored_content_key == job.content_key

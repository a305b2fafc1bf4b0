"""Re-transcribing chosen bars as a job: which slice is sent, which bars the notes replace."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime

from keycraft.services import projects
from keycraft.services.domain import Note, PedalSpan, Project
from keycraft.services.jobs.model import TranscriptionJob
from keycraft.services.notes.beat_map import first_downbeat_tick
from keycraft.services.notes.pedal import replace_pedal_range
from keycraft.services.notes.timing import (
    bar_position,
    bar_start_tick,
    seconds_to_tick,
    tick_to_seconds,
)
from keycraft.services.repository.port import Repository
from keycraft.services.transcription.audio_slice import AudioSlice, notes_in_range, slice_recording
from keycraft.services.transcription.client import TranscribedNote, TranscribedPedal
from keycraft.services.transcription.recordings import (
    notes_from_transcription,
    pedals_from_transcription,
)

RANGE_OPTION = "range"
"""The key of a job's options that makes it a re-transcription of some bars."""
EARLY_S = 0.05
"""A note heard up to this long before a bar line is that bar's first note, heard a little
early (a transcription's bar lines sit on the downbeats heard, and a chord's onsets spread by
tens of milliseconds). So on both edges of the range a note belongs to the bar after the line:
re-transcribing a bar never drops its first note, nor takes the next bar's."""


@dataclass(frozen=True, slots=True)
class BarRange:
    """Bars ``first_bar``–``last_bar`` of a project, in its score and in its recording.

    ``[start_tick, end_tick)`` in the score; ``[start_s, end_s)`` in the recording, through
    the project's tempo map.
    """

    first_bar: int
    last_bar: int
    start_tick: int
    end_tick: int
    start_s: float
    end_s: float


def bar_range(project: Project, first_bar: int, end_bar: int) -> BarRange:
    """Bars ``first_bar`` up to (not including) ``end_bar`` of the project, as numbered.

    The editor numbers bars from 1 on the first downbeat heard (``timing.bar_position``).
    The recording's times follow the project's tempo map: the recording plays in real
    seconds whatever the score's tempo says.
    """
    signatures = project.time_signature_map
    first_bar_tick = max(0, first_downbeat_tick(project.beat_track, project.tempo_map))
    first = max(bar_position(0, signatures, first_bar_tick).bar_number, first_bar)
    end = max(first + 1, end_bar)
    start_tick = bar_start_tick(first, signatures, first_bar_tick)
    end_tick = bar_start_tick(end, signatures, first_bar_tick)
    tempo_map = project.tempo_map
    return BarRange(
        first_bar=first,
        last_bar=end - 1,
        start_tick=start_tick,
        end_tick=end_tick,
        start_s=tick_to_seconds(start_tick, tempo_map),
        end_s=tick_to_seconds(end_tick, tempo_map),
    )


def range_option(bars: BarRange) -> dict[str, object]:
    """The range as stored in a job's options (JSON)."""
    return {RANGE_OPTION: asdict(bars)}


def range_of(job: TranscriptionJob) -> BarRange | None:
    """The bars a job re-transcribes, or None for a whole recording."""
    value = job.options.get(RANGE_OPTION)
    if not isinstance(value, dict):
        return None
    return BarRange(
        first_bar=int(value["first_bar"]),
        last_bar=int(value["last_bar"]),
        start_tick=int(value["start_tick"]),
        end_tick=int(value["end_tick"]),
        start_s=float(value["start_s"]),
        end_s=float(value["end_s"]),
    )


def slice_for(audio: bytes, recording_key: str, bars: BarRange) -> AudioSlice:
    """The part of the recording under the bars (with a little context either side).

    Raises:
        UndecodableRecording, RangeOutsideRecording.
    """
    suffix = recording_key[recording_key.rfind(".") :]
    return slice_recording(audio, suffix, bars.start_s, bars.end_s)


def placed_notes(
    heard: Iterable[TranscribedNote], piece: AudioSlice, bars: BarRange, project: Project
) -> list[Note]:
    """The slice's notes that start inside the bars (``EARLY_S``), on the project's tempo map."""
    inside = notes_in_range(list(heard), piece, *_onsets_s(bars))
    return notes_from_transcription(inside, project.tempo_bpm, tempo_changes=project.tempo_changes)


def _onsets_s(bars: BarRange) -> tuple[float, float]:
    """Where the notes of the bars start in the recording: their lines, ``EARLY_S`` earlier."""
    return max(0.0, bars.start_s - EARLY_S), max(0.0, bars.end_s - EARLY_S)


def _onset_ticks(project: Project, bars: BarRange) -> tuple[int, int]:
    """``_onsets_s`` on the project's tempo map."""
    start_s, end_s = _onsets_s(bars)
    tempo_map = project.tempo_map
    return round(seconds_to_tick(start_s, tempo_map)), round(seconds_to_tick(end_s, tempo_map))


def placed_pedals(
    heard: Iterable[TranscribedPedal], piece: AudioSlice, bars: BarRange, project: Project
) -> tuple[PedalSpan, ...]:
    """The slice's sustain-pedal spans in recording time, on the project's tempo map.

    They are not cut to the bars here: ``replace_saved_range`` does, by ticks.
    """
    moved = [TranscribedPedal(p.start_s + piece.offset_s, p.end_s + piece.offset_s) for p in heard]
    return pedals_from_transcription(moved, project.tempo_bpm, tempo_changes=project.tempo_changes)


def replace_saved_range(
    repo: Repository,
    project: Project,
    bars: BarRange,
    notes: Iterable[Note],
    now: datetime,
    pedals: Iterable[PedalSpan] = (),
) -> int:
    """Save ``project`` with the notes starting in the bars swapped for ``notes`` there.

    Notes outside the bars (a learner's own edits) are kept; incoming notes outside them
    are ignored (a note belongs to the bar its onset is in, ``EARLY_S`` early). The pedal
    inside the bars is swapped for ``pedals`` cut to the bars; spans crossing a bar edge
    keep their part outside (``replace_pedal_range``). Replaying it with
    the same notes gives the same project. Returns how many notes came in.

    Raises:
        Conflict: the project was saved since it was read (read it again and retry).
        NotFound: the project is gone.
    """
    start, end = _onset_ticks(project, bars)
    inside = [n for n in notes if start <= n.start_tick < end]
    kept = [n for n in project.notes if not start <= n.start_tick < end]
    pedal = replace_pedal_range(project.pedals, pedals, bars.start_tick, bars.end_tick)
    projects.save_content(repo, project, [*kept, *inside], now, pedals=pedal)
    return len(inside)

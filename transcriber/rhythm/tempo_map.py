"""A MIDI tempo map that follows the beats: one beat per beat unit, bar lines on downbeats.

The span before the first beat becomes whole beats at the pace it takes (at least one), so
the first beat falls on a beat of the file; beats before the first downbeat (and those lead
beats) make a short first bar, e.g. a 1/4 bar before bars of 3/4.
"""

from __future__ import annotations

from dataclasses import dataclass

from transcriber.domain import Beat, Meter

WHOLE_NOTE_QUARTERS = 4
_LEAD_MIN_S = 1e-3
"""A first beat this close to the start needs no lead beat."""


@dataclass(frozen=True)
class TempoChange:
    """From ``tick`` on, each tick lasts ``seconds_per_tick``."""

    tick: int
    seconds_per_tick: float


@dataclass(frozen=True)
class TimeSignatureChange:
    """From ``tick`` on, bars of ``beats_per_bar`` beats of ``beat_unit``."""

    tick: int
    beats_per_bar: int
    beat_unit: int


@dataclass(frozen=True)
class TempoMap:
    """Tempo and time-signature changes in ticks, and the seconds of each change's tick."""

    tempos: list[TempoChange]
    time_signatures: list[TimeSignatureChange]
    ticks_per_beat: int

    def seconds_at(self, tick: int) -> float:
        """Seconds of ``tick`` on this map."""
        seconds = 0.0
        for change, following in zip(self.tempos, [*self.tempos[1:], None], strict=True):
            end = tick if following is None else min(tick, following.tick)
            if end <= change.tick:
                break
            seconds += (end - change.tick) * change.seconds_per_tick
        return seconds


def tempo_map(beats: list[Beat], meter: Meter, ticks_per_quarter: int) -> TempoMap:
    """The tempo map of ``beats`` (at least two, in time order) in ``meter``.

    Args:
        beats: The beats heard, downbeats marked.
        meter: Their time signature; one beat lasts one ``meter.beat_unit``.
        ticks_per_quarter: The MIDI file's resolution.

    Returns:
        Tempo changes at every beat and the time signatures (a pickup bar first if needed).
    """
    per_beat = ticks_per_quarter * WHOLE_NOTE_QUARTERS // meter.beat_unit
    times = [b.time_s for b in beats]
    first_gap_s = times[1] - times[0]
    lead = 0 if times[0] < _LEAD_MIN_S else max(1, round(times[0] / first_gap_s))
    tempos: list[TempoChange] = []
    if lead:
        tempos.append(TempoChange(0, times[0] / lead / per_beat))
    for i, (now, then) in enumerate(zip(times[:-1], times[1:], strict=True)):
        tempos.append(TempoChange((lead + i) * per_beat, (then - now) / per_beat))
    first_downbeat = next((i for i, b in enumerate(beats) if b.downbeat), 0)
    pickup = (lead + first_downbeat) % meter.beats_per_bar
    signatures = [TimeSignatureChange(0, meter.beats_per_bar, meter.beat_unit)]
    if pickup:
        signatures = [
            TimeSignatureChange(0, pickup, meter.beat_unit),
            TimeSignatureChange(pickup * per_beat, meter.beats_per_bar, meter.beat_unit),
        ]
    return TempoMap(tempos, signatures, per_beat)

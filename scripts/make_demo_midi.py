"""Writes assets/demo/minuet-in-g.mid: the first eight bars of the Minuet in G (BWV Anh. 114).

Run once with ``.venv/bin/python scripts/make_demo_midi.py``; the file is committed. It is the
score that ``make_demo_recording.py`` renders and transcribes for the landing page's demo.
"""

from __future__ import annotations

from pathlib import Path

import mido

TICKS_PER_QUARTER = 480
TEMPO_BPM = 120
E, Q, H, DH = 240, 480, 960, 1440  # eighth, quarter, half, dotted half, in ticks

# (pitch_midi, duration_ticks) in order; each hand starts at tick 0 and plays legato.
RIGHT_HAND = [
    (74, Q),
    (67, E),
    (69, E),
    (71, E),
    (72, E),
    (74, Q),
    (67, Q),
    (67, Q),
    (76, Q),
    (72, E),
    (74, E),
    (76, E),
    (78, E),
    (79, Q),
    (67, Q),
    (67, Q),
    (72, Q),
    (74, E),
    (72, E),
    (71, E),
    (69, E),
    (71, Q),
    (72, E),
    (71, E),
    (69, E),
    (67, E),
    (66, Q),
    (67, E),
    (69, E),
    (71, E),
    (67, E),
    (69, DH),
]
LEFT_HAND = [
    (55, H),
    (57, Q),
    (59, DH),
    (60, DH),
    (59, DH),
    (57, DH),
    (55, DH),
    (62, Q),
    (59, Q),
    (55, Q),
    (62, Q),
    (50, Q),
    (54, Q),
]


def _events(hand: list[tuple[int, int]], velocity: int) -> list[tuple[int, mido.Message]]:
    events, tick = [], 0
    for pitch, duration in hand:
        events.append((tick, mido.Message("note_on", note=pitch, velocity=velocity)))
        events.append((tick + duration - 10, mido.Message("note_off", note=pitch, velocity=0)))
        tick += duration
    return events


def main() -> None:
    """Write the file next to the other static assets."""
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name="Minuet in G (bars 1-8)", time=0))
    track.append(mido.MetaMessage("time_signature", numerator=3, denominator=4, time=0))
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(TEMPO_BPM), time=0))
    now = 0
    for tick, message in sorted(
        _events(RIGHT_HAND, 84) + _events(LEFT_HAND, 64), key=lambda e: e[0]
    ):
        track.append(message.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    song = mido.MidiFile(ticks_per_beat=TICKS_PER_QUARTER)
    song.tracks.append(track)
    out = Path(__file__).resolve().parent.parent / "assets" / "demo" / "minuet-in-g.mid"
    song.save(out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

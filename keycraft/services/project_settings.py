"""How a learner left a project: loop, metronome, practice speed, mixer and view settings."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

MIN_PRACTICE_SPEED_PERCENT = 50
MAX_PRACTICE_SPEED_PERCENT = 100
MIN_PX_PER_BEAT, MAX_PX_PER_BEAT = 12.0, 800.0
"""The roll's horizontal zoom range (``piano_roll.jsx`` clamps to the same)."""
MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX = 5.0, 32.0
"""The roll's row-height range."""
MIN_VOLUME_DB, MAX_VOLUME_DB = -40.0, 6.0
DEFAULT_SNAP = "1/16"
SNAP_KEYS = ("1/4", "1/8", "1/16", "1/32", "1/4T", "1/8T", "1/16T", "off")
"""The snap grids a setting may name (``services/notes/grid.py``)."""
DEFAULT_LOOP_END_TICK = 4 * 1920
"""Four bars of 4/4 at 480 ticks per quarter."""


@dataclass(frozen=True, slots=True)
class ProjectSettings:
    """Practice and view settings kept with a project; every field has a safe default.

    Ticks are at 480 per quarter; the loop is ``[loop_start_tick, loop_end_tick)``.
    """

    loop_enabled: bool = False
    loop_start_tick: int = 0
    loop_end_tick: int = DEFAULT_LOOP_END_TICK
    metronome: bool = False
    practice_speed_percent: int = MAX_PRACTICE_SPEED_PERCENT
    px_per_beat: float = 96.0
    key_height_px: float = 12.0
    snap: str = DEFAULT_SNAP
    show_note_names: bool = False
    volume_db: float = -6.0
    midi_muted: bool = False
    audio_muted: bool = False

    @property
    def practice_speed(self) -> float:
        """The practice speed as a playback rate (0.5 to 1.0)."""
        return self.practice_speed_percent / 100


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def clean_settings(settings: ProjectSettings) -> ProjectSettings:
    """Return ``settings`` with every value brought into its allowed range.

    An unknown snap key becomes the default; a loop is never empty nor before tick 0.
    """
    start = max(0, int(settings.loop_start_tick))
    end = max(start + 1, int(settings.loop_end_tick))
    return replace(
        settings,
        loop_start_tick=start,
        loop_end_tick=end,
        practice_speed_percent=int(
            _clamp(
                round(settings.practice_speed_percent),
                MIN_PRACTICE_SPEED_PERCENT,
                MAX_PRACTICE_SPEED_PERCENT,
            )
        ),
        px_per_beat=_clamp(float(settings.px_per_beat), MIN_PX_PER_BEAT, MAX_PX_PER_BEAT),
        key_height_px=_clamp(float(settings.key_height_px), MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX),
        snap=settings.snap if settings.snap in SNAP_KEYS else DEFAULT_SNAP,
        volume_db=_clamp(float(settings.volume_db), MIN_VOLUME_DB, MAX_VOLUME_DB),
    )


def encode_settings(settings: ProjectSettings) -> str:
    """Pack settings as compact JSON for storage (a few hundred bytes)."""
    return json.dumps(asdict(settings), separators=(",", ":"), sort_keys=True)


def _typed(value: Any, default: Any) -> Any:
    """``value`` as the type of the field's default, or the default when it is not one."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    if isinstance(default, int):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return int(value) if ok else default
    if isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return float(value) if ok else default
    return value if isinstance(value, str) else default


def decode_settings(text: str | None) -> ProjectSettings:
    """Inverse of :func:`encode_settings`, forgiving: missing, unknown or bad values fall back.

    Projects stored before settings existed (empty text or ``{}``) read as the defaults.
    """
    try:
        raw = json.loads(text) if text else {}
    except ValueError:
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    defaults = ProjectSettings()
    values = {
        f.name: _typed(raw.get(f.name), getattr(defaults, f.name)) for f in fields(ProjectSettings)
    }
    return clean_settings(ProjectSettings(**values))


def speed_percent_for_tempo(tempo_bpm: float, wanted_tempo_bpm: float) -> int | None:
    """The practice speed that makes a piece at ``tempo_bpm`` sound at ``wanted_tempo_bpm``.

    Returns None when that speed is outside the practice range (50 to 100 %), e.g. faster.
    """
    if tempo_bpm <= 0 or not math.isfinite(wanted_tempo_bpm):
        return None
    percent = round(wanted_tempo_bpm / tempo_bpm * 100)
    if MIN_PRACTICE_SPEED_PERCENT <= percent <= MAX_PRACTICE_SPEED_PERCENT:
        return percent
    return None

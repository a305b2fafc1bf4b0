"""A MIDI file's tempo and time-signature changes through the editor: shown, played, exported."""

from __future__ import annotations

import io

import mido
import pytest
from playwright.sync_api import Page, expect

from keycraft.services.domain import TempoChange, TimeSignatureChange
from keycraft.services.notes.midi_io import import_midi
from keycraft.services.notes.timing import bar_lines, tick_to_seconds
from tests.e2e.conftest import ConsoleLog
from tests.e2e.test_editor import SCREENSHOTS, _open, _seed, _stored, _wait_for, user_page
from tests.support.app_server import RunningApp

__all__ = ["user_page"]  # the signed-in page fixture, shared with test_editor

# At 240 pulses per quarter; the editor reads them at 480.
TEMPOS_AT_240_PPQ = ((0, 100), (720, 75), (1440, 150), (2880, 96))
TEMPO_MAP = ((0, 100.0), (1440, 75.0), (2880, 150.0), (5760, 96.0))
SIGNATURE_MAP = ((0, 3, 4), (2880, 4, 4))


LOOPED_ONCE = """() => {
  // clickTicks() hands over what was logged since the last call: keep it across polls.
  window.__loopClicks = (window.__loopClicks || []).concat(window.__keycraft.clickTicks());
  return window.__loopClicks.filter((tick) => tick === 2880).length >= 2;
}"""


def _midi_with_maps() -> bytes:
    """One piano track under a conductor: three tempo changes and 3/4 → 4/4 at bar 3."""
    midi = mido.MidiFile(type=1, ticks_per_beat=240)
    conductor = mido.MidiTrack()
    previous = 0
    events = [
        (t, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(b))) for t, b in TEMPOS_AT_240_PPQ
    ]
    events += [
        (0, mido.MetaMessage("time_signature", numerator=3, denominator=4)),
        (1440, mido.MetaMessage("time_signature", numerator=4, denominator=4)),
    ]
    for tick, message in sorted(events, key=lambda e: e[0]):
        conductor.append(message.copy(time=tick - previous))
        previous = tick
    piano = mido.MidiTrack()
    for i in range(40):  # an eighth-note line across every tempo and both metres
        piano.append(mido.Message("note_on", note=60 + i % 12, velocity=60 + i, time=0))
        piano.append(mido.Message("note_off", note=60 + i % 12, time=120))
    midi.tracks.extend([conductor, piano])
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _tempo_map(rows: tuple[tuple[int, float], ...]) -> tuple[TempoChange, ...]:
    return tuple(TempoChange(t, b) for t, b in rows)


def test_imported_tempo_and_metre_maps_drive_the_roll_playback_and_export(
    app: RunningApp, user_page: tuple[Page, str], console: ConsoleLog
) -> None:
    page, user_id = user_page
    project_id = _seed(app, user_id, ())
    _open(page, app, project_id)
    data = _midi_with_maps()
    page.get_by_test_id("import-midi").set_input_files(
        {"name": "maps.mid", "mimeType": "audio/midi", "buffer": data}
    )
    expect(page.get_by_test_id("note-count")).to_have_text("40")

    # Shown: the first tempo and metre, and what the later changes do.
    expect(page.get_by_test_id("tempo")).to_have_value("100")
    expect(page.get_by_test_id("time-signature")).to_have_text("3/4")
    expect(page.get_by_test_id("tempo-map-note")).to_have_text(
        "3 later tempo changes scale with this tempo"
    )
    expect(page.get_by_test_id("time-signature-map-note")).to_have_text(
        "until the first of 1 metre change"
    )
    page.wait_for_function("window.__keycraft.tempoMap.length === 4")
    assert page.evaluate("window.__keycraft.tempoMap") == [list(r) for r in TEMPO_MAP]
    assert page.evaluate("window.__keycraft.timeSignatureMap") == [list(r) for r in SIGNATURE_MAP]

    # Stored as imported.
    _wait_for(lambda: _stored(app, user_id, project_id).tempo_map == _tempo_map(TEMPO_MAP), "map")
    stored = _stored(app, user_id, project_id)
    assert stored.notes == import_midi(data).notes
    assert stored.time_signature_map == tuple(TimeSignatureChange(*r) for r in SIGNATURE_MAP)

    # The roll's tick↔seconds and bars are the Python ones.
    tempo_map = _tempo_map(TEMPO_MAP)
    signature_map = stored.time_signature_map
    for tick in (0, 1, 1439, 1440, 2000, 2880, 5759, 5760, 9000):
        seconds = page.evaluate(f"window.__keycraft.secondsAtTick({tick})")
        assert seconds == pytest.approx(tick_to_seconds(tick, tempo_map), rel=1e-12, abs=1e-12)
        assert page.evaluate(f"window.__keycraft.tickAtSeconds({seconds})") == pytest.approx(tick)
    bars = page.evaluate("window.__keycraft.barLines(9600)")
    assert [(b["bar"], b["tick"]) for b in bars] == [
        (line.bar_number, line.tick) for line in bar_lines(signature_map, 9600)
    ]
    assert [b["tick"] for b in bars] == [0, 1440, 2880, 4800, 6720, 8640]
    page.screenshot(path=str(SCREENSHOTS / "editor-tempo-map.png"))

    # Loop bars 3–4 (the first 4/4 bar): loop points, playhead and clicks follow the maps.
    page.get_by_label("Loop start bar").fill("3")
    page.get_by_label("Loop end bar").fill("4")
    page.get_by_test_id("metronome").click()
    page.get_by_test_id("loop").click()
    expect(page.get_by_test_id("loop")).to_be_checked()
    page.get_by_test_id("stop").click()  # with the loop on, stop goes to its start
    page.wait_for_function("window.__keycraft.playheadTick === 2880")
    page.evaluate("window.__keycraft.clickTicks()")
    page.get_by_test_id("play").click()
    page.wait_for_function("window.__keycraft.transportState === 'started'")
    loop_s = page.evaluate("window.__keycraft.transportLoopSeconds")
    assert loop_s[0] == pytest.approx(tick_to_seconds(2880, tempo_map), abs=0.001)
    assert loop_s[1] == pytest.approx(tick_to_seconds(4800, tempo_map), abs=0.001)
    # Bar 3 lasts 1.6 s at 150 BPM: wait until its first beat has clicked a second time.
    page.wait_for_function(LOOPED_ONCE)
    tick_and_s = page.evaluate(
        "[window.__keycraft.playheadTick, window.__keycraft.transportSeconds]"
    )
    page.get_by_test_id("play").click()
    playhead_tick, transport_s = tick_and_s
    assert 2880 <= playhead_tick < 4800
    lag_s = transport_s - tick_to_seconds(playhead_tick, tempo_map)
    assert -0.002 <= lag_s < 0.1  # the playhead trails the clock by at most a frame or so
    clicks = page.evaluate("window.__loopClicks.concat(window.__keycraft.clickTicks())")
    assert clicks[:4] == [2880, 3360, 3840, 4320]
    assert clicks.count(2880) >= 2 and set(clicks) <= {2880, 3360, 3840, 4320}

    # A new first tempo scales the whole map.
    page.get_by_test_id("tempo").fill("50")
    page.get_by_test_id("tempo").blur()
    scaled = ((0, 50.0), (1440, 37.5), (2880, 75.0), (5760, 48.0))
    _wait_for(lambda: _stored(app, user_id, project_id).tempo_map == _tempo_map(scaled), "scaled")
    page.wait_for_function("window.__keycraft.tempoMap[1][1] === 37.5")
    assert page.evaluate("window.__keycraft.tempoMap") == [list(r) for r in scaled]
    assert page.evaluate("window.__keycraft.secondsAtTick(5760)") == pytest.approx(
        tick_to_seconds(5760, _tempo_map(scaled))
    )

    # Export: the file holds the editor's notes and both maps exactly.
    with page.expect_download() as download_info:
        page.get_by_test_id("export-midi").click()
    exported = import_midi(download_info.value.path().read_bytes())
    stored = _stored(app, user_id, project_id)
    assert exported.notes == stored.notes
    assert (exported.tempo_bpm, *exported.tempo_changes) == (50.0, *_tempo_map(scaled)[1:])
    assert exported.time_signature_changes == stored.time_signature_changes
    assert exported.time_signature == stored.time_signature
    assert console.errors == []

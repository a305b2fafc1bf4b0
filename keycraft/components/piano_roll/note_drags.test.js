// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { pitchToY, tickToX } from "./geometry.js";
import { RESIZE_EDGE_PX, bandSelection, changedNoteIds, moveOffsets, noteAt, resizeDeltaTicks, resizedNote } from "./note_drags.js";

// 96 px a quarter, 12 px a key: a quarter note is 96 px wide and 12 px tall.
const VIEW = { scrollXPx: 0, scrollYPx: 0, pxPerBeat: 96, keyHeightPx: 12 };
const note = (start_tick, duration_ticks, pitch_midi) => ({ start_tick, duration_ticks, pitch_midi, velocity: 90 });
const NOTES = new Map([["c", note(0, 480, 60)], ["e", note(480, 480, 64)], ["g", note(960, 10, 67)], ["c2", note(240, 480, 60)]]);
const rowMiddle = (pitch) => pitchToY(VIEW, pitch) + 6;

describe("hit testing", () => {
  test("a press on a note finds it; the last drawn wins where notes overlap", () => {
    expect(noteAt(NOTES, VIEW, tickToX(VIEW, 100), rowMiddle(60)).id).toBe("c");
    expect(noteAt(NOTES, VIEW, tickToX(VIEW, 300), rowMiddle(60)).id).toBe("c2");
    expect(noteAt(NOTES, VIEW, tickToX(VIEW, 100), rowMiddle(61))).toBeNull();
  });

  test("the end of a wide note resizes; a tiny note is still grabbable and only moves", () => {
    const end = tickToX(VIEW, 960);
    expect(noteAt(NOTES, VIEW, end - RESIZE_EDGE_PX, rowMiddle(64)).nearEnd).toBe(true);
    expect(noteAt(NOTES, VIEW, end - RESIZE_EDGE_PX - 1, rowMiddle(64)).nearEnd).toBe(false);
    const tiny = noteAt(NOTES, VIEW, tickToX(VIEW, 960) + 3, rowMiddle(67));
    expect([tiny.id, tiny.nearEnd]).toEqual(["g", false]);
  });

  test("a band selects notes sounding in its span on the rows it covers, keeping the base", () => {
    const band = { x0: tickToX(VIEW, 500), y0: rowMiddle(64), x1: tickToX(VIEW, 400), y1: rowMiddle(60) };
    expect([...bandSelection(NOTES, VIEW, band, new Set())].sort()).toEqual(["c", "c2", "e"]);
    expect([...bandSelection(NOTES, VIEW, { ...band, y0: rowMiddle(67), y1: rowMiddle(67) }, new Set(["c"]))]).toEqual(["c"]);
  });
});

describe("moving and resizing", () => {
  const origins = new Map([["c", NOTES.get("c")], ["e", NOTES.get("e")]]);

  test("a move follows the pointer on the grid, in ticks and semitones", () => {
    expect(moveOffsets(origins, NOTES.get("e"), 500, 64, 500 + 250, 66, 120)).toEqual({ deltaTicks: 240, deltaPitch: 2 });
    expect(moveOffsets(origins, NOTES.get("e"), 500, 64, 500 + 7.4, 64, 0)).toEqual({ deltaTicks: 7, deltaPitch: 0 });
  });

  test("no note of the group goes before tick 0 or off the MIDI range", () => {
    // The note at tick 0 stops the group (-0 is no move either).
    const offsets = moveOffsets(origins, NOTES.get("e"), 500, 64, 0, 200, 120);
    expect([Math.abs(offsets.deltaTicks), offsets.deltaPitch]).toEqual([0, 63]);
    expect(moveOffsets(origins, NOTES.get("e"), 500, 64, 500, -5, 0).deltaPitch).toBe(-60);
  });

  test("a resize ends the anchor at the pointer, never shorter than a step", () => {
    const anchor = NOTES.get("e");
    expect(resizeDeltaTicks(anchor, 1490, 120)).toBe(1440 - 960);
    expect(resizedNote(anchor, -1000, 120).duration_ticks).toBe(120);
    expect(resizedNote(anchor, -1000, 0).duration_ticks).toBe(1);
    expect(resizedNote(anchor, 5, 0)).toEqual({ ...anchor, duration_ticks: 485 });
  });

  test("only notes that changed are committed, unless the drag drew the note", () => {
    const notes = new Map(NOTES);
    notes.set("e", { ...NOTES.get("e"), start_tick: 600 });
    notes.set("c", { ...NOTES.get("c"), velocity: 10 });
    expect(changedNoteIds(origins, notes, false)).toEqual(["e"]);
    expect(changedNoteIds(origins, notes, true)).toEqual(["c", "e"]);
  });
});

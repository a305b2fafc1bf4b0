// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { barTicksAt, contentEndTick, createRollState, drawLengthOf, hasUnsaved, heardSpeed, meterMapOf, nextSeq, noteOfRow, noteRow, openingScrollYPx, stepTicksOf, tempoMapOf, unackedCount } from "./roll_state.js";
import { applyNotePatch, parseJson } from "./roll_edits.js";
import { parseTimeSignatureMap } from "./timing.js";
import { HIGHEST_PITCH } from "./geometry.js";

describe("the roll's parts", () => {
  test("are named and start empty", () => {
    const roll = createRollState({ tool: "select", patchSeq: 3, nowMs: 1000 });
    expect(Object.keys(roll).sort()).toEqual(["frame", "gesture", "keyboard", "loop", "maps", "playback", "props", "saving", "score", "selection", "timers", "view"]);
    expect(roll.score.notes.size).toBe(0);
    expect(roll.selection.noteIds.size).toBe(0);
    expect(roll.gesture.tool).toBe("select");
    expect(roll.saving.appliedPatchSeq).toBe(3);
    expect(roll.saving.seq).toBe(1000000);
    expect(roll.frame.dirty).toBe(true);
  });

  test("notes and rows convert both ways", () => {
    const row = { id: "n1", start_tick: 480, duration_ticks: 240, pitch_midi: 62, velocity: 77 };
    expect(noteRow("n1", noteOfRow(row))).toEqual(row);
    expect(noteOfRow({ ...row, extra: 1 })).toEqual({ start_tick: 480, duration_ticks: 240, pitch_midi: 62, velocity: 77 });
  });
});

describe("unsaved edits", () => {
  test("each event takes the next sequence number; acks say what is saved", () => {
    const { saving } = createRollState({ tool: "draw", patchSeq: 0, nowMs: 5 });
    expect(unackedCount(saving, 0)).toBe(0);
    expect(hasUnsaved(saving, 0)).toBe(false);
    expect(nextSeq(saving)).toBe(5001);
    expect(nextSeq(saving)).toBe(5002);
    expect(hasUnsaved(saving, 5001)).toBe(true);
    expect(unackedCount(saving, 5001)).toBe(1);
    expect(hasUnsaved(saving, 5002)).toBe(false);
  });

  test("acks from an earlier page load count as nothing pending", () => {
    const { saving } = createRollState({ tool: "draw", patchSeq: 0, nowMs: 5 });
    nextSeq(saving);
    // An old ack far below this load's numbers.
    expect(unackedCount(saving, 17)).toBe(1);
  });
});

describe("maps and lengths from the props", () => {
  test("the tempo map is parsed once per change and follows the practice speed", () => {
    const maps = { tempoKey: null, tempo: null, meterKey: null, meter: null };
    const props = { tempoMapJson: "", tempoBpm: 100, practiceSpeed: 1 };
    const first = tempoMapOf(maps, props);
    expect(tempoMapOf(maps, { ...props })).toBe(first);
    const slow = tempoMapOf(maps, { ...props, practiceSpeed: 0.5 });
    expect(slow).not.toBe(first);
    expect(slow[0].bpm).toBe(50);
    expect(slow[0].writtenBpm).toBe(100);
  });

  test("the practice speed stays between half and full", () => {
    expect(heardSpeed({ practiceSpeed: 0.2 })).toBe(0.5);
    expect(heardSpeed({ practiceSpeed: 2 })).toBe(1);
    expect(heardSpeed({})).toBe(1);
  });

  test("the metre map, bar lengths and how far the scrollbars reach", () => {
    const maps = { tempoKey: null, tempo: null, meterKey: null, meter: null };
    const meter = meterMapOf(maps, { timeSignatureMapJson: "[[0, 4, 4], [1920, 3, 4]]", beatsPerBar: 4, beatUnit: 4 });
    expect(meterMapOf(maps, { timeSignatureMapJson: "[[0, 4, 4], [1920, 3, 4]]", beatsPerBar: 4, beatUnit: 4 })).toBe(meter);
    expect(barTicksAt(meter, 0)).toBe(1920);
    expect(barTicksAt(meter, 2000)).toBe(1440);
    const off = { enabled: false, start: 0, end: 0 };
    expect(contentEndTick(parseTimeSignatureMap("", 4, 4), 1000, off, 0)).toBe(1000 + 4 * 1920);
    expect(contentEndTick(parseTimeSignatureMap("", 4, 4), 1000, { enabled: true, start: 0, end: 5000 }, 0)).toBe(5000 + 4 * 1920);
    expect(contentEndTick(parseTimeSignatureMap("", 4, 4), 1000, off, 9000)).toBe(9000 + 4 * 1920);
  });

  test("snapping off draws sixteenths", () => {
    expect(stepTicksOf({ snapTicks: 240 })).toBe(240);
    expect(stepTicksOf({ snapTicks: 0 })).toBe(0);
    expect(drawLengthOf({ snapTicks: 240 })).toBe(240);
    expect(drawLengthOf({ snapTicks: 0 })).toBe(120);
  });

  test("a piece opens with its notes' mean pitch mid-view; an empty one at the sixth octave", () => {
    const view = { keyHeightPx: 10 };
    const notes = new Map([["a", { pitch_midi: 60 }], ["b", { pitch_midi: 70 }]]);
    expect(openingScrollYPx(notes, view, 20, HIGHEST_PITCH)).toBe((HIGHEST_PITCH - 65 - 10) * 10);
    expect(openingScrollYPx(new Map([["a", { pitch_midi: 105 }]]), view, 20, HIGHEST_PITCH)).toBe(0);
    expect(openingScrollYPx(new Map(), view, 20, HIGHEST_PITCH)).toBe((HIGHEST_PITCH - 84) * 10);
  });
});

describe("server patches", () => {
  test("removed notes leave the piece and the selection; upserts replace", () => {
    const notes = new Map([
      ["a", { start_tick: 0, duration_ticks: 10, pitch_midi: 60, velocity: 90 }],
      ["b", { start_tick: 10, duration_ticks: 10, pitch_midi: 62, velocity: 90 }],
    ]);
    const selected = applyNotePatch(notes, new Set(["a", "b"]), { removed_ids: ["a"], upserts: [{ id: "b", start_tick: 20, duration_ticks: 10, pitch_midi: 64, velocity: 50 }, { id: "c", start_tick: 0, duration_ticks: 5, pitch_midi: 40, velocity: 1 }] });
    expect([...notes.keys()]).toEqual(["b", "c"]);
    expect(notes.get("b").pitch_midi).toBe(64);
    expect([...selected]).toEqual(["b"]);
  });

  test("a patch may choose the selection", () => {
    expect([...applyNotePatch(new Map(), new Set(["x"]), { select_ids: ["y"] })]).toEqual(["y"]);
  });

  test("bad JSON is the fallback", () => {
    expect(parseJson("{", null)).toBeNull();
    expect(parseJson("", [])).toEqual([]);
    expect(parseJson('{"a": 1}', null)).toEqual({ a: 1 });
  });
});

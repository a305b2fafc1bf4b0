// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { movedNotes, openingCursorPitch } from "./roll_keyboard.js";
import { visiblePitches } from "./roll_inspect.js";
import { HIGHEST_PITCH } from "./geometry.js";

describe("the keyboard cursor", () => {
  test("starts on middle C when its row is shown, else on the middle row", () => {
    expect(openingCursorPitch(72, 30)).toBe(60);
    expect(openingCursorPitch(100, 20)).toBe(91);
    expect(openingCursorPitch(HIGHEST_PITCH + 5, 1)).toBe(HIGHEST_PITCH);
  });
});

describe("moving the selection with keys", () => {
  const notes = new Map([
    ["a", { start_tick: 0, duration_ticks: 120, pitch_midi: 60, velocity: 90 }],
    ["b", { start_tick: 240, duration_ticks: 120, pitch_midi: 127, velocity: 90 }],
  ]);

  test("every selected note moves by the same ticks and semitones", () => {
    const moved = movedNotes(notes, new Set(["a", "b"]), 120, -2);
    expect(moved.get("a")).toEqual({ start_tick: 120, duration_ticks: 120, pitch_midi: 58, velocity: 90 });
    expect(moved.get("b").pitch_midi).toBe(125);
    expect(notes.get("a").start_tick).toBe(0);
  });

  test("nothing moves when one note would leave the piece", () => {
    expect(movedNotes(notes, new Set(["a", "b"]), 0, 1)).toBeNull();
    expect(movedNotes(notes, new Set(["a"]), -1, 0)).toBeNull();
    expect(movedNotes(notes, new Set(["gone"]), 0, 0)).toBeNull();
  });
});

describe("what the grid shows", () => {
  test("the lowest and highest pitch with a whole row in view", () => {
    expect(visiblePitches({ scrollYPx: 0, keyHeightPx: 10 }, 100)).toEqual([HIGHEST_PITCH - 9, HIGHEST_PITCH]);
    expect(visiblePitches({ scrollYPx: 5, keyHeightPx: 10 }, 100)).toEqual([HIGHEST_PITCH - 9, HIGHEST_PITCH - 1]);
  });
});

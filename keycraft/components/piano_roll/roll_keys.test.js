// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_roll_keys.py runs it).
import { describe, expect, test } from "bun:test";
import {
  GRID_BACKGROUNDS,
  SELECTED_FILL,
  VELOCITY_PALETTE,
  addedText,
  commandWords,
  adjacentNote,
  contrastRatio,
  cursorText,
  describeNote,
  keyAction,
  moveCursor,
  movedText,
  noteAtCursor,
  notesBetween,
  positionText,
  resizedText,
  statusText,
  velocityText,
} from "./roll_keys.js";
import { noteNamer } from "./note_names.js";

// 4/4 from tick 0, then 3/4 from bar 3 (tick 3840), in the shape piano_roll.jsx builds.
const METER = [
  { tick: 0, bar: 1, beatTicks: 480, barTicks: 1920, endTick: 3840 },
  { tick: 3840, bar: 3, beatTicks: 480, barTicks: 1440, endTick: Infinity },
];
const note = (start_tick, pitch_midi, duration_ticks = 480, velocity = 90) => ({ start_tick, duration_ticks, pitch_midi, velocity });
// A melody out of order in the map, with a chord at tick 960.
const MELODY = new Map([
  ["c", note(960, 67)],
  ["a", note(0, 60)],
  ["d", note(960, 64)],
  ["b", note(480, 62)],
]);
const press = (key, mods = {}) => keyAction({ key, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, ...mods });

describe("keyAction", () => {
  test("arrows move the cursor, Shift extends, Alt moves the notes (Shift: further)", () => {
    expect(press("ArrowRight")).toEqual({ kind: "cursor", steps: 1, semitones: 0 });
    expect(press("ArrowDown", { shiftKey: true })).toEqual({ kind: "extend", steps: 0, semitones: -1 });
    expect(press("ArrowUp", { altKey: true })).toEqual({ kind: "move", steps: 0, semitones: 1 });
    expect(press("ArrowUp", { altKey: true, shiftKey: true })).toEqual({ kind: "move", steps: 0, semitones: 12 });
    expect(press("ArrowLeft", { altKey: true, shiftKey: true })).toEqual({ kind: "move", steps: -4, semitones: 0 });
    expect(press("PageDown")).toEqual({ kind: "cursor", steps: 0, semitones: -12 });
  });

  test("Enter adds, Tab walks, brackets resize, plus and minus change velocity", () => {
    expect(press("Enter")).toEqual({ kind: "add" });
    expect(press("Tab", { shiftKey: true })).toEqual({ kind: "walk", direction: -1 });
    expect(press("]")).toEqual({ kind: "resize", steps: 1 });
    expect(press("=")).toEqual({ kind: "velocity", amount: 8 });
    expect(press("-")).toEqual({ kind: "velocity", amount: -8 });
  });

  test("Ctrl/Cmd combinations are left to the other shortcuts", () => {
    expect(press("ArrowUp", { ctrlKey: true })).toBeNull();
    expect(press("-", { metaKey: true })).toBeNull();
    expect(press("Enter", { altKey: true })).toBeNull();
    expect(press("a")).toBeNull();
  });
});

describe("cursor", () => {
  test("moves on the grid and stays on the keyboard and after tick 0", () => {
    const at = { tick: 130, pitch: 60, onNote: true };
    expect(moveCursor(at, 1, 0, 120)).toEqual({ tick: 240, pitch: 60, onNote: false });
    expect(moveCursor({ tick: 0, pitch: 108 }, -1, 1, 120)).toEqual({ tick: 0, pitch: 108, onNote: false });
    expect(moveCursor({ tick: 0, pitch: 22 }, 0, -12, 120).pitch).toBe(21);
  });

  test("Tab walks notes in time order, lower pitch first, and stops at the ends", () => {
    let cursor = { tick: 0, pitch: 60, onNote: false };
    const seen = [];
    for (;;) {
      const id = adjacentNote(MELODY, cursor, 1);
      if (id === null) break;
      seen.push(id);
      const n = MELODY.get(id);
      cursor = { tick: n.start_tick, pitch: n.pitch_midi, onNote: true };
    }
    expect(seen).toEqual(["a", "b", "d", "c"]);
    expect(adjacentNote(MELODY, cursor, -1)).toBe("d");
    expect(adjacentNote(MELODY, { tick: 0, pitch: 60, onNote: true }, -1)).toBeNull();
    expect(adjacentNote(new Map(), { tick: 0, pitch: 60 }, 1)).toBeNull();
  });

  test("a cursor placed by arrows between notes goes to the next one", () => {
    expect(adjacentNote(MELODY, { tick: 240, pitch: 72, onNote: false }, 1)).toBe("b");
    expect(adjacentNote(MELODY, { tick: 240, pitch: 72, onNote: false }, -1)).toBe("a");
  });

  test("finds the note under it and the notes of a Shift+arrow rectangle", () => {
    expect(noteAtCursor(MELODY, { tick: 600, pitch: 62 })).toBe("b");
    expect(noteAtCursor(MELODY, { tick: 960, pitch: 62 })).toBeNull();
    expect(notesBetween(MELODY, { tick: 480, pitch: 62 }, { tick: 960, pitch: 64 }, 120).sort()).toEqual(["b", "d"]);
  });
});

describe("words", () => {
  test("positions in bars and beats across a change of metre", () => {
    expect(positionText(0, METER)).toBe("bar 1 beat 1");
    expect(positionText(2400, METER)).toBe("bar 2 beat 2");
    expect(positionText(2520, METER)).toBe("bar 2 beat 2 and 1/16");
    expect(positionText(3840 + 1440 + 960, METER)).toBe("bar 4 beat 3");
  });

  test("announcements", () => {
    expect(addedText(note(4800, 60), METER)).toBe("C4 added at bar 3 beat 3");
    expect(describeNote(note(480, 61, 240, 70), METER)).toBe("C♯4, an eighth at bar 1 beat 2, velocity 70");
    expect(movedText(2, 0, 1)).toBe("2 notes moved up a semitone");
    expect(movedText(1, 0, -12)).toBe("1 note moved down an octave");
    expect(movedText(3, -120, 0)).toBe("3 notes moved earlier by a sixteenth");
    expect(resizedText([240, 240], 120)).toBe("2 notes now an eighth long");
    expect(resizedText([240, 480], -120)).toBe("2 notes shortened by a sixteenth");
    expect(cursorText(MELODY, { tick: 600, pitch: 62 }, METER)).toBe("D4, bar 1 beat 2 and 1/16, on a note: a quarter, velocity 90");
    expect(cursorText(MELODY, { tick: 0, pitch: 61 }, METER)).toBe("C♯4, bar 1 beat 1");
    expect(velocityText([96])).toBe("Velocity 96");
    expect(velocityText([90, 98])).toBe("Velocity 90 to 98");
    expect(statusText(MELODY, { tick: 480, pitch: 62 }, 1, METER)).toBe(
      "Cursor at D4, bar 1 beat 2. Under the cursor: D4, a quarter at bar 1 beat 2, velocity 90. 1 note selected, 4 notes in all."
    );
  });
  test("announcements name notes in the piece's key", () => {
    const flats = noteNamer("Db major");
    expect(addedText(note(0, 66), METER, flats)).toBe("G♭4 added at bar 1 beat 1");
    expect(describeNote(note(480, 61, 240, 70), METER, flats)).toBe("D♭4, an eighth at bar 1 beat 2, velocity 70");
    expect(cursorText(MELODY, { tick: 0, pitch: 66 }, METER, noteNamer("D major"))).toBe("F♯4, bar 1 beat 1");
    expect(statusText(new Map(), { tick: 0, pitch: 70 }, 0, METER, flats)).toBe("Cursor at B♭4, bar 1 beat 1. No note under the cursor. Nothing selected, 0 notes in all.");
  });
});

describe("colours", () => {
  test("every velocity colour stands out 3:1 from the grid and from a selected note", () => {
    expect(VELOCITY_PALETTE).toHaveLength(128);
    for (const colour of VELOCITY_PALETTE) {
      for (const background of GRID_BACKGROUNDS) expect(contrastRatio(colour, background)).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(colour, SELECTED_FILL)).toBeGreaterThanOrEqual(3);
    }
    for (const background of GRID_BACKGROUNDS) expect(contrastRatio(SELECTED_FILL, background)).toBeGreaterThanOrEqual(3);
  });

  test("quiet notes are blue and loud ones red", () => {
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const [r0, , b0] = rgb(VELOCITY_PALETTE[1]);
    const [r1, , b1] = rgb(VELOCITY_PALETTE[127]);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
  });
});

describe("commandWords", () => {
  test("names each command the server carries out, and nothing else", () => {
    expect(commandWords("paste")).toBe("Pasted at the playhead");
    expect(commandWords("undo")).toBe("Undo");
    expect(commandWords("delete")).toBe("");
    expect(commandWords(undefined)).toBe("");
    expect(commandWords("toString")).toBe("");
  });
});

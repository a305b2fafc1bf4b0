// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { areaAt, noteDragFor } from "./pointer_gestures.js";
import { KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX, rollLayout } from "./geometry.js";
import { actionMenuAt } from "./roll_touch.js";
import { CONTEXT_ACTIONS } from "./touch_gestures.js";

// 800 × 560: grid to x 790 and y 430, pedal lane 430-458, velocity lane 458-550, scrollbars.
const LAYOUT = rollLayout(800, 560, false);
const GRID_X = KEYBOARD_WIDTH_PX + 100;

describe("where a press lands", () => {
  test("the grid, the keyboard and the ruler", () => {
    expect(areaAt(LAYOUT, GRID_X, 200, false)).toBe("grid");
    expect(areaAt(LAYOUT, 10, 200, false)).toBe("keyboard");
    expect(areaAt(LAYOUT, GRID_X, RULER_HEIGHT_PX - 1, false)).toBe("ruler");
    // The ruler above the keyboard is the keyboard's (no key there: nothing happens).
    expect(areaAt(LAYOUT, 10, 5, false)).toBe("keyboard");
  });

  test("the lanes under the grid, their keyboard end a margin", () => {
    expect(areaAt(LAYOUT, GRID_X, LAYOUT.pedalTop, false)).toBe("pedalLane");
    expect(areaAt(LAYOUT, GRID_X, LAYOUT.laneTop - 1, false)).toBe("pedalLane");
    expect(areaAt(LAYOUT, GRID_X, LAYOUT.laneTop, false)).toBe("velocityLane");
    expect(areaAt(LAYOUT, 10, LAYOUT.pedalTop + 2, false)).toBe("margin");
    expect(areaAt(LAYOUT, 10, LAYOUT.laneTop + 2, false)).toBe("margin");
  });

  test("scrollbars first, then everything right of the grid or below the lanes is margin", () => {
    expect(areaAt(LAYOUT, GRID_X, 200, true)).toBe("scrollbar");
    expect(areaAt(LAYOUT, LAYOUT.gridRight, 200, false)).toBe("margin");
    expect(areaAt(LAYOUT, GRID_X, LAYOUT.laneBottom, false)).toBe("margin");
  });

  test("a read-only roll has no lanes: the grid reaches the bottom", () => {
    const readOnly = rollLayout(800, 560, true);
    expect(areaAt(readOnly, GRID_X, 555, false)).toBe("grid");
    expect(areaAt(readOnly, 795, 200, false)).toBe("grid");
  });
});

describe("a press on a note", () => {
  const notes = new Map([
    ["a", { start_tick: 0, duration_ticks: 480, pitch_midi: 60, velocity: 90 }],
    ["b", { start_tick: 480, duration_ticks: 480, pitch_midi: 64, velocity: 80 }],
  ]);

  test("moves the whole selection from copies of where it was", () => {
    const drag = noteDragFor({ id: "a", nearEnd: false }, 100, 60, new Set(["a", "b"]), notes);
    expect(drag.kind).toBe("move");
    expect(drag.anchorId).toBe("a");
    expect([...drag.origins.keys()]).toEqual(["a", "b"]);
    expect(drag.origins.get("b")).toEqual(notes.get("b"));
    expect(drag.origins.get("b")).not.toBe(notes.get("b"));
    expect(drag.moved).toBe(false);
  });

  test("on its end resizes", () => {
    expect(noteDragFor({ id: "b", nearEnd: true }, 950, 64, new Set(["b"]), notes).kind).toBe("resize");
  });
});

describe("the long-press menu", () => {
  test("opens at the press, kept inside the roll", () => {
    expect(actionMenuAt(LAYOUT, 200, 100)).toEqual({ x: 200, y: 100 });
    const low = actionMenuAt(LAYOUT, 780, 420);
    expect(low.x).toBe(800 - 140);
    expect(low.y).toBe(Math.min(420, 560 - 40 * CONTEXT_ACTIONS.length));
  });

  test("not outside the grid", () => {
    expect(actionMenuAt(LAYOUT, 10, 100)).toBeNull();
    expect(actionMenuAt(LAYOUT, 200, 5)).toBeNull();
    expect(actionMenuAt(LAYOUT, 200, LAYOUT.laneTop + 5)).toBeNull();
  });
});

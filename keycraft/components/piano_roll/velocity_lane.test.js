// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { rollLayout, tickToX } from "./geometry.js";
import { SELECTED_FILL, VELOCITY_PALETTE } from "./roll_keys.js";
import {
  VELOCITY_BAR_PX,
  barIdsBetween,
  changedVelocityIds,
  drawVelocityLane,
  moveVelocityDrag,
  startVelocityDrag,
  velocityAtY,
  velocityColour,
  yForVelocity,
} from "./velocity_lane.js";

const VIEW = { scrollXPx: 0, scrollYPx: 0, pxPerBeat: 96, keyHeightPx: 12 };
const LAYOUT = rollLayout(800, 560, false);
const note = (start_tick, velocity) => ({ start_tick, duration_ticks: 240, pitch_midi: 60, velocity });
const someNotes = () => new Map([["a", note(0, 40)], ["b", note(480, 80)], ["c", note(960, 100)], ["d", note(960, 20)]]);

// A canvas context that records what is filled, and in which colour.
function recordingContext() {
  const fills = [];
  const ctx = { fills, save() {}, restore() {}, beginPath() {}, rect() {}, clip() {}, fillText() {} };
  ctx.fillRect = (x, y, w, h) => fills.push({ colour: ctx.fillStyle, x, y, w, h });
  return ctx;
}

describe("velocities and pixels", () => {
  test("the lane's bottom is 1 and its top 127, and y for a velocity reads back", () => {
    expect(velocityAtY(LAYOUT, LAYOUT.laneBottom)).toBe(1);
    expect(velocityAtY(LAYOUT, LAYOUT.laneTop)).toBe(127);
    for (let velocity = 1; velocity <= 127; velocity++) expect(velocityAtY(LAYOUT, yForVelocity(LAYOUT, velocity))).toBe(velocity);
  });

  test("bars between two x positions, in either order", () => {
    const x = (tick) => tickToX(VIEW, tick);
    expect(barIdsBetween(someNotes(), VIEW, x(480), x(480))).toEqual(["b"]);
    expect(barIdsBetween(someNotes(), VIEW, x(960) + 1, x(0) - VELOCITY_BAR_PX)).toEqual(["a", "b", "c", "d"]);
    expect(barIdsBetween(someNotes(), VIEW, x(100), x(300))).toEqual([]);
  });

  test("selected notes are near white, others take the velocity palette", () => {
    expect(velocityColour(64, true)).toBe(SELECTED_FILL);
    expect(velocityColour(64, false)).toBe(VELOCITY_PALETTE[64]);
  });
});

describe("dragging", () => {
  test("a drag paints every bar it crosses and reports only real changes", () => {
    const notes = someNotes();
    const y = yForVelocity(LAYOUT, 80);
    const drag = startVelocityDrag(notes, new Set(), VIEW, LAYOUT, tickToX(VIEW, 0), y);
    expect(drag.group).toBe(false);
    expect(notes.get("a").velocity).toBe(80);
    moveVelocityDrag(drag, notes, new Set(), VIEW, LAYOUT, tickToX(VIEW, 960), y);
    expect(["a", "b", "c", "d"].map((id) => notes.get(id).velocity)).toEqual([80, 80, 80, 80]);
    // b was already 80: touched, but no edit.
    expect(changedVelocityIds(drag, notes).sort()).toEqual(["a", "c", "d"]);
  });

  test("starting on a selected note's bar sets the whole selection, and only it", () => {
    const notes = someNotes();
    const selected = new Set(["b", "d"]);
    const drag = startVelocityDrag(notes, selected, VIEW, LAYOUT, tickToX(VIEW, 480), yForVelocity(LAYOUT, 10));
    expect(drag.group).toBe(true);
    moveVelocityDrag(drag, notes, selected, VIEW, LAYOUT, tickToX(VIEW, 0), yForVelocity(LAYOUT, 30));
    expect(["a", "b", "c", "d"].map((id) => notes.get(id).velocity)).toEqual([40, 30, 100, 30]);
    expect(changedVelocityIds(drag, notes).sort()).toEqual(["b", "d"]);
  });

  test("a bar painted back to where it was is no edit", () => {
    const notes = someNotes();
    const drag = startVelocityDrag(notes, new Set(), VIEW, LAYOUT, tickToX(VIEW, 0), yForVelocity(LAYOUT, 90));
    moveVelocityDrag(drag, notes, new Set(), VIEW, LAYOUT, tickToX(VIEW, 0), yForVelocity(LAYOUT, 40));
    expect(changedVelocityIds(drag, notes)).toEqual([]);
  });
});

describe("drawing", () => {
  test("bars on screen are drawn, taller when louder, selected ones last", () => {
    const ctx = recordingContext();
    const notes = someNotes();
    notes.set("far", note(1_000_000, 127));
    drawVelocityLane(ctx, LAYOUT, VIEW, notes, new Set(["a"]));
    const bars = ctx.fills.filter((fill) => fill.w === VELOCITY_BAR_PX);
    expect(bars.map((fill) => fill.colour)).toEqual([VELOCITY_PALETTE[80], VELOCITY_PALETTE[100], VELOCITY_PALETTE[20], SELECTED_FILL]);
    const heights = new Map(bars.map((fill) => [fill.colour, fill.h]));
    expect(heights.get(VELOCITY_PALETTE[100])).toBeGreaterThan(heights.get(VELOCITY_PALETTE[20]));
    for (const fill of bars) expect(fill.y + fill.h).toBeLessThanOrEqual(LAYOUT.laneBottom);
  });
});

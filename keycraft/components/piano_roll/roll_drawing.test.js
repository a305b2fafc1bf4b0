// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { DOWNBEAT_COLOUR, backdropKey, drawBackdrop, drawDownbeatHandle, drawNotes, soundingPitches } from "./roll_drawing.js";
import { KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX, viewMapping } from "./geometry.js";
import { parseTimeSignatureMap } from "./timing.js";
import { SELECTED_FILL } from "./roll_keys.js";

// A 2D context that records what is drawn: fills and strokes with their colour, and text.
function recordingContext() {
  const calls = [];
  const ctx = { calls, fillStyle: "", strokeStyle: "", lineWidth: 1, font: "", textBaseline: "" };
  ctx.fillRect = (x, y, w, h) => calls.push({ op: "fillRect", x, y, w, h, style: ctx.fillStyle });
  ctx.strokeRect = (x, y, w, h) => calls.push({ op: "strokeRect", x, y, w, h, style: ctx.strokeStyle });
  ctx.fillText = (text, x, y) => calls.push({ op: "fillText", text, x, y, style: ctx.fillStyle });
  // Paths: recorded as they are filled or stroked, with the points they went through.
  let points = [];
  ctx.beginPath = () => (points = []);
  ctx.moveTo = (x, y) => points.push([x, y]);
  ctx.lineTo = (x, y) => points.push([x, y]);
  ctx.closePath = () => {};
  ctx.fill = () => calls.push({ op: "fill", points, style: ctx.fillStyle });
  ctx.stroke = () => calls.push({ op: "stroke", points, style: ctx.strokeStyle });
  ctx.setLineDash = () => {};
  return ctx;
}

const VIEW = { scrollXPx: 0, scrollYPx: 400, pxPerBeat: 96, keyHeightPx: 12 };
const MAPPING = viewMapping(VIEW);
const FOUR_FOUR = parseTimeSignatureMap("", 4, 4);
const names = (pitch) => `P${pitch}`;

describe("the backdrop", () => {
  test("bar numbers on the ruler and bar lines down the grid", () => {
    const ctx = recordingContext();
    drawBackdrop(ctx, 800, 400, MAPPING, { meterMap: FOUR_FOUR, stepTicks: 120, region: { enabled: false, start: 0, end: 0 }, noteName: names });
    const labels = ctx.calls.filter((c) => c.op === "fillText" && c.y === 10).map((c) => c.text);
    // 96 px a beat: bars every 384 px, 736 px of grid show bars 1 and 2.
    expect(labels).toEqual(["1", "2"]);
    const barLines = ctx.calls.filter((c) => c.op === "fillRect" && c.style === "#5a6170");
    expect(barLines.map((c) => c.x)).toEqual([KEYBOARD_WIDTH_PX, KEYBOARD_WIDTH_PX + 384]);
    expect(barLines.every((c) => c.y === RULER_HEIGHT_PX)).toBe(true);
  });

  test("grid steps too close together are not drawn", () => {
    const ctx = recordingContext();
    drawBackdrop(ctx, 800, 400, viewMapping({ ...VIEW, pxPerBeat: 12 }), { meterMap: FOUR_FOUR, stepTicks: 120, region: { enabled: false, start: 0, end: 0 }, noteName: names });
    expect(ctx.calls.some((c) => c.style === "#30353f")).toBe(false);
  });

  test("the loop is shaded with a handle at each edge", () => {
    const ctx = recordingContext();
    drawBackdrop(ctx, 800, 400, MAPPING, { meterMap: FOUR_FOUR, stepTicks: 0, region: { enabled: true, start: 480, end: 1440 }, noteName: names });
    const handles = ctx.calls.filter((c) => c.style === "#78c878");
    expect(handles.map((c) => c.x)).toEqual([KEYBOARD_WIDTH_PX + 96 - 1, KEYBOARD_WIDTH_PX + 288 - 2]);
  });

  test("rows tall enough name every key; shorter ones only the Cs", () => {
    const tall = recordingContext();
    drawBackdrop(tall, 800, 400, viewMapping({ ...VIEW, keyHeightPx: 16 }), { meterMap: FOUR_FOUR, stepTicks: 0, region: { enabled: false, start: 0, end: 0 }, noteName: names });
    expect(tall.calls.filter((c) => c.op === "fillText" && c.x === 30).every((c) => c.text.startsWith("P"))).toBe(true);
    const short = recordingContext();
    drawBackdrop(short, 800, 400, MAPPING, { meterMap: FOUR_FOUR, stepTicks: 0, region: { enabled: false, start: 0, end: 0 }, noteName: names });
    expect(short.calls.filter((c) => c.op === "fillText" && c.x === 30).every((c) => /^C-?\d$/.test(c.text))).toBe(true);
  });

  test("its key changes with anything it shows", () => {
    const props = { snapTicks: 120, beatsPerBar: 4, beatUnit: 4, timeSignatureMapJson: "", keyName: "C major" };
    const off = { enabled: false, start: 0, end: 0 };
    const key = backdropKey({ width: 800, height: 400, dpr: 1 }, VIEW, props, off);
    expect(backdropKey({ width: 800, height: 400, dpr: 1 }, VIEW, props, off)).toBe(key);
    expect(backdropKey({ width: 800, height: 400, dpr: 1 }, { ...VIEW, scrollXPx: 1 }, props, off)).not.toBe(key);
    expect(backdropKey({ width: 800, height: 400, dpr: 1 }, VIEW, { ...props, keyName: "D major" }, off)).not.toBe(key);
    expect(backdropKey({ width: 800, height: 400, dpr: 1 }, VIEW, props, { enabled: true, start: 0, end: 10 })).not.toBe(key);
  });
});

describe("notes", () => {
  const notes = new Map([
    ["in", { start_tick: 0, duration_ticks: 480, pitch_midi: 60, velocity: 90 }],
    ["later", { start_tick: 48000, duration_ticks: 480, pitch_midi: 60, velocity: 90 }],
  ]);

  test("only notes in view are drawn, and the extent covers all of them", () => {
    const ctx = recordingContext();
    const extent = drawNotes(ctx, 800, 400, MAPPING, { notes, selectedIds: new Set(), showNames: false, noteName: names });
    expect(extent).toBe(48480);
    const fills = ctx.calls.filter((c) => c.op === "fillRect");
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ x: KEYBOARD_WIDTH_PX, y: MAPPING.pitchToY(60) + 1, w: 96, h: 10 });
  });

  test("a selected note is filled as selected and outlined, and named when asked", () => {
    const ctx = recordingContext();
    drawNotes(ctx, 800, 400, MAPPING, { notes, selectedIds: new Set(["in"]), showNames: true, noteName: names });
    expect(ctx.calls.find((c) => c.op === "fillRect").style).toBe(SELECTED_FILL);
    expect(ctx.calls.filter((c) => c.op === "strokeRect")).toHaveLength(1);
    expect(ctx.calls.find((c) => c.op === "fillText").text).toBe("P60");
  });
});

describe("sounding keys", () => {
  const notes = new Map([
    ["a", { start_tick: 0, duration_ticks: 480, pitch_midi: 60 }],
    ["b", { start_tick: 480, duration_ticks: 480, pitch_midi: 64 }],
  ]);

  test("notes under the playhead while playing, plus a key held down", () => {
    expect([...soundingPitches(notes, 480, true, null)]).toEqual([64]);
    expect([...soundingPitches(notes, 479, true, 72)]).toEqual([60, 72]);
    expect([...soundingPitches(notes, 100, false, null)]).toEqual([]);
  });
});

describe("bar 1's handle", () => {
  const LAYOUT = { gridRight: 780, gridBottom: 380 };

  test("a flag on the ruler at bar 1, and a line down the grid only while dragged", () => {
    const ctx = recordingContext();
    drawDownbeatHandle(ctx, MAPPING, LAYOUT, 480, false);
    const x = Math.round(MAPPING.tickToX(480));
    const flag = ctx.calls.find((c) => c.op === "fill");
    expect(flag.style).toBe(DOWNBEAT_COLOUR);
    expect(flag.points.at(-1)).toEqual([x, 10]);
    expect(ctx.calls).toContainEqual({ op: "fillRect", x: x - 1, y: 0, w: 2, h: RULER_HEIGHT_PX, style: DOWNBEAT_COLOUR });
    expect(ctx.calls.some((c) => c.op === "stroke")).toBe(false);
    const dragged = recordingContext();
    drawDownbeatHandle(dragged, MAPPING, LAYOUT, 480, true);
    const line = dragged.calls.find((c) => c.op === "stroke");
    expect(line.points).toEqual([[x + 0.5, RULER_HEIGHT_PX], [x + 0.5, LAYOUT.gridBottom]]);
  });

  test("nothing while bar 1 is scrolled out of the grid", () => {
    const ctx = recordingContext();
    drawDownbeatHandle(ctx, viewMapping({ ...VIEW, scrollXPx: 2000 }), LAYOUT, 0, true);
    expect(ctx.calls).toEqual([]);
  });
});

// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX, SCROLLBAR_PX, maxScrollYPx, rollLayout } from "./geometry.js";
import {
  MIN_THUMB_PX,
  drawScrollbars,
  horizontalScrollbar,
  scrollForThumbDrag,
  scrollbarAt,
  startThumbDrag,
  thumbCentre,
  verticalScrollbar,
} from "./scrollbars.js";

const VIEW = { scrollXPx: 0, scrollYPx: 0, pxPerBeat: 96, keyHeightPx: 12 };
const LAYOUT = rollLayout(800, 560, false);
// 16 bars of 4/4 at 96 px a beat: 6144 px of content behind a 726 px grid.
const END_TICK = 16 * 1920;

describe("thumbs", () => {
  test("the horizontal thumb is the share of the piece the grid shows", () => {
    const bar = horizontalScrollbar(LAYOUT, VIEW, END_TICK);
    const viewPx = LAYOUT.gridRight - KEYBOARD_WIDTH_PX;
    expect(bar).toMatchObject({ axis: "x", trackStart: KEYBOARD_WIDTH_PX, trackPx: viewPx, thumbAt: KEYBOARD_WIDTH_PX, range: 6144 - viewPx });
    expect(bar.thumbPx).toBeCloseTo((viewPx / 6144) * viewPx, 9);
  });

  test("scrolled to the end, the thumb ends where the track does", () => {
    const bar = horizontalScrollbar(LAYOUT, VIEW, END_TICK);
    const atEnd = horizontalScrollbar(LAYOUT, { ...VIEW, scrollXPx: bar.range }, END_TICK);
    expect(atEnd.thumbAt + atEnd.thumbPx).toBeCloseTo(atEnd.trackStart + atEnd.trackPx, 9);
  });

  test("a thumb is never too small to grab, and scrolling past the piece grows the content", () => {
    expect(horizontalScrollbar(LAYOUT, { ...VIEW, pxPerBeat: 800 }, END_TICK * 10).thumbPx).toBe(MIN_THUMB_PX);
    const past = horizontalScrollbar(LAYOUT, { ...VIEW, scrollXPx: 10_000 }, END_TICK);
    expect(past.range).toBe(10_000);
  });

  test("the vertical bar spans the 88 keys and its range is the rows' scroll", () => {
    const bar = verticalScrollbar(LAYOUT, VIEW);
    expect(bar).toMatchObject({ axis: "y", trackStart: RULER_HEIGHT_PX, range: maxScrollYPx(VIEW, LAYOUT) });
  });
});

describe("pointing and dragging", () => {
  test("the bars are found on the bottom and right edges only", () => {
    expect(scrollbarAt(LAYOUT, VIEW, END_TICK, 300, LAYOUT.laneBottom + 2).axis).toBe("x");
    expect(scrollbarAt(LAYOUT, VIEW, END_TICK, LAYOUT.gridRight + 2, 100).axis).toBe("y");
    expect(scrollbarAt(LAYOUT, VIEW, END_TICK, 300, 100)).toBeNull();
    expect(scrollbarAt(LAYOUT, VIEW, END_TICK, 10, LAYOUT.laneBottom + 2)).toBeNull();
  });

  test("dragging the thumb by its middle scrolls by the track's share of the content", () => {
    const bar = horizontalScrollbar(LAYOUT, VIEW, END_TICK);
    const centre = thumbCentre(LAYOUT, bar);
    expect(centre.y).toBe(LAYOUT.laneBottom + SCROLLBAR_PX / 2);
    const drag = startThumbDrag(bar, centre.x, centre.y);
    expect(drag.grab).toBeCloseTo(bar.thumbPx / 2, 9);
    expect(scrollForThumbDrag(drag, centre.x, centre.y)).toBe(0);
    const free = bar.trackPx - bar.thumbPx;
    expect(scrollForThumbDrag(drag, centre.x + free / 2, centre.y)).toBeCloseTo(bar.range / 2, 6);
    expect(scrollForThumbDrag(drag, centre.x + 5000, centre.y)).toBe(bar.range);
    expect(scrollForThumbDrag(drag, -5000, centre.y)).toBe(0);
  });

  test("a press on the track centres the thumb under the pointer", () => {
    const bar = verticalScrollbar(LAYOUT, VIEW);
    const y = bar.trackStart + bar.trackPx - 5;
    const drag = startThumbDrag(bar, LAYOUT.gridRight + 2, y);
    expect(drag.grab).toBe(bar.thumbPx / 2);
    expect(scrollForThumbDrag(drag, LAYOUT.gridRight + 2, y)).toBe(bar.range);
  });
});

test("both bars and the corner are drawn, the dragged thumb lit", () => {
  const fills = [];
  const ctx = { fillRect: (x, y, w, h) => fills.push({ colour: ctx.fillStyle, x, y, w, h }) };
  drawScrollbars(ctx, LAYOUT, VIEW, END_TICK, "y");
  expect(fills.map((fill) => fill.colour)).toEqual(["#14161b", "#5a6170", "#14161b", "#8a93a6", "#14161b"]);
  expect(fills[4]).toEqual({ colour: "#14161b", x: LAYOUT.gridRight, y: LAYOUT.laneBottom, w: SCROLLBAR_PX, h: SCROLLBAR_PX });
});

// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import {
  HIGHEST_PITCH,
  KEYBOARD_WIDTH_PX,
  LOWEST_PITCH,
  MAX_KEY_HEIGHT_PX,
  MIN_PX_PER_BEAT,
  RULER_HEIGHT_PX,
  SCROLLBAR_PX,
  VELOCITY_LANE_HEIGHT_PX,
  fittedView,
  maxScrollYPx,
  pitchToY,
  rollLayout,
  tickToX,
  ticksToPx,
  viewMapping,
  xToTick,
  yToPitch,
  zoomedX,
  zoomedY,
} from "./geometry.js";
import { PEDAL_LANE_HEIGHT_PX } from "./pedal_lane.js";

const VIEW = { scrollXPx: 48, scrollYPx: 120, pxPerBeat: 96, keyHeightPx: 12 };
const LAYOUT = rollLayout(800, 560, false);

describe("ticks, pitches and pixels", () => {
  test("a quarter note is pxPerBeat wide, from the keyboard's edge less the scroll", () => {
    expect(ticksToPx(VIEW, 480)).toBe(96);
    expect(tickToX(VIEW, 0)).toBe(KEYBOARD_WIDTH_PX - 48);
    expect(tickToX(VIEW, 960)).toBe(KEYBOARD_WIDTH_PX + 192 - 48);
  });

  test("x and tick convert both ways; nothing lies before tick 0", () => {
    for (const tick of [0, 1, 240, 7777]) expect(xToTick(VIEW, tickToX(VIEW, tick))).toBeCloseTo(tick, 9);
    expect(xToTick(VIEW, 0)).toBe(0);
  });

  test("rows run down from the highest key; any y in a row is its pitch", () => {
    expect(pitchToY(VIEW, HIGHEST_PITCH)).toBe(RULER_HEIGHT_PX - 120);
    for (const pitch of [LOWEST_PITCH, 60, HIGHEST_PITCH]) {
      const top = pitchToY(VIEW, pitch);
      expect([top, top + 6, top + 11.9].map((y) => yToPitch(VIEW, y))).toEqual([pitch, pitch, pitch]);
    }
  });

  test("a mapping keeps the view it was made from", () => {
    const view = { ...VIEW };
    const mapping = viewMapping(view);
    view.scrollXPx = 0;
    view.pxPerBeat = 12;
    expect(mapping.tickToX(960)).toBe(tickToX(VIEW, 960));
    expect(mapping.yToPitch(100)).toBe(yToPitch(VIEW, 100));
    expect([mapping.pxPerBeat, mapping.keyHeightPx]).toEqual([96, 12]);
  });
});

describe("layout", () => {
  test("the lanes stack under the grid, the scrollbars on the edges", () => {
    expect(LAYOUT).toEqual({
      widthPx: 800,
      heightPx: 560,
      gridRight: 800 - SCROLLBAR_PX,
      laneBottom: 560 - SCROLLBAR_PX,
      laneTop: 560 - SCROLLBAR_PX - VELOCITY_LANE_HEIGHT_PX,
      pedalTop: 560 - SCROLLBAR_PX - VELOCITY_LANE_HEIGHT_PX - PEDAL_LANE_HEIGHT_PX,
      gridBottom: 560 - SCROLLBAR_PX - VELOCITY_LANE_HEIGHT_PX - PEDAL_LANE_HEIGHT_PX,
    });
  });

  test("a read-only roll is all grid", () => {
    const layout = rollLayout(300, 200, true);
    expect([layout.gridRight, layout.gridBottom, layout.laneTop, layout.laneBottom]).toEqual([300, 200, 200, 200]);
  });

  test("the rows scroll until the lowest key meets the grid's bottom", () => {
    const gridHeight = LAYOUT.gridBottom - RULER_HEIGHT_PX;
    expect(maxScrollYPx(VIEW, LAYOUT)).toBe(88 * 12 - gridHeight);
    expect(maxScrollYPx({ keyHeightPx: 1 }, LAYOUT)).toBe(0);
  });
});

describe("zoom and fit", () => {
  test("zooming keeps the tick under the pointer in place, within the limits", () => {
    const anchorX = 400;
    const zoomed = zoomedX(VIEW, 1.5, anchorX);
    expect(zoomed.pxPerBeat).toBe(144);
    expect(xToTick({ ...VIEW, ...zoomed }, anchorX)).toBeCloseTo(xToTick(VIEW, anchorX), 9);
    expect(zoomedX(VIEW, 0.01).pxPerBeat).toBe(MIN_PX_PER_BEAT);
    expect(zoomedX({ ...VIEW, scrollXPx: 0 }, 0.5).scrollXPx).toBe(0);
  });

  test("key zoom keeps the row under the pointer and never scrolls past the keys", () => {
    const anchorY = 200;
    const zoomed = zoomedY(VIEW, 1.5, anchorY, LAYOUT);
    expect(zoomed.keyHeightPx).toBe(18);
    expect(yToPitch({ ...VIEW, ...zoomed }, anchorY)).toBe(yToPitch(VIEW, anchorY));
    const tall = zoomedY({ ...VIEW, scrollYPx: 5000 }, 10, LAYOUT.gridBottom, LAYOUT);
    expect(tall.keyHeightPx).toBe(MAX_KEY_HEIGHT_PX);
    expect(tall.scrollYPx).toBe(maxScrollYPx(tall, LAYOUT));
  });

  test("fitting shows the whole piece across the grid and its pitches centred", () => {
    const view = fittedView(LAYOUT, { endTick: 7680, lowPitch: 60, highPitch: 72 });
    expect(view.scrollXPx).toBe(0);
    expect(tickToX(view, 7680)).toBeCloseTo(LAYOUT.gridRight, 9);
    const middle = (pitchToY(view, 74) + pitchToY(view, 58) + view.keyHeightPx) / 2;
    expect(middle).toBeCloseTo((RULER_HEIGHT_PX + LAYOUT.gridBottom) / 2, 9);
  });

  test("nothing to fit into before the canvas has a size", () => {
    expect(fittedView(rollLayout(0, 0, false), { endTick: 100, lowPitch: 60, highPitch: 60 })).toBeNull();
  });
});

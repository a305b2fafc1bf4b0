// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { LOOP_EDGE_PX, finishedLoop, loopEdgeAt, loopRegion, movedLoop, playStartTick, startLoopDrag, windowEndInLoop } from "./loop_region.js";
import { parseTimeSignatureMap } from "./timing.js";

const FOUR_FOUR = parseTimeSignatureMap("", 4, 4);
// One pixel per ten ticks, from x = 0.
const tickToX = (tick) => tick / 10;
const LOOP = { enabled: true, start: 1920, end: 3840 };

describe("the loop shown", () => {
  test("the props' loop, enabled only when it is on and not empty", () => {
    expect(loopRegion({ loopEnabled: true, loopStartTick: 0, loopEndTick: 1920 }, null)).toEqual({ enabled: true, start: 0, end: 1920 });
    expect(loopRegion({ loopEnabled: true, loopStartTick: 1920, loopEndTick: 1920 }, null).enabled).toBe(false);
    expect(loopRegion({ loopEnabled: false, loopStartTick: 0, loopEndTick: 1920 }, null).enabled).toBe(false);
    expect(loopRegion({}, null)).toEqual({ enabled: false, start: 0, end: 0 });
  });

  test("a loop being dragged wins over the props", () => {
    expect(loopRegion({ loopEnabled: false }, LOOP)).toBe(LOOP);
  });
});

describe("pressing and dragging on the ruler", () => {
  test("an edge is within a few pixels of the loop's start or end", () => {
    expect(loopEdgeAt(LOOP, 192 + LOOP_EDGE_PX, tickToX)).toBe("start");
    expect(loopEdgeAt(LOOP, 384 - LOOP_EDGE_PX, tickToX)).toBe("end");
    expect(loopEdgeAt(LOOP, 300, tickToX)).toBeNull();
    expect(loopEdgeAt({ ...LOOP, enabled: false }, 192, tickToX)).toBeNull();
  });

  test("pressing an edge holds the other one fixed", () => {
    expect(startLoopDrag(LOOP, 192, 1920, false, tickToX, FOUR_FOUR)).toEqual({ drag: { kind: "loop", fixed: 3840, moved: false }, draft: null });
    expect(startLoopDrag(LOOP, 384, 3840, false, tickToX, FOUR_FOUR).drag.fixed).toBe(1920);
  });

  test("Shift+press draws a one-bar loop from the nearest beat; a plain press is a seek", () => {
    const started = startLoopDrag(LOOP, 60, 600, true, tickToX, FOUR_FOUR);
    expect(started.drag).toEqual({ kind: "loop", fixed: 480, moved: false, created: true });
    expect(started.draft).toEqual({ enabled: true, start: 480, end: 2400 });
    expect(startLoopDrag(LOOP, 60, 600, false, tickToX, FOUR_FOUR)).toBeNull();
  });

  test("dragging spans from the fixed beat to the nearest beat, either way", () => {
    const drag = { kind: "loop", fixed: 1920, moved: false };
    expect(movedLoop(drag, 1900, FOUR_FOUR)).toBeNull();
    expect(drag.moved).toBe(false);
    expect(movedLoop(drag, 3000, FOUR_FOUR)).toEqual({ enabled: true, start: 1920, end: 2880 });
    expect(movedLoop(drag, 500, FOUR_FOUR)).toEqual({ enabled: true, start: 480, end: 1920 });
    expect(drag.moved).toBe(true);
  });

  test("a release reports the loop in whole ticks, unless nothing changed", () => {
    expect(finishedLoop({ moved: true }, { start: 480.4, end: 1920 })).toEqual({ start_tick: 480, end_tick: 1920 });
    expect(finishedLoop({ moved: false, created: true }, LOOP)).toEqual({ start_tick: 1920, end_tick: 3840 });
    expect(finishedLoop({ moved: false }, LOOP)).toBeNull();
  });
});

describe("playing a loop", () => {
  test("a window is cut at the loop's end, except during a take", () => {
    expect(windowEndInLoop(3800, 3900, LOOP, false)).toBe(3840);
    expect(windowEndInLoop(3800, 3900, LOOP, true)).toBe(3900);
    expect(windowEndInLoop(4000, 4100, LOOP, false)).toBe(4100);
    expect(windowEndInLoop(3800, 3900, { ...LOOP, enabled: false }, false)).toBe(3900);
  });

  test("play starts at the loop's start unless the playhead is inside it", () => {
    expect(playStartTick(0, LOOP)).toBe(1920);
    expect(playStartTick(3840, LOOP)).toBe(1920);
    expect(playStartTick(2000, LOOP)).toBe(2000);
    expect(playStartTick(0, { ...LOOP, enabled: false })).toBe(0);
  });
});

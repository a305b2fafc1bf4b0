// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { HANDLE_HALF_WIDTH_PX, HANDLE_HEIGHT_PX, droppedHandle, handleShown, handleTick, moveHandle, onHandle, startHandleDrag } from "./downbeat_handle.js";

// One pixel per ten ticks, from x = 0; bar 1 at tick 960 (x = 96).
const tickToX = (tick) => tick / 10;
const PROPS = { firstDownbeatTick: 960, readOnly: false };

describe("bar 1's handle", () => {
  test("shows for an editable roll of a piece with tracked beats only", () => {
    expect(handleShown(PROPS)).toBe(true);
    expect(handleShown({ ...PROPS, firstDownbeatTick: 0 })).toBe(true);
    expect(handleShown({ ...PROPS, firstDownbeatTick: -1 })).toBe(false);
    expect(handleShown({ readOnly: false })).toBe(false);
    expect(handleShown({ ...PROPS, readOnly: true })).toBe(false);
  });

  test("a press takes it on the flag, not below it where a loop edge may be", () => {
    expect(onHandle(PROPS, 96, 2, tickToX)).toBe(true);
    expect(onHandle(PROPS, 96 + HANDLE_HALF_WIDTH_PX, 2, tickToX)).toBe(true);
    expect(onHandle(PROPS, 96 + HANDLE_HALF_WIDTH_PX + 1, 2, tickToX)).toBe(false);
    expect(onHandle(PROPS, 96, HANDLE_HEIGHT_PX, tickToX)).toBe(false);
    expect(startHandleDrag({ ...PROPS, firstDownbeatTick: -1 }, 0, 2, tickToX, 0)).toBeNull();
  });

  test("a drag follows the pointer and reports where it was let go", () => {
    const drag = startHandleDrag(PROPS, 97, 3, tickToX, 970);
    expect(drag).toEqual({ kind: "downbeat", fromTick: 960, tick: 960, pressTick: 970, moved: false });
    expect(handleTick(PROPS, drag)).toBe(960);
    moveHandle(drag, 1439.6);
    expect(handleTick(PROPS, drag)).toBe(1440);
    moveHandle(drag, -50);
    expect(drag.tick).toBe(0);
    moveHandle(drag, 1920);
    expect(droppedHandle(drag)).toEqual({ tick: 1920 });
    expect(handleTick(PROPS, null)).toBe(960);
  });

  test("a press that goes nowhere reports nothing (it is a click on the ruler)", () => {
    const still = startHandleDrag(PROPS, 96, 0, tickToX, 960);
    expect(droppedHandle(still)).toBeNull();
    moveHandle(still, 1200);
    moveHandle(still, 960);
    expect(droppedHandle(still)).toBeNull();
  });
});

// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_touch_gestures.py runs it).
import { describe, expect, test } from "bun:test";
import { CONTEXT_ACTIONS, createTouchGestures, pxPerBeatShowingBars, shortcutEvent } from "./touch_gestures.js";

// A recogniser with a hand-driven clock: ``elapse(ms)`` fires the long-press timer when due.
function recogniser() {
  const actions = [];
  let pending = null;
  const gestures = createTouchGestures({
    onAction: (action) => actions.push(action),
    setTimer: (fn, ms) => {
      pending = { fn, ms };
      return pending;
    },
    clearTimer: (handle) => {
      if (pending === handle) pending = null;
    },
  });
  const elapse = (ms) => {
    if (pending && ms >= pending.ms) {
      const { fn } = pending;
      pending = null;
      fn();
    }
  };
  return { gestures, actions, elapse, types: () => actions.map((a) => a.type) };
}

describe("one finger", () => {
  test("down and up in place is a tap where it landed", () => {
    const r = recogniser();
    r.gestures.down(1, 100, 200);
    r.gestures.move(1, 103, 198); // within the slop: still a tap
    r.gestures.up(1);
    expect(r.actions).toEqual([{ type: "tap", x: 100, y: 200 }]);
    expect(r.gestures.phase).toBe("idle");
    r.elapse(1000); // the long press was called off
    expect(r.actions.length).toBe(1);
  });

  test("moving past the slop drags from where the finger landed", () => {
    const r = recogniser();
    r.gestures.down(1, 100, 200);
    r.gestures.move(1, 130, 200);
    r.gestures.move(1, 160, 190);
    r.gestures.up(1);
    expect(r.actions).toEqual([
      { type: "dragStart", x: 100, y: 200 },
      { type: "dragMove", x: 130, y: 200 },
      { type: "dragMove", x: 160, y: 190 },
      { type: "dragEnd" },
    ]);
  });

  test("held still it is a long press, and lifting it then does nothing more", () => {
    const r = recogniser();
    r.gestures.down(1, 50, 60);
    r.gestures.move(1, 52, 61);
    r.elapse(500);
    expect(r.actions).toEqual([{ type: "longPress", x: 50, y: 60 }]);
    r.gestures.move(1, 120, 60);
    r.gestures.up(1);
    expect(r.types()).toEqual(["longPress"]);
  });

  test("a cancelled drag still ends; a cancelled touch does nothing", () => {
    const r = recogniser();
    r.gestures.down(1, 0, 0);
    r.gestures.move(1, 40, 0);
    r.gestures.cancel(1);
    expect(r.types()).toEqual(["dragStart", "dragMove", "dragEnd"]);
    r.gestures.down(2, 0, 0);
    r.gestures.cancel(2);
    r.elapse(1000);
    expect(r.types()).toEqual(["dragStart", "dragMove", "dragEnd"]);
    expect(r.gestures.phase).toBe("idle");
  });
});

describe("two fingers", () => {
  test("spreading zooms in around the midpoint; moving together pans", () => {
    const r = recogniser();
    r.gestures.down(1, 100, 300);
    r.gestures.down(2, 200, 300);
    r.gestures.move(2, 300, 300); // span 100 -> 200 around x 200
    expect(r.actions).toEqual([
      { type: "pinch", factor: 2, x: 200, y: 300 },
      { type: "pan", dx: 50, dy: 0 },
    ]);
    r.actions.length = 0;
    r.gestures.move(1, 100, 340);
    r.gestures.move(2, 300, 340); // both down 40: the span is back to 200
    expect(r.actions).toEqual([
      { type: "pinch", factor: Math.hypot(200, 40) / 200, x: 200, y: 320 },
      { type: "pan", dx: 0, dy: 20 },
      { type: "pinch", factor: 200 / Math.hypot(200, 40), x: 200, y: 340 },
      { type: "pan", dx: 0, dy: 20 },
    ]);
  });

  test("a second finger before the first decides means no tap, drag or long press", () => {
    const r = recogniser();
    r.gestures.down(1, 100, 100);
    r.gestures.down(2, 150, 100);
    r.elapse(1000);
    r.gestures.move(1, 90, 100);
    r.gestures.up(1);
    r.gestures.move(2, 400, 100); // the finger left over moves nothing
    r.gestures.up(2);
    expect(r.types()).toEqual(["pinch", "pan"]);
    expect(r.gestures.phase).toBe("idle");
  });

  test("a second finger during a drag is ignored until all fingers lift", () => {
    const r = recogniser();
    r.gestures.down(1, 0, 0);
    r.gestures.move(1, 30, 0);
    r.gestures.down(2, 200, 0);
    r.gestures.move(2, 260, 0);
    r.gestures.up(1);
    r.gestures.up(2);
    expect(r.types()).toEqual(["dragStart", "dragMove", "dragEnd"]);
    r.gestures.down(3, 10, 10);
    r.gestures.up(3);
    expect(r.types()).toEqual(["dragStart", "dragMove", "dragEnd", "tap"]);
  });
});

describe("helpers", () => {
  test("the zoom is lowered until two bars fit, never raised and never under the floor", () => {
    expect(pxPerBeatShowingBars(96, 284, 4, 2, 12)).toBe(35.5);
    expect(pxPerBeatShowingBars(20, 284, 4, 2, 12)).toBe(20);
    expect(pxPerBeatShowingBars(96, 60, 4, 2, 12)).toBe(12);
    expect(pxPerBeatShowingBars(96, 0, 4, 2, 12)).toBe(96); // not laid out yet
  });

  test("each context action is the roll's own shortcut", () => {
    expect(CONTEXT_ACTIONS.map((a) => a.id)).toEqual(["cut", "copy", "paste", "duplicate", "quantize", "select-all", "delete"]);
    const cut = shortcutEvent(CONTEXT_ACTIONS[0]);
    expect([cut.key, cut.ctrlKey, cut.shiftKey]).toEqual(["x", true, false]);
    const del = shortcutEvent(CONTEXT_ACTIONS[6]);
    expect([del.key, del.ctrlKey]).toEqual(["Delete", false]);
  });
});

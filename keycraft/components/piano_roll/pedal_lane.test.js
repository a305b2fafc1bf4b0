// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_pedal_lane.py runs it).
import { describe, expect, test } from "bun:test";
import {
  PEDAL_LABEL,
  deleteSpan,
  deletedText,
  drawPedalLane,
  drawSpan,
  dragTo,
  drawnText,
  finishDrag,
  hitSpan,
  laneKey,
  laneLabel,
  moveSpan,
  parsePedals,
  resizeSpan,
  selectedText,
  snapTick,
  soundingEndTick,
  startDrag,
  spanPixels,
  spansEqual,
} from "./pedal_lane.js";

const FOUR_FOUR = [{ tick: 0, bar: 1, beatTicks: 480, barTicks: 1920, endTick: Infinity }];
// 96 px per quarter note, the keyboard 64 px wide, scrolled 0.
const tickToX = (tick) => 64 + (tick * 96) / 480;
const span = (start_tick, end_tick) => ({ start_tick, end_tick });
const TWO = [span(0, 1920), span(3840, 5760)];

describe("reading spans", () => {
  test("rows are ordered; malformed and overlapping ones are dropped", () => {
    const rows = [span(3840, 5760), span(0, 1920), span(100, 200), { start_tick: 5 }, span(-1, 10), span(50, 50), null];
    expect(parsePedals(rows)).toEqual(TWO);
    expect(parsePedals("nope")).toEqual([]);
    expect(spansEqual(parsePedals([span(1920, 3840), span(0, 1920)]), [span(0, 1920), span(1920, 3840)])).toBe(true);
  });

  test("spans become pixels with the roll's converter", () => {
    expect(spanPixels(span(480, 960), tickToX)).toEqual({ x0: 160, x1: 256 });
  });
});

describe("hit testing", () => {
  test("ends resize, the middle moves, empty lane is nothing", () => {
    // Span 0 is x 64..448, span 1 is x 832..1216.
    expect(hitSpan(TWO, 66, tickToX)).toEqual({ index: 0, part: "start" });
    expect(hitSpan(TWO, 200, tickToX)).toEqual({ index: 0, part: "body" });
    expect(hitSpan(TWO, 446, tickToX)).toEqual({ index: 0, part: "end" });
    expect(hitSpan(TWO, 452, tickToX)).toEqual({ index: 0, part: "end" });
    expect(hitSpan(TWO, 828, tickToX)).toEqual({ index: 1, part: "start" });
    expect(hitSpan(TWO, 600, tickToX)).toBeNull();
  });

  test("at a re-pedal the span under the pointer wins", () => {
    const touching = [span(0, 1920), span(1920, 3840)];
    expect(hitSpan(touching, 447, tickToX)).toEqual({ index: 0, part: "end" });
    expect(hitSpan(touching, 449, tickToX)).toEqual({ index: 1, part: "start" });
  });

  test("a narrow span keeps a body in its middle third", () => {
    const narrow = [span(0, 60)]; // 12 px wide
    expect(hitSpan(narrow, 64 + 6, tickToX).part).toBe("body");
    expect(hitSpan(narrow, 64 + 1, tickToX).part).toBe("start");
    expect(hitSpan(narrow, 64 + 11, tickToX).part).toBe("end");
  });
});

describe("editing spans", () => {
  test("a drawn span is ordered in and stops at its neighbours", () => {
    expect(drawSpan(TWO, 1920, 2880, 120)).toEqual({ spans: [span(0, 1920), span(1920, 2880), span(3840, 5760)], index: 1 });
    // Dragged backwards past the span before, and forwards past the one after.
    expect(drawSpan(TWO, 2400, 960, 120).spans[1]).toEqual(span(1920, 2400));
    expect(drawSpan(TWO, 2400, 7000, 120).spans[1]).toEqual(span(2400, 3840));
    // A click draws one grid step.
    expect(drawSpan([], 480, 480, 120)).toEqual({ spans: [span(480, 600)], index: 0 });
    // Inside an existing span, or with no room, nothing is drawn.
    expect(drawSpan(TWO, 960, 1200, 120)).toBeNull();
    expect(drawSpan([span(0, 100), span(100, 200)], 100, 100, 10)).toBeNull();
  });

  test("a moved span keeps its length and stops at neighbours and at zero", () => {
    expect(moveSpan(TWO, 1, -480)).toEqual([span(0, 1920), span(3360, 5280)]);
    expect(moveSpan(TWO, 1, -5000)).toEqual([span(0, 1920), span(1920, 3840)]);
    expect(moveSpan(TWO, 0, 5000)).toEqual([span(1920, 3840), span(3840, 5760)]);
    expect(moveSpan(TWO, 0, -100)).toEqual(TWO);
    expect(moveSpan([span(0, 480)], 0, 1e6)).toEqual([span(1e6, 1e6 + 480)]);
  });

  test("a resized span keeps a minimum length and stops at neighbours", () => {
    expect(resizeSpan(TWO, 0, "end", 2400, 120)).toEqual([span(0, 2400), span(3840, 5760)]);
    expect(resizeSpan(TWO, 0, "end", 9000, 120)[0]).toEqual(span(0, 3840));
    expect(resizeSpan(TWO, 0, "end", -50, 120)[0]).toEqual(span(0, 120));
    expect(resizeSpan(TWO, 1, "start", 960, 120)[1]).toEqual(span(1920, 5760));
    expect(resizeSpan(TWO, 1, "start", 6000, 120)[1]).toEqual(span(5640, 5760));
    expect(resizeSpan(TWO, 0, "start", -10, 120)[0]).toEqual(span(0, 1920));
  });

  test("a deleted span leaves the others", () => {
    expect(deleteSpan(TWO, 0)).toEqual([span(3840, 5760)]);
  });
});

describe("dragging in the lane", () => {
  const options = (tool) => ({ tickToX, tool, stepTicks: 120, minTicks: 120 });
  // The tick under a pixel, as the roll converts it.
  const tickAt = (x) => ((x - 64) * 480) / 96;

  test("ticks snap to the grid, or to whole ticks with snapping off", () => {
    expect(snapTick(179, 120)).toBe(120);
    expect(snapTick(181, 120)).toBe(240);
    expect(snapTick(-5, 120)).toBe(0);
    expect(snapTick(180.4, 0)).toBe(180);
  });

  test("a draw on empty lane follows the pointer by grid steps and is said once done", () => {
    const drag = startDrag(TWO, 600, tickAt(600), options("draw"));
    expect(drag).toMatchObject({ mode: "draw", anchor: 2640, index: 1 });
    expect(drag.spans[1]).toEqual(span(2640, 2760));
    const now = dragTo(drag, tickAt(760), 120, 120);
    expect(now).toEqual({ spans: [span(0, 1920), span(2640, 3480), span(3840, 5760)], index: 1 });
    expect(finishDrag(drag, now.spans, FOUR_FOUR)).toEqual({ changed: true, text: "Pedal down bar 2 beat 2 and 2/16 to bar 2 beat 4 and 1/16" });
    // The select tool does not draw.
    expect(startDrag(TWO, 600, tickAt(600), options("select"))).toBeNull();
  });

  test("a body moves by whole grid steps and an end resizes, with either tool", () => {
    const move = startDrag(TWO, 200, tickAt(200), options("select"));
    expect(move).toMatchObject({ mode: "move", index: 0, grabTick: 680 });
    expect(dragTo(move, 680 + 130, 120, 120).spans[0]).toEqual(span(120, 2040));
    const resize = startDrag(TWO, 446, tickAt(446), options("draw"));
    expect(resize).toMatchObject({ mode: "resize", edge: "end", index: 0 });
    const now = dragTo(resize, 2410, 120, 120);
    expect(now.spans[0]).toEqual(span(0, 2400));
    expect(finishDrag(resize, now.spans, FOUR_FOUR).text).toBe("Pedal now down bar 1 beat 1 to bar 2 beat 2");
    expect(finishDrag(move, dragTo(move, 680 + 480, 120, 120).spans, FOUR_FOUR).text).toBe("Pedal moved: down bar 1 beat 2 to bar 2 beat 2");
  });

  test("a press that changes nothing selects the span", () => {
    const drag = startDrag(TWO, 900, tickAt(900), options("draw"));
    expect(finishDrag(drag, TWO, FOUR_FOUR)).toEqual({ changed: false, text: "Pedal 2 of 2 selected: down bar 3 beat 1 to bar 4 beat 1. Delete removes it" });
  });

  test("keys on the lane walk, delete and let go", () => {
    expect(laneKey("ArrowRight", null, 3)).toEqual({ kind: "select", index: 0 });
    expect(laneKey("ArrowLeft", null, 3)).toEqual({ kind: "select", index: 2 });
    expect(laneKey("ArrowRight", 2, 3)).toEqual({ kind: "select", index: 2 });
    expect(laneKey("ArrowLeft", 1, 3)).toEqual({ kind: "select", index: 0 });
    expect(laneKey("ArrowRight", null, 0)).toBeNull();
    expect(laneKey("Delete", 0, 3)).toEqual({ kind: "delete" });
    expect(laneKey("Backspace", null, 3)).toEqual({ kind: "delete" });
    expect(laneKey("Escape", 1, 3)).toEqual({ kind: "clear" });
    expect(laneKey("a", 1, 3)).toBeNull();
  });
});

describe("ringing under the pedal", () => {
  const spans = [span(0, 1920), span(1920, 3840), span(5760, 7680)];

  test("a note released while the pedal is down sounds until it lifts", () => {
    expect(soundingEndTick(spans, 480)).toBe(1920);
    expect(soundingEndTick(spans, 2000)).toBe(3840);
    expect(soundingEndTick(spans, 7679)).toBe(7680);
  });

  test("released with the pedal up, at a lift, or just as it goes down, a note stops", () => {
    expect(soundingEndTick(spans, 4000)).toBe(4000);
    expect(soundingEndTick(spans, 3840)).toBe(3840);
    // Released at a re-pedal: the old span lifts there and the new one starts there.
    expect(soundingEndTick(spans, 1920)).toBe(1920);
    expect(soundingEndTick(spans, 5760)).toBe(5760);
    expect(soundingEndTick(spans, 9000)).toBe(9000);
    expect(soundingEndTick([], 480)).toBe(480);
  });
});

describe("words and drawing", () => {
  test("changes are said in bars and beats", () => {
    expect(drawnText(span(1920, 3840), FOUR_FOUR)).toBe("Pedal down bar 2 beat 1 to bar 3 beat 1");
    expect(selectedText(span(0, 960), 0, 2, FOUR_FOUR)).toBe("Pedal 1 of 2 selected: down bar 1 beat 1 to bar 1 beat 3. Delete removes it");
    expect(deletedText(span(0, 960), FOUR_FOUR)).toBe("Pedal deleted (was down bar 1 beat 1 to bar 1 beat 3)");
    expect(laneLabel(0)).toStartWith("Pedal lane, no pedal");
    expect(laneLabel(1)).toStartWith("Pedal lane, 1 pedal span:");
    expect(laneLabel(3)).toStartWith("Pedal lane, 3 pedal spans:");
  });

  test("the lane draws its label and the visible spans, the selected one outlined", () => {
    const calls = [];
    const ctx = new Proxy(
      {},
      {
        get: (target, name) => (name in target ? target[name] : (...args) => calls.push([name, ...args])),
        set: (target, name, value) => {
          target[name] = value;
          calls.push([`=${String(name)}`, value]);
          return true;
        },
      },
    );
    drawPedalLane(ctx, { spans: [...TWO, span(96000, 97000)], selectedIndex: 1, top: 400, width: 1300, left: 64, right: 1290, tickToX });
    expect(calls).toContainEqual(["fillText", PEDAL_LABEL, 8, 414]);
    const bars = calls.filter((c) => c[0] === "fillRect" && c[2] === 406);
    expect(bars.map((c) => c[1])).toEqual([64, 832]);
    expect(calls.filter((c) => c[0] === "strokeRect")).toHaveLength(1);
  });
});

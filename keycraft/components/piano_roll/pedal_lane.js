// The sustain-pedal lane of the piano roll: spans ↔ pixels, hit testing, span edits and how
// long a note rings under the pedal. Pure functions (plus one that draws on a canvas context
// it is given), so piano_roll.jsx only wires them and `bun test` checks them.
//
// A span is {start_tick, end_tick}: the pedal is down from start_tick until end_tick
// (exclusive). Lists of spans are kept in time order and never overlap; one span may start
// at the tick another ends (a re-pedal), as keycraft/services/notes/pedal.py allows.
import { positionText } from "./roll_keys.js";

export const PEDAL_LANE_HEIGHT_PX = 28;
// How close (in pixels) to a span's end a press resizes it instead of moving it.
export const PEDAL_EDGE_PX = 6;
export const PEDAL_LABEL = "Pedal";
const SPAN_FILL = "#3d8bd6";
const SELECTED_FILL = "#f4f6fb";
const LANE_FILL = "#14171d";
const RULE_FILL = "#3a404c";
const LABEL_FILL = "#8a93a6";

const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
const bySpanStart = (a, b) => a.start_tick - b.start_tick || a.end_tick - b.end_tick;

// The spans a `pedals_json` prop (or a patch's `pedals`) holds, in order; malformed rows and
// overlaps (which the server never sends) are dropped rather than drawn wrong.
export function parsePedals(rows) {
  if (!Array.isArray(rows)) return [];
  const spans = rows
    .filter((r) => r && Number.isInteger(r.start_tick) && Number.isInteger(r.end_tick) && r.start_tick >= 0 && r.end_tick > r.start_tick)
    .map((r) => ({ start_tick: r.start_tick, end_tick: r.end_tick }))
    .sort(bySpanStart);
  const kept = [];
  spans.forEach((s) => {
    if (!kept.length || s.start_tick >= kept[kept.length - 1].end_tick) kept.push(s);
  });
  return kept;
}

export const spansEqual = (a, b) => a.length === b.length && a.every((s, i) => s.start_tick === b[i].start_tick && s.end_tick === b[i].end_tick);

// Left and right pixel of a span, given the roll's tick → x converter.
export const spanPixels = (span, tickToX) => ({ x0: tickToX(span.start_tick), x1: tickToX(span.end_tick) });

// What a press at `x` in the lane takes hold of: {index, part} with part "start" or "end"
// (within `edgePx` of that end: resize) or "body" (move); null on empty lane. A press inside
// a span wins over a neighbour's nearby end; in a span narrower than three edges, its middle
// third is the body.
export function hitSpan(spans, x, tickToX, edgePx = PEDAL_EDGE_PX) {
  for (let i = 0; i < spans.length; i++) {
    const { x0, x1 } = spanPixels(spans[i], tickToX);
    if (x < x0 || x >= x1) continue;
    const edge = Math.min(edgePx, (x1 - x0) / 3);
    if (x - x0 < edge) return { index: i, part: "start" };
    if (x1 - x <= edge) return { index: i, part: "end" };
    return { index: i, part: "body" };
  }
  for (let i = 0; i < spans.length; i++) {
    const { x0, x1 } = spanPixels(spans[i], tickToX);
    if (x >= x1 && x - x1 <= edgePx) return { index: i, part: "end" };
    if (x < x0 && x0 - x <= edgePx) return { index: i, part: "start" };
  }
  return null;
}

// Where the gap around `tick` begins and ends (the neighbours' ends), or null when a span
// holds `tick`.
function gapAround(spans, tick) {
  let start = 0;
  let end = Infinity;
  for (const s of spans) {
    if (s.start_tick <= tick && tick < s.end_tick) return null;
    if (s.end_tick <= tick) start = Math.max(start, s.end_tick);
    else if (s.start_tick > tick) end = Math.min(end, s.start_tick);
  }
  return { start, end };
}

// A drawn span from `anchorTick` (where the press was) to `tick` (where the pointer is), both
// already snapped, at least `minTicks` long and kept inside the gap it starts in.
// Returns {spans, index} (the new list and the new span's place) or null when nothing fits.
export function drawSpan(spans, anchorTick, tick, minTicks) {
  const gap = gapAround(spans, anchorTick);
  if (!gap) return null;
  let start = Math.min(anchorTick, tick);
  let end = Math.max(anchorTick, tick);
  if (end - start < minTicks) end = start + minTicks;
  start = Math.max(start, gap.start);
  end = Math.min(end, gap.end);
  if (end <= start) return null;
  const span = { start_tick: start, end_tick: end };
  const next = [...spans, span].sort(bySpanStart);
  return { spans: next, index: next.indexOf(span) };
}

// The span at `index` moved by `deltaTicks`, stopping at its neighbours and at tick 0.
export function moveSpan(spans, index, deltaTicks) {
  const s = spans[index];
  const length = s.end_tick - s.start_tick;
  const lo = index > 0 ? spans[index - 1].end_tick : 0;
  const hi = index + 1 < spans.length ? spans[index + 1].start_tick : Infinity;
  const start = clamp(s.start_tick + deltaTicks, lo, Math.max(lo, hi - length));
  return spans.map((span, i) => (i === index ? { start_tick: start, end_tick: start + length } : span));
}

// The span at `index` with its `edge` ("start" or "end") at `tick`, at least `minTicks` long
// (when it was) and stopping at its neighbours.
export function resizeSpan(spans, index, edge, tick, minTicks) {
  const s = spans[index];
  let { start_tick: start, end_tick: end } = s;
  if (edge === "start") {
    const lo = index > 0 ? spans[index - 1].end_tick : 0;
    start = clamp(tick, lo, Math.max(lo, end - minTicks));
    start = Math.min(start, end - 1);
  } else {
    const hi = index + 1 < spans.length ? spans[index + 1].start_tick : Infinity;
    end = clamp(tick, Math.min(hi, start + minTicks), hi);
    end = Math.max(end, start + 1);
  }
  return spans.map((span, i) => (i === index ? { start_tick: start, end_tick: end } : span));
}

export const deleteSpan = (spans, index) => spans.filter((_, i) => i !== index);

export const snapTick = (tick, stepTicks) => (stepTicks > 0 ? Math.max(0, Math.round(tick / stepTicks) * stepTicks) : Math.max(0, Math.round(tick)));

// What a press in the lane at `x` (at `tick`) starts: a span's end resizes it, its body moves
// it, and with the draw tool empty lane draws a span of `minTicks` from the grid point there.
// Returns the drag {mode, index, origin, spans, ...} (`spans` as shown now, `index` the span
// held) or null (select tool on empty lane, or no room to draw).
export function startDrag(spans, x, tick, { tickToX, tool, stepTicks, minTicks }) {
  const hit = hitSpan(spans, x, tickToX);
  if (hit) return { mode: hit.part === "body" ? "move" : "resize", edge: hit.part, index: hit.index, origin: spans, spans, grabTick: tick };
  if (tool !== "draw") return null;
  const anchor = snapTick(tick, stepTicks);
  const drawn = drawSpan(spans, anchor, anchor, minTicks);
  return drawn && { mode: "draw", index: drawn.index, origin: spans, spans: drawn.spans, anchor };
}

// The spans while the drag's pointer is at `tick`, computed from the spans before the drag:
// a move goes by whole grid steps, a resize or a drawn end snaps to the grid.
// Returns {spans, index}.
export function dragTo(drag, tick, stepTicks, minTicks) {
  if (drag.mode === "move") {
    const delta = stepTicks > 0 ? Math.round((tick - drag.grabTick) / stepTicks) * stepTicks : Math.round(tick - drag.grabTick);
    return { spans: moveSpan(drag.origin, drag.index, delta), index: drag.index };
  }
  if (drag.mode === "resize") return { spans: resizeSpan(drag.origin, drag.index, drag.edge, snapTick(tick, stepTicks), minTicks), index: drag.index };
  return drawSpan(drag.origin, drag.anchor, snapTick(tick, stepTicks), minTicks) || { spans: drag.spans, index: drag.index };
}

// What a finished drag leaves: whether the spans changed (one edit to save) and what to say.
// A press that changed nothing selects the span it was on.
export function finishDrag(drag, spans, meterMap) {
  if (spansEqual(spans, drag.origin)) return { changed: false, text: selectedText(spans[drag.index], drag.index, spans.length, meterMap) };
  const words = { draw: drawnText, move: movedText, resize: resizedText }[drag.mode];
  return { changed: true, text: words(spans[drag.index], meterMap) };
}

// A key pressed on the focused lane: {kind: "select", index} (arrows walk the spans, from
// either end when none is selected), {kind: "delete"}, {kind: "clear"} (Escape), or null.
export function laneKey(key, selected, count) {
  if ((key === "ArrowRight" || key === "ArrowLeft") && count) {
    const step = key === "ArrowRight" ? 1 : -1;
    return { kind: "select", index: selected === null ? (step > 0 ? 0 : count - 1) : clamp(selected + step, 0, count - 1) };
  }
  if (key === "Delete" || key === "Backspace") return { kind: "delete" };
  if (key === "Escape") return { kind: "clear" };
  return null;
}

// When a note released at `endTick` stops sounding: at the end of the pedal span it is
// released under, else at `endTick`. A span starting at the release tick does not catch the
// note: a press at a tick comes after that tick's key releases (as MIDI export orders them).
export function soundingEndTick(spans, endTick) {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start_tick < endTick) lo = mid + 1;
    else hi = mid;
  }
  const s = spans[lo - 1];
  return s && endTick < s.end_tick ? s.end_tick : endTick;
}

// The words the live region says.
export const spanText = (span, meterMap) => `${positionText(span.start_tick, meterMap)} to ${positionText(span.end_tick, meterMap)}`;
export const drawnText = (span, meterMap) => `Pedal down ${spanText(span, meterMap)}`;
export const movedText = (span, meterMap) => `Pedal moved: down ${spanText(span, meterMap)}`;
export const resizedText = (span, meterMap) => `Pedal now down ${spanText(span, meterMap)}`;
export const selectedText = (span, index, count, meterMap) => `Pedal ${index + 1} of ${count} selected: down ${spanText(span, meterMap)}. Delete removes it`;
export const deletedText = (span, meterMap) => `Pedal deleted (was down ${spanText(span, meterMap)})`;
export const laneLabel = (count) =>
  `Pedal lane, ${count === 0 ? "no pedal" : count === 1 ? "1 pedal span" : `${count} pedal spans`}: Left and Right arrows pick a span, Delete removes it`;

// Draw the lane into `ctx` between `top` and `top + PEDAL_LANE_HEIGHT_PX`: its label left of
// `left`, the spans (culled to [left, right]) as bars, the selected one light and outlined.
export function drawPedalLane(ctx, { spans, selectedIndex, top, width, left, right, tickToX }) {
  ctx.fillStyle = LANE_FILL;
  ctx.fillRect(0, top, width, PEDAL_LANE_HEIGHT_PX);
  ctx.fillStyle = RULE_FILL;
  ctx.fillRect(0, top, width, 1);
  ctx.fillStyle = LABEL_FILL;
  ctx.font = "10px sans-serif";
  ctx.textBaseline = "middle";
  ctx.fillText(PEDAL_LABEL, 8, top + PEDAL_LANE_HEIGHT_PX / 2);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top + 1, right - left, PEDAL_LANE_HEIGHT_PX - 1);
  ctx.clip();
  const barTop = top + 6;
  const barHeight = PEDAL_LANE_HEIGHT_PX - 12;
  spans.forEach((span, i) => {
    const { x0, x1 } = spanPixels(span, tickToX);
    if (x1 < left || x0 > right) return;
    const selected = i === selectedIndex;
    ctx.fillStyle = selected ? SELECTED_FILL : SPAN_FILL;
    // A pixel's gap at the right keeps a re-pedal (two touching spans) visibly two.
    ctx.fillRect(x0, barTop, Math.max(2, x1 - x0 - 1), barHeight);
    if (selected) {
      ctx.strokeStyle = "#0b0d12";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + 0.5, barTop + 0.5, Math.max(2, x1 - x0 - 2), barHeight - 1);
    }
  });
  ctx.restore();
}

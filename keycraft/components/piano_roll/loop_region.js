// The loop region without the DOM: which loop is shown, what a press on the ruler does to it
// and what a drag makes of it. Shift+drag on the ruler draws a loop; its edges can be dragged;
// loops snap to beats whatever the note grid (they are counted in bars and beats). The
// pointer module owns the drag; loop_region.test.js runs these under `bun test`.
import { nearestBeatTick } from "./timing.js";
import { barTicksAt } from "./roll_state.js";

// How close (pixels) to a loop edge on the ruler a press takes the edge.
export const LOOP_EDGE_PX = 6;

// The loop in force: the one being dragged wins over the props until Python echoes it.
export function loopRegion(props, draft) {
  if (draft) return draft;
  return { enabled: !!props.loopEnabled && props.loopEndTick > props.loopStartTick, start: props.loopStartTick || 0, end: props.loopEndTick || 0 };
}

// "start" or "end" when ``x`` is on that edge of an enabled loop, else null.
export function loopEdgeAt(region, x, tickToX) {
  if (!region.enabled) return null;
  if (Math.abs(x - tickToX(region.start)) <= LOOP_EDGE_PX) return "start";
  if (Math.abs(x - tickToX(region.end)) <= LOOP_EDGE_PX) return "end";
  return null;
}

// A press on the ruler at ``x`` (``tick`` under it): {drag, draft} when it starts a loop drag
// (an edge, or Shift for a new one-bar loop at the nearest beat), or null (a plain seek).
export function startLoopDrag(region, x, tick, shiftKey, tickToX, meterMap) {
  const edge = loopEdgeAt(region, x, tickToX);
  if (edge) return { drag: { kind: "loop", fixed: edge === "start" ? region.end : region.start, moved: false }, draft: null };
  if (!shiftKey) return null;
  const anchor = nearestBeatTick(tick, meterMap);
  return {
    drag: { kind: "loop", fixed: anchor, moved: false, created: true },
    draft: { enabled: true, start: anchor, end: anchor + barTicksAt(meterMap, anchor) },
  };
}

// The loop a drag shows with the pointer at ``tick``, or null while it stays on its fixed
// beat. Marks the drag as moved.
export function movedLoop(drag, tick, meterMap) {
  const beat = nearestBeatTick(tick, meterMap);
  if (beat === drag.fixed) return null;
  drag.moved = true;
  return { enabled: true, start: Math.min(drag.fixed, beat), end: Math.max(drag.fixed, beat) };
}

// What a finished drag reports: the loop's whole ticks, or null for a press that changed
// nothing (the draft is then dropped).
export function finishedLoop(drag, region) {
  if (!drag.moved && !drag.created) return null;
  return { start_tick: Math.round(region.start), end_tick: Math.round(region.end) };
}

// ``toTick`` cut at the loop's end while it loops (not during a take, which never loops), so a
// window never schedules notes after the loop's end.
export function windowEndInLoop(fromTick, toTick, region, taking) {
  return region.enabled && !taking && fromTick < region.end ? Math.min(toTick, region.end) : toTick;
}

// The tick play starts from: the loop's start unless the playhead is already inside it.
export function playStartTick(playheadTick, region) {
  return region.enabled && (playheadTick < region.start || playheadTick >= region.end) ? region.start : playheadTick;
}

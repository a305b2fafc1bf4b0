// Bar 1's handle on the ruler, without the DOM: whether it shows, whether a press takes it,
// and what a drag of it reports. It shows for a piece whose beats were tracked from its
// recording (``firstDownbeatTick`` at or after 0) as a flag in the ruler's top strip, above
// the bar numbers and the loop's band, so a loop edge on the same bar line stays reachable
// below it. The drop is sent as it is; the server moves bar 1 to the tracked beat nearest
// to it. The pointer module owns the drag; downbeat_handle.test.js runs these under `bun test`.

// How far (pixels) either side of bar 1's line a press takes the handle.
export const HANDLE_HALF_WIDTH_PX = 7;
// The ruler's top strip the flag is drawn in and taken from.
export const HANDLE_HEIGHT_PX = 10;

// Whether the roll shows the handle: an editable roll of a piece with tracked beats.
export function handleShown(props) {
  return !props.readOnly && Number.isFinite(props.firstDownbeatTick) && props.firstDownbeatTick >= 0;
}

// Whether a press at (x, y) on the ruler takes the handle.
export function onHandle(props, x, y, tickToX) {
  return handleShown(props) && y < HANDLE_HEIGHT_PX && Math.abs(x - tickToX(props.firstDownbeatTick)) <= HANDLE_HALF_WIDTH_PX;
}

// The drag a press at (x, y) starts, or null when the press is not on the handle. ``tick`` is
// the tick under the press: a press let go without dragging is a click on the ruler there.
export function startHandleDrag(props, x, y, tickToX, tick) {
  if (!onHandle(props, x, y, tickToX)) return null;
  const from = props.firstDownbeatTick;
  return { kind: "downbeat", fromTick: from, tick: from, pressTick: tick, moved: false };
}

// Follow the pointer at ``tick`` (never before the start).
export function moveHandle(drag, tick) {
  const at = Math.max(0, Math.round(tick));
  if (at === drag.tick) return;
  drag.tick = at;
  drag.moved = true;
}

// What a finished drag reports: ``{tick}`` where it was let go, or null for a press that
// went nowhere (back where it started, or never moved).
export function droppedHandle(drag) {
  return drag.moved && drag.tick !== drag.fromTick ? { tick: drag.tick } : null;
}

// Where the flag is drawn: the drag's tick while one runs, else bar 1's.
export function handleTick(props, drag) {
  return drag && drag.kind === "downbeat" ? drag.tick : props.firstDownbeatTick;
}

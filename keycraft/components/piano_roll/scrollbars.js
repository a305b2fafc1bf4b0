// The roll's scrollbars, without the DOM: thumb size and place from the ``view`` and ``layout``
// of geometry.js, hit testing, the scroll a thumb drag asks for, and drawing them.
// A bar is {axis, trackStart, trackPx, thumbPx, thumbAt, range}, in canvas pixels; ``range``
// is how far the content scrolls. scrollbars.test.js runs them under `bun test`.
import { HIGHEST_PITCH, KEYBOARD_WIDTH_PX, LOWEST_PITCH, RULER_HEIGHT_PX, SCROLLBAR_PX, clamp, ticksToPx } from "./geometry.js";

export const MIN_THUMB_PX = 24;

function bar(axis, trackStart, trackPx, viewPx, contentPx, scrollPx) {
  const thumbPx = Math.max(MIN_THUMB_PX, (viewPx / contentPx) * trackPx);
  const range = Math.max(1, contentPx - viewPx);
  const thumbAt = trackStart + (scrollPx / range) * (trackPx - thumbPx);
  return { axis, trackStart, trackPx, thumbPx, thumbAt, range };
}

// Under the grid: the content runs to ``contentEndTick``, or past it when scrolled further.
export function horizontalScrollbar(layout, view, contentEndTick) {
  const viewPx = Math.max(1, layout.gridRight - KEYBOARD_WIDTH_PX);
  const contentPx = Math.max(viewPx, ticksToPx(view, contentEndTick), view.scrollXPx + viewPx);
  return bar("x", KEYBOARD_WIDTH_PX, viewPx, viewPx, contentPx, view.scrollXPx);
}

// Right of the grid: the content is all 88 keys.
export function verticalScrollbar(layout, view) {
  const viewPx = Math.max(1, layout.gridBottom - RULER_HEIGHT_PX);
  const contentPx = Math.max(viewPx, (HIGHEST_PITCH - LOWEST_PITCH + 1) * view.keyHeightPx);
  return bar("y", RULER_HEIGHT_PX, viewPx, viewPx, contentPx, view.scrollYPx);
}

// The scrollbar under (x, y), or null.
export function scrollbarAt(layout, view, contentEndTick, x, y) {
  if (y >= layout.laneBottom && x >= KEYBOARD_WIDTH_PX && x < layout.gridRight) return horizontalScrollbar(layout, view, contentEndTick);
  if (x >= layout.gridRight && y >= RULER_HEIGHT_PX && y < layout.gridBottom) return verticalScrollbar(layout, view);
  return null;
}

// A press on ``scrollbar`` at (x, y) starts a drag {bar, grab}: held where the thumb was
// pressed, or (on the track) jumping there with the thumb centred under the pointer.
export function startThumbDrag(scrollbar, x, y) {
  const thumbHit = (scrollbar.axis === "x" ? x : y) - scrollbar.thumbAt;
  const grab = thumbHit >= 0 && thumbHit <= scrollbar.thumbPx ? thumbHit : scrollbar.thumbPx / 2;
  return { bar: scrollbar, grab };
}

// The scroll (px along the bar's axis) that puts the dragged thumb under (x, y).
export function scrollForThumbDrag(drag, x, y) {
  const scrollbar = drag.bar;
  const pointer = scrollbar.axis === "x" ? x : y;
  const free = Math.max(1, scrollbar.trackPx - scrollbar.thumbPx);
  return clamp(((pointer - drag.grab - scrollbar.trackStart) / free) * scrollbar.range, 0, scrollbar.range);
}

// Where the thumb's middle is, for pointing at it: {x, y} on the canvas.
export function thumbCentre(layout, scrollbar) {
  const along = scrollbar.thumbAt + scrollbar.thumbPx / 2;
  const across = SCROLLBAR_PX / 2;
  return scrollbar.axis === "x" ? { x: along, y: layout.laneBottom + across } : { x: layout.gridRight + across, y: along };
}

function drawScrollbar(ctx, layout, scrollbar, dragged) {
  const horizontal = scrollbar.axis === "x";
  ctx.fillStyle = "#14161b";
  if (horizontal) ctx.fillRect(scrollbar.trackStart, layout.laneBottom, scrollbar.trackPx, SCROLLBAR_PX);
  else ctx.fillRect(layout.gridRight, scrollbar.trackStart, SCROLLBAR_PX, scrollbar.trackPx);
  ctx.fillStyle = dragged ? "#8a93a6" : "#5a6170";
  if (horizontal) ctx.fillRect(scrollbar.thumbAt, layout.laneBottom + 2, scrollbar.thumbPx, SCROLLBAR_PX - 4);
  else ctx.fillRect(layout.gridRight + 2, scrollbar.thumbAt, SCROLLBAR_PX - 4, scrollbar.thumbPx);
}

// Both bars and the corner between them; ``draggedAxis`` ("x", "y" or null) is lit.
export function drawScrollbars(ctx, layout, view, contentEndTick, draggedAxis) {
  drawScrollbar(ctx, layout, horizontalScrollbar(layout, view, contentEndTick), draggedAxis === "x");
  drawScrollbar(ctx, layout, verticalScrollbar(layout, view), draggedAxis === "y");
  ctx.fillStyle = "#14161b";
  ctx.fillRect(layout.gridRight, layout.laneBottom, SCROLLBAR_PX, SCROLLBAR_PX);
}

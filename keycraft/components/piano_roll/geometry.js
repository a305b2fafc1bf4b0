// Where things are on the roll's canvas, without the DOM: ticks and pitches to pixels and back
// for a named ``view`` ({scrollXPx, scrollYPx, pxPerBeat, keyHeightPx}), the ``layout`` of the
// grid and the lanes below it, zooming about a point and fitting the view to the notes.
// piano_roll.jsx keeps one view and calls these; geometry.test.js runs them under `bun test`.
import { PEDAL_LANE_HEIGHT_PX } from "./pedal_lane.js";
import { HIGHEST_PITCH, LOWEST_PITCH } from "./roll_keys.js";
import { TICKS_PER_QUARTER } from "./timing.js";

export { HIGHEST_PITCH, LOWEST_PITCH };
export const KEYBOARD_WIDTH_PX = 64;
export const RULER_HEIGHT_PX = 24;
export const VELOCITY_LANE_HEIGHT_PX = 72;
export const SCROLLBAR_PX = 10;
export const MIN_PX_PER_BEAT = 12;
export const MAX_PX_PER_BEAT = 800;
export const MIN_KEY_HEIGHT_PX = 5;
export const MAX_KEY_HEIGHT_PX = 32;
// Keys shown above and below the piece's pitch range when the view fits the notes.
export const FIT_MARGIN_KEYS = 2;
const KEY_COUNT = HIGHEST_PITCH - LOWEST_PITCH + 1;

export const clamp = (value, low, high) => Math.max(low, Math.min(high, value));

// ---------------------------------------------------------------- ticks, pitches, pixels
export const ticksToPx = (view, ticks) => (ticks * view.pxPerBeat) / TICKS_PER_QUARTER;
export const tickToX = (view, tick) => KEYBOARD_WIDTH_PX + ticksToPx(view, tick) - view.scrollXPx;
// Never before tick 0: the keyboard's x maps to the first tick on screen.
export const xToTick = (view, x) => Math.max(0, ((x - KEYBOARD_WIDTH_PX + view.scrollXPx) * TICKS_PER_QUARTER) / view.pxPerBeat);
// The top of the pitch's row; rows run from the highest key down.
export const pitchToY = (view, pitch) => RULER_HEIGHT_PX + (HIGHEST_PITCH - pitch) * view.keyHeightPx - view.scrollYPx;
export const yToPitch = (view, y) => HIGHEST_PITCH - Math.floor((y - RULER_HEIGHT_PX + view.scrollYPx) / view.keyHeightPx);

// The four converters bound to a snapshot of ``view`` (what pedal_lane.js and the drawing
// take), with its zoom; later changes to ``view`` do not move it.
export function viewMapping(view) {
  const frozen = { scrollXPx: view.scrollXPx, scrollYPx: view.scrollYPx, pxPerBeat: view.pxPerBeat, keyHeightPx: view.keyHeightPx };
  return {
    tickToX: (tick) => tickToX(frozen, tick),
    xToTick: (x) => xToTick(frozen, x),
    pitchToY: (pitch) => pitchToY(frozen, pitch),
    yToPitch: (y) => yToPitch(frozen, y),
    keyHeightPx: frozen.keyHeightPx,
    pxPerBeat: frozen.pxPerBeat,
  };
}

// ---------------------------------------------------------------- layout
// The grid sits between the ruler and the pedal lane, above the velocity lane; scrollbars take
// the right and bottom edges. A read-only roll (the landing demo) has no lanes or scrollbars.
export function rollLayout(widthPx, heightPx, readOnly) {
  const chromePx = readOnly ? 0 : SCROLLBAR_PX;
  const laneBottom = heightPx - chromePx;
  const laneTop = laneBottom - (readOnly ? 0 : VELOCITY_LANE_HEIGHT_PX);
  const pedalTop = laneTop - (readOnly ? 0 : PEDAL_LANE_HEIGHT_PX);
  return { widthPx, heightPx, gridRight: widthPx - chromePx, gridBottom: pedalTop, pedalTop, laneTop, laneBottom };
}

export const gridWidthPx = (layout) => layout.gridRight - KEYBOARD_WIDTH_PX;
export const gridHeightPx = (layout) => layout.gridBottom - RULER_HEIGHT_PX;
// How far the rows scroll: all 88 keys, less what the grid shows.
export const maxScrollYPx = (view, layout) => Math.max(0, KEY_COUNT * view.keyHeightPx - gridHeightPx(layout));

// ---------------------------------------------------------------- zoom and fit
// The horizontal zoom ``factor`` times the view's, keeping the tick under ``anchorX`` in place.
export function zoomedX(view, factor, anchorX = KEYBOARD_WIDTH_PX) {
  const tickAtAnchor = xToTick(view, anchorX);
  const pxPerBeat = clamp(view.pxPerBeat * factor, MIN_PX_PER_BEAT, MAX_PX_PER_BEAT);
  const scrollXPx = Math.max(0, (tickAtAnchor * pxPerBeat) / TICKS_PER_QUARTER - (anchorX - KEYBOARD_WIDTH_PX));
  return { pxPerBeat, scrollXPx };
}

// The key height ``factor`` times the view's, keeping the row under ``anchorY`` in place.
export function zoomedY(view, factor, anchorY, layout) {
  const offset = anchorY - RULER_HEIGHT_PX;
  const rowsAbove = (offset + view.scrollYPx) / view.keyHeightPx;
  const keyHeightPx = clamp(view.keyHeightPx * factor, MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX);
  const scrollYPx = clamp(rowsAbove * keyHeightPx - offset, 0, maxScrollYPx({ keyHeightPx }, layout));
  return { keyHeightPx, scrollYPx };
}

// The view showing ``endTick`` ticks across the grid and the pitches ``lowPitch``..``highPitch``
// (plus a margin) centred, as tall as keys may be; null while the grid has no size yet.
// Below the editor's zoom-out limit if need be: a phone is narrower than 8 bars at 12 px a beat.
export function fittedView(layout, { endTick, lowPitch, highPitch }) {
  const viewWidthPx = gridWidthPx(layout);
  const viewHeightPx = gridHeightPx(layout);
  if (viewWidthPx <= 0 || viewHeightPx <= 0) return null;
  const pxPerBeat = Math.min(MAX_PX_PER_BEAT, (viewWidthPx * TICKS_PER_QUARTER) / Math.max(1, endTick));
  const top = Math.min(HIGHEST_PITCH, highPitch + FIT_MARGIN_KEYS);
  const rows = top - Math.max(LOWEST_PITCH, lowPitch - FIT_MARGIN_KEYS) + 1;
  const keyHeightPx = clamp(viewHeightPx / rows, MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX);
  const scrollYPx = clamp((HIGHEST_PITCH - top + rows / 2) * keyHeightPx - viewHeightPx / 2, 0, maxScrollYPx({ keyHeightPx }, layout));
  return { scrollXPx: 0, scrollYPx, pxPerBeat, keyHeightPx };
}

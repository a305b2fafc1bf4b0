// The velocity lane under the roll, without the DOM: one bar per note at its start, as tall as
// its velocity; a drag paints the bars it crosses (or sets the whole selection when it starts
// on a selected note's bar). Functions take the roll's named objects: ``notes`` (id -> note),
// ``selectedIds``, the ``view`` and ``layout`` of geometry.js. velocity_lane.test.js runs them.
import { KEYBOARD_WIDTH_PX, VELOCITY_LANE_HEIGHT_PX, clamp, tickToX, xToTick } from "./geometry.js";
import { SELECTED_FILL, VELOCITY_PALETTE } from "./roll_keys.js";
import { TICKS_PER_QUARTER } from "./timing.js";

export const VELOCITY_BAR_PX = 3;
// Room left under the loudest bar and over the quietest, so both stay visible and grabbable.
const PADDING_PX = 4;
const USABLE_PX = VELOCITY_LANE_HEIGHT_PX - 2 * PADDING_PX;

// Quiet notes are blue, loud ones red; selected notes are near white (roll_keys.js).
export const velocityColour = (velocity, selected) => (selected ? SELECTED_FILL : VELOCITY_PALETTE[velocity]);

// ---------------------------------------------------------------- pixels and velocities
export const velocityAtY = (layout, y) => clamp(Math.round(((layout.laneBottom - PADDING_PX - y) / USABLE_PX) * 126) + 1, 1, 127);
// The y a pointer presses to set ``velocity`` (the inverse of velocityAtY).
export const yForVelocity = (layout, velocity) => layout.laneBottom - PADDING_PX - ((velocity - 1) / 126) * USABLE_PX;
const barHeightPx = (velocity) => Math.max(1, (velocity / 127) * USABLE_PX);

// Ids of notes whose bar (at the note's start) lies between two x positions, either order.
export function barIdsBetween(notes, view, xA, xB) {
  const low = Math.min(xA, xB) - VELOCITY_BAR_PX;
  const high = Math.max(xA, xB) + 1;
  const ids = [];
  notes.forEach((note, id) => {
    const x = tickToX(view, note.start_tick);
    if (x >= low && x <= high) ids.push(id);
  });
  return ids;
}

// ---------------------------------------------------------------- dragging
// Each note touched keeps its velocity from before the drag in ``drag.origins``.
function paint(drag, notes, ids, velocity) {
  ids.forEach((id) => {
    const note = notes.get(id);
    if (!note) return;
    if (!drag.origins.has(id)) drag.origins.set(id, note.velocity);
    if (note.velocity !== velocity) notes.set(id, { ...note, velocity });
  });
}

// A press at (x, y) in the lane: the drag {group, origins, lastX}, its first paint done.
export function startVelocityDrag(notes, selectedIds, view, layout, x, y) {
  const hits = barIdsBetween(notes, view, x, x);
  const group = hits.some((id) => selectedIds.has(id));
  const drag = { group, origins: new Map(), lastX: x };
  paint(drag, notes, group ? Array.from(selectedIds) : hits, velocityAtY(layout, y));
  return drag;
}

// The pointer moved to (x, y): paint every bar crossed since the last move.
export function moveVelocityDrag(drag, notes, selectedIds, view, layout, x, y) {
  paint(drag, notes, drag.group ? Array.from(selectedIds) : barIdsBetween(notes, view, drag.lastX, x), velocityAtY(layout, y));
  drag.lastX = x;
}

// Ids the finished drag really changed (a bar painted back to where it was is no edit).
export function changedVelocityIds(drag, notes) {
  const ids = [];
  drag.origins.forEach((velocity, id) => {
    const note = notes.get(id);
    if (note && note.velocity !== velocity) ids.push(id);
  });
  return ids;
}

// ---------------------------------------------------------------- drawing
export function drawVelocityLane(ctx, layout, view, notes, selectedIds) {
  ctx.fillStyle = "#171a20";
  ctx.fillRect(0, layout.laneTop, layout.widthPx, VELOCITY_LANE_HEIGHT_PX);
  ctx.fillStyle = "#3a404c";
  ctx.fillRect(0, layout.laneTop, layout.widthPx, 1);
  ctx.fillStyle = "#8a93a6";
  ctx.font = "10px sans-serif";
  ctx.textBaseline = "middle";
  ctx.fillText("Velocity", 8, layout.laneTop + VELOCITY_LANE_HEIGHT_PX / 2);
  ctx.save();
  ctx.beginPath();
  ctx.rect(KEYBOARD_WIDTH_PX, layout.laneTop + 1, layout.gridRight - KEYBOARD_WIDTH_PX, VELOCITY_LANE_HEIGHT_PX - 1);
  ctx.clip();
  // A bar drawn at a note's start shows a little left of it: start a beat early.
  const firstTick = xToTick(view, KEYBOARD_WIDTH_PX) - TICKS_PER_QUARTER;
  const lastTick = xToTick(view, layout.gridRight);
  const drawBar = (note, selected) => {
    const x = tickToX(view, note.start_tick);
    const heightPx = barHeightPx(note.velocity);
    ctx.fillStyle = velocityColour(note.velocity, selected);
    ctx.fillRect(x, layout.laneBottom - PADDING_PX - heightPx, VELOCITY_BAR_PX, heightPx);
    if (selected) {
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(x - 2, layout.laneBottom - PADDING_PX - heightPx - 2, VELOCITY_BAR_PX + 4, 2);
    }
  };
  // Selected bars last, so they (outlined) stay visible on top of chords.
  const selectedNotes = [];
  notes.forEach((note, id) => {
    if (note.start_tick < firstTick || note.start_tick > lastTick) return;
    if (selectedIds.has(id)) selectedNotes.push(note);
    else drawBar(note, false);
  });
  selectedNotes.forEach((note) => drawBar(note, true));
  ctx.restore();
}

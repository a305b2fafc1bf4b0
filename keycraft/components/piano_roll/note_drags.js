// Pointer edits of notes on the grid, without the DOM: which note is under the pointer, what a
// rubber band selects, and where a move or a resize puts the dragged notes. Functions take the
// roll's ``notes`` (id -> note) and the ``view`` of geometry.js; piano_roll.jsx owns the drag
// and commits what changed. note_drags.test.js runs them under `bun test`.
import { clamp, tickToX, xToTick, yToPitch } from "./geometry.js";
import { snap } from "./timing.js";

// How close (in pixels) to a note's end a press resizes it instead of moving it.
export const RESIZE_EDGE_PX = 6;
// A note narrower than this on screen is still this wide to the pointer.
const MIN_HIT_PX = 3;
const MIDI_TOP = 127;

// The note under (x, y) as {id, note, nearEnd}, or null; the last one drawn wins.
// ``nearEnd``: the press is on the note's end and the note is wide enough to have one.
export function noteAt(notes, view, x, y) {
  const pitch = yToPitch(view, y);
  let found = null;
  notes.forEach((note, id) => {
    if (note.pitch_midi !== pitch) return;
    const startX = tickToX(view, note.start_tick);
    const endX = tickToX(view, note.start_tick + note.duration_ticks);
    if (x >= startX && x <= Math.max(endX, startX + MIN_HIT_PX)) {
      found = { id, note, nearEnd: endX - x <= RESIZE_EDGE_PX && endX - startX > RESIZE_EDGE_PX * 2 };
    }
  });
  return found;
}

// The ids a rubber band {x0, y0, x1, y1} selects, added to ``baseIds``: notes sounding in
// its tick span on a pitch it covers.
export function bandSelection(notes, view, band, baseIds) {
  const fromTick = xToTick(view, Math.min(band.x0, band.x1));
  const toTick = xToTick(view, Math.max(band.x0, band.x1));
  const highPitch = yToPitch(view, Math.min(band.y0, band.y1));
  const lowPitch = yToPitch(view, Math.max(band.y0, band.y1));
  const selected = new Set(baseIds);
  notes.forEach((note, id) => {
    if (note.pitch_midi >= lowPitch && note.pitch_midi <= highPitch && note.start_tick < toTick && note.start_tick + note.duration_ticks > fromTick) selected.add(id);
  });
  return selected;
}

// How far a move drag shifts every note in ``origins`` (id -> note before the drag): the anchor
// note's start follows the pointer (on the grid when ``stepTicks`` > 0), and no note may go
// before tick 0 or off the MIDI range. Returns {deltaTicks, deltaPitch}.
export function moveOffsets(origins, anchor, pressTick, pressPitch, tick, pitch, stepTicks) {
  const unsnapped = anchor.start_tick + (tick - pressTick);
  const newStart = stepTicks > 0 ? snap(unsnapped, stepTicks) : Math.max(0, Math.round(unsnapped));
  let deltaTicks = newStart - anchor.start_tick;
  let deltaPitch = clamp(pitch, 0, MIDI_TOP) - pressPitch;
  origins.forEach((origin) => {
    deltaTicks = Math.max(deltaTicks, -origin.start_tick);
    deltaPitch = clamp(deltaPitch, -origin.pitch_midi, MIDI_TOP - origin.pitch_midi);
  });
  return { deltaTicks, deltaPitch };
}

// How much longer a resize drag makes every note: the anchor note ends at the pointer (on the
// grid when ``stepTicks`` > 0).
export function resizeDeltaTicks(anchor, tick, stepTicks) {
  const end = stepTicks > 0 ? snap(tick, stepTicks) : Math.round(tick);
  return end - (anchor.start_tick + anchor.duration_ticks);
}

// A note resized by ``deltaTicks``, never shorter than one grid step (or one tick).
export const resizedNote = (origin, deltaTicks, stepTicks) => ({ ...origin, duration_ticks: Math.max(stepTicks || 1, origin.duration_ticks + deltaTicks) });

// Ids whose note differs from its origin (or all of them, for a note the drag created).
export function changedNoteIds(origins, notes, created) {
  const ids = [];
  origins.forEach((origin, id) => {
    const note = notes.get(id);
    if (created || note.start_tick !== origin.start_tick || note.duration_ticks !== origin.duration_ticks || note.pitch_midi !== origin.pitch_midi) ids.push(id);
  });
  return ids;
}

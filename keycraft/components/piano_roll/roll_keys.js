// Keyboard editing in the roll, without the DOM: the key map, the cursor (a tick and a pitch),
// walking and selecting notes, what is announced to screen readers, and the note colours.
// piano_roll.jsx wires it to its state; roll_keys.test.js runs it under `bun test`. Notes are
// named by a namer from note_names.js, spelled for the piece's key (C major by default).
import { DEFAULT_KEY, noteNamer } from "./note_names.js";

export const LOWEST_PITCH = 21;
export const HIGHEST_PITCH = 108;
export const TICKS_PER_QUARTER = 480;
// Steps the velocity keys take, and the octave.
export const VELOCITY_STEP = 8;
const OCTAVE = 12;

export const noteName = noteNamer(DEFAULT_KEY);
// What is said once the server has carried out a command (named by the patch's ``done``).
const COMMAND_WORDS = { undo: "Undo", redo: "Redo", copy: "Copied", cut: "Cut", paste: "Pasted at the playhead", duplicate: "Duplicated", quantize: "Quantized to the grid" };
export const commandWords = (name) => (Object.hasOwn(COMMAND_WORDS, name) ? COMMAND_WORDS[name] : "");
const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

// ---------------------------------------------------------------- key map
// One action per key press in an editable roll, or null for keys the roll leaves alone.
// Arrows move the cursor (Shift extends the selection), Alt+arrows move the selected notes.
export function keyAction(e) {
  const mod = e.ctrlKey || e.metaKey;
  if (mod) return null;
  const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  const arrow = arrows[e.key];
  if (arrow) {
    const [steps, semitones] = arrow;
    if (e.altKey) {
      const far = e.shiftKey;
      return { kind: "move", steps: steps * (far ? 4 : 1), semitones: semitones * (far ? OCTAVE : 1) };
    }
    return { kind: e.shiftKey ? "extend" : "cursor", steps, semitones };
  }
  if (e.altKey) return null;
  if (e.key === "PageUp" || e.key === "PageDown") return { kind: e.shiftKey ? "extend" : "cursor", steps: 0, semitones: e.key === "PageUp" ? OCTAVE : -OCTAVE };
  if (e.key === "Enter") return { kind: "add" };
  if (e.key === "Tab") return { kind: "walk", direction: e.shiftKey ? -1 : 1 };
  if (e.key === "[" || e.key === "]") return { kind: "resize", steps: e.key === "]" ? 1 : -1 };
  if (e.key === "=" || e.key === "+") return { kind: "velocity", amount: VELOCITY_STEP };
  if (e.key === "-" || e.key === "_") return { kind: "velocity", amount: -VELOCITY_STEP };
  return null;
}

// ---------------------------------------------------------------- cursor
// The cursor after ``steps`` grid steps and ``semitones``: on the grid, inside the keyboard.
export function moveCursor(cursor, steps, semitones, stepTicks) {
  const tick = Math.max(0, Math.round(cursor.tick / stepTicks) * stepTicks + steps * stepTicks);
  return { tick, pitch: clamp(cursor.pitch + semitones, LOWEST_PITCH, HIGHEST_PITCH), onNote: false };
}

// Notes as [id, note] in time order (lower pitch first within a chord).
export function notesInOrder(notes) {
  return Array.from(notes).sort(([, a], [, b]) => a.start_tick - b.start_tick || a.pitch_midi - b.pitch_midi);
}

// The note Tab (direction 1) or Shift+Tab (-1) goes to from the cursor, or null past the ends.
// A cursor that Tab put on a note moves past it; one placed by arrows may land on a note there.
export function adjacentNote(notes, cursor, direction) {
  const order = notesInOrder(notes);
  const cmp = ([, n]) => n.start_tick - cursor.tick || n.pitch_midi - cursor.pitch;
  const inclusive = !cursor.onNote;
  if (direction > 0) {
    const found = order.find((entry) => (inclusive ? cmp(entry) >= 0 : cmp(entry) > 0));
    return found ? found[0] : null;
  }
  const found = order.reverse().find((entry) => (inclusive ? cmp(entry) <= 0 : cmp(entry) < 0));
  return found ? found[0] : null;
}

// The note sounding at the cursor's pitch and tick, or null.
export function noteAtCursor(notes, cursor) {
  let found = null;
  notes.forEach((n, id) => {
    if (n.pitch_midi === cursor.pitch && n.start_tick <= cursor.tick && cursor.tick < n.start_tick + n.duration_ticks) {
      if (found === null || n.start_tick > notes.get(found).start_tick) found = id;
    }
  });
  return found;
}

// Ids of the notes inside the rectangle from ``anchor`` to ``cursor`` (each a grid step wide).
export function notesBetween(notes, anchor, cursor, stepTicks) {
  const t0 = Math.min(anchor.tick, cursor.tick);
  const t1 = Math.max(anchor.tick, cursor.tick) + stepTicks;
  const p0 = Math.min(anchor.pitch, cursor.pitch);
  const p1 = Math.max(anchor.pitch, cursor.pitch);
  const ids = [];
  notes.forEach((n, id) => {
    if (n.pitch_midi >= p0 && n.pitch_midi <= p1 && n.start_tick < t1 && n.start_tick + n.duration_ticks > t0) ids.push(id);
  });
  return ids;
}

// ---------------------------------------------------------------- words
// "bar 3 beat 2" for a tick, in the metre map of piano_roll.jsx (segments with tick, bar,
// beatTicks, barTicks, endTick); a position between beats adds its sixteenths.
export function positionText(tick, meterMap) {
  let seg = meterMap[0];
  for (const s of meterMap) if (s.tick <= tick) seg = s;
  const into = tick - seg.tick;
  const bar = seg.bar + Math.floor(into / seg.barTicks);
  const inBar = into % seg.barTicks;
  const beat = Math.floor(inBar / seg.beatTicks) + 1;
  const rest = inBar % seg.beatTicks;
  const sixteenths = rest / (TICKS_PER_QUARTER / 4);
  const extra = rest === 0 ? "" : Number.isInteger(sixteenths) ? ` and ${sixteenths}/16` : ` and ${rest} ticks`;
  return `bar ${bar} beat ${beat}${extra}`;
}

const LENGTH_NAMES = new Map([
  [1920, "a whole note"],
  [1440, "a dotted half"],
  [960, "a half"],
  [720, "a dotted quarter"],
  [480, "a quarter"],
  [360, "a dotted eighth"],
  [240, "an eighth"],
  [160, "a triplet eighth"],
  [120, "a sixteenth"],
  [60, "a thirty-second"],
]);

// "a quarter", "an eighth", or the length in ticks.
export const lengthText = (ticks) => LENGTH_NAMES.get(ticks) || `${ticks} ticks`;

// "E4, a quarter at bar 1 beat 2, velocity 90". ``name`` spells pitches (note_names.js).
export function describeNote(n, meterMap, name = noteName) {
  return `${name(n.pitch_midi)}, ${lengthText(n.duration_ticks)} at ${positionText(n.start_tick, meterMap)}, velocity ${n.velocity}`;
}

export const addedText = (n, meterMap, name = noteName) => `${name(n.pitch_midi)} added at ${positionText(n.start_tick, meterMap)}`;

// "2 notes moved up a semitone", "1 note moved later by a sixteenth".
export function movedText(count, ticks, semitones) {
  const notes = plural(count, "note");
  if (semitones) {
    const size = Math.abs(semitones) === OCTAVE ? "an octave" : Math.abs(semitones) === 1 ? "a semitone" : `${Math.abs(semitones)} semitones`;
    return `${notes} moved ${semitones > 0 ? "up" : "down"} ${size}`;
  }
  return `${notes} moved ${ticks > 0 ? "later" : "earlier"} by ${lengthText(Math.abs(ticks))}`;
}

// "2 notes now a quarter long", or by how much when their lengths differ.
export function resizedText(lengths, deltaTicks) {
  const notes = plural(lengths.length, "note");
  if (lengths.every((ticks) => ticks === lengths[0])) return `${notes} now ${lengthText(lengths[0])} long`;
  return `${notes} ${deltaTicks > 0 ? "lengthened" : "shortened"} by ${lengthText(Math.abs(deltaTicks))}`;
}

// Said when the cursor moves: "D4, bar 1 beat 2", and the note it is on, if any.
export function cursorText(notes, cursor, meterMap, name = noteName) {
  const at = `${name(cursor.pitch)}, ${positionText(cursor.tick, meterMap)}`;
  const id = noteAtCursor(notes, cursor);
  if (id === null) return at;
  const n = notes.get(id);
  return `${at}, on a note: ${lengthText(n.duration_ticks)}, velocity ${n.velocity}`;
}

// "Velocity 96", or the range when the selected notes differ.
export function velocityText(velocities) {
  const lo = Math.min(...velocities);
  const hi = Math.max(...velocities);
  return lo === hi ? `Velocity ${lo}` : `Velocity ${lo} to ${hi}`;
}

export const deletedText = (count) => `${plural(count, "note")} deleted`;

export function selectionText(count) {
  if (count === 0) return "Nothing selected";
  return `${plural(count, "note")} selected`;
}

// The roll's description: where the cursor is, what is under it, what is selected.
export function statusText(notes, cursor, selectedCount, meterMap, name = noteName) {
  const at = `Cursor at ${name(cursor.pitch)}, ${positionText(cursor.tick, meterMap)}.`;
  const id = noteAtCursor(notes, cursor);
  const under = id === null ? " No note under the cursor." : ` Under the cursor: ${describeNote(notes.get(id), meterMap, name)}.`;
  return `${at}${under} ${selectionText(selectedCount)}, ${plural(notes.size, "note")} in all.`;
}

// ---------------------------------------------------------------- colours
// Notes are coloured by velocity (quiet blue to loud red) at one luminance, so every one of
// them stands out from the grid by 3:1 and a selected note (near white) from every one by 3:1.
export const GRID_BACKGROUNDS = ["#1c1f26", "#23272f", "#2a2f38"];
export const SELECTED_FILL = "#f4f6fb";
const NOTE_LUMINANCE = 0.2;

const channel = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminanceOfRgb = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);

function hslToRgb(hue, saturation, lightness) {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const f = (n) => {
    const k = (n + hue / 30) % 12;
    return lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

const hexToRgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
const rgbToHex = (rgb) => `#${rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, "0")).join("")}`;

// WCAG relative luminance of a #rrggbb colour.
export const luminance = (hex) => luminanceOfRgb(hexToRgb(hex));

// WCAG contrast ratio of two #rrggbb colours (1 to 21).
export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// The colour of a note of ``velocity`` (0 to 127): its hue, at the lightness that gives it
// NOTE_LUMINANCE (found by bisection, as luminance grows with lightness).
function velocityHex(velocity) {
  const hue = 220 - (velocity / 127) * 220;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (luminanceOfRgb(hslToRgb(hue, 0.7, mid)) < NOTE_LUMINANCE) lo = mid;
    else hi = mid;
  }
  return rgbToHex(hslToRgb(hue, 0.7, hi));
}

// One colour per velocity, 0 to 127.
export const VELOCITY_PALETTE = Array.from({ length: 128 }, (_, velocity) => velocityHex(velocity));

// The roll's keys: arrows move a cursor over the grid, Enter adds a note there, Tab walks the
// notes, Shift+arrows select, Alt/Ctrl+arrows and brackets move, resize and re-velocity the
// selection, and the shortcuts (play, delete, undo, copy, zoom, tools, Home/End). The rules
// and the words said are in roll_keys.js; every change is announced (aria-live).
// ``createRollKeyboard(roll)`` returns the handlers.
import * as keys from "./roll_keys.js";
import { TICKS_PER_QUARTER, snap } from "./timing.js";
import { HIGHEST_PITCH, LOWEST_PITCH, KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX, clamp } from "./geometry.js";
import { newLocalId } from "./roll_edits.js";

export const FOCUS_RING = "3px solid #ffd34d";

// The pitch the cursor starts on: middle C if it is in the rows shown, else the middle row.
export function openingCursorPitch(topPitch, rows) {
  const bottom = topPitch - rows + 1;
  const pitch = 60 >= bottom && 60 <= topPitch ? 60 : Math.round((topPitch + bottom) / 2);
  return clamp(pitch, LOWEST_PITCH, HIGHEST_PITCH);
}

// ``notes`` moved by ``deltaTicks`` and ``deltaPitch`` as a Map (id -> moved note), or null
// when one of them would leave the piece (before tick 0, outside MIDI pitches).
export function movedNotes(notes, ids, deltaTicks, deltaPitch) {
  const moved = new Map();
  for (const id of ids) {
    const note = notes.get(id);
    if (!note || note.start_tick + deltaTicks < 0 || note.pitch_midi + deltaPitch < 0 || note.pitch_midi + deltaPitch > 127) return null;
    moved.set(id, { ...note, start_tick: note.start_tick + deltaTicks, pitch_midi: note.pitch_midi + deltaPitch });
  }
  return moved;
}

export function createRollKeyboard(roll) {
  const { score, selection, keyboard, view, frame } = roll;
  const viewControl = () => roll.viewControl;
  const edits = () => roll.edits;
  const announce = (text) => roll.edits.announce(text);
  const meterMap = () => roll.viewControl.meterMap();
  const noteName = (pitch) => roll.viewControl.noteName(pitch);

  const keyStep = () => viewControl().stepTicks() || TICKS_PER_QUARTER / 4;
  const keyLength = () => keyboard.lengthTicks || viewControl().drawLength();
  // Placed on first use: at the playhead, on middle C if it is in view, else mid-view.
  const cursor = () => {
    if (!keyboard.cursor) {
      const top = HIGHEST_PITCH - Math.ceil(view.scrollYPx / view.keyHeightPx);
      const rows = roll.dom.canvas.current ? Math.floor((viewControl().layout().gridBottom - RULER_HEIGHT_PX) / view.keyHeightPx) : 40;
      keyboard.cursor = { tick: snap(roll.playback.playheadTick, keyStep()), pitch: openingCursorPitch(top, rows), onNote: false };
    }
    return keyboard.cursor;
  };
  // Scroll just enough to keep the cursor in view.
  const revealCursor = () => {
    const at = cursor();
    const mapping = viewControl().geometry();
    const layout = viewControl().layout();
    const x0 = mapping.tickToX(at.tick);
    const x1 = mapping.tickToX(at.tick + keyLength());
    if (x0 < KEYBOARD_WIDTH_PX) view.scrollXPx = Math.max(0, view.scrollXPx - (KEYBOARD_WIDTH_PX - x0) - 20);
    else if (x1 > layout.gridRight) view.scrollXPx += x1 - layout.gridRight + 20;
    const y = mapping.pitchToY(at.pitch);
    const maxY = viewControl().maxScrollYPx();
    if (y < RULER_HEIGHT_PX) view.scrollYPx = clamp(view.scrollYPx - (RULER_HEIGHT_PX - y) - view.keyHeightPx, 0, maxY);
    else if (y + view.keyHeightPx > layout.gridBottom) view.scrollYPx = clamp(view.scrollYPx + (y + 2 * view.keyHeightPx - layout.gridBottom), 0, maxY);
  };
  const placeCursor = (steps, semitones, extend) => {
    const next = keys.moveCursor(cursor(), steps, semitones, keyStep());
    if (extend) {
      // Shift+arrows select every note in the rectangle from where they started.
      if (!keyboard.extend) keyboard.extend = { anchor: cursor(), base: new Set(selection.noteIds) };
      keyboard.cursor = next;
      selection.noteIds = new Set([...keyboard.extend.base, ...keys.notesBetween(score.notes, keyboard.extend.anchor, next, keyStep())]);
      edits().publishSelection();
      announce(`${keys.cursorText(score.notes, next, meterMap(), noteName)}. ${keys.selectionText(selection.noteIds.size)}`);
    } else {
      keyboard.extend = null;
      keyboard.cursor = next;
      announce(keys.cursorText(score.notes, next, meterMap(), noteName));
    }
    revealCursor();
  };
  const addNoteAtCursor = () => {
    const at = cursor();
    const same = Array.from(score.notes).find(([, note]) => note.start_tick === at.tick && note.pitch_midi === at.pitch);
    if (same) {
      // Never stack a second identical note: select the one that is there.
      selection.noteIds = new Set([same[0]]);
      edits().publishSelection();
      announce(`${noteName(at.pitch)} is already there: selected`);
      return;
    }
    const id = newLocalId();
    const note = { start_tick: at.tick, duration_ticks: keyLength(), pitch_midi: at.pitch, velocity: 90 };
    score.notes.set(id, note);
    selection.noteIds = new Set([id]);
    edits().commit([edits().rowOf(id, note)], []);
    edits().publishSelection();
    roll.player.previewPitch(note.pitch_midi, note.velocity);
    announce(keys.addedText(note, meterMap(), noteName));
    // The cursor steps past the new note, ready for the next one of a melody.
    keyboard.cursor = { tick: at.tick + note.duration_ticks, pitch: at.pitch, onNote: false };
    revealCursor();
  };
  const walkNotes = (direction) => {
    const id = keys.adjacentNote(score.notes, cursor(), direction);
    if (id === null) return false;
    const note = score.notes.get(id);
    keyboard.extend = null;
    selection.noteIds = new Set([id]);
    keyboard.cursor = { tick: note.start_tick, pitch: note.pitch_midi, onNote: true };
    edits().publishSelection();
    roll.player.previewPitch(note.pitch_midi, note.velocity);
    announce(`${keys.describeNote(note, meterMap(), noteName)}. Selected`);
    revealCursor();
    return true;
  };
  const moveSelectedNotes = (steps, semitones) => {
    const deltaTicks = steps * keyStep();
    if (!selection.noteIds.size) return announce("Nothing selected to move");
    const moved = movedNotes(score.notes, selection.noteIds, deltaTicks, semitones);
    if (!moved) return announce("The notes cannot move further");
    moved.forEach((note, id) => score.notes.set(id, note));
    edits().commit(Array.from(moved, ([id, note]) => edits().rowOf(id, note)), []);
    const at = cursor();
    keyboard.cursor = { tick: Math.max(0, at.tick + deltaTicks), pitch: clamp(at.pitch + semitones, LOWEST_PITCH, HIGHEST_PITCH), onNote: at.onNote };
    announce(keys.movedText(selection.noteIds.size, deltaTicks, semitones));
    revealCursor();
  };
  const resizeSelectedNotes = (steps) => {
    const step = keyStep();
    if (!selection.noteIds.size) {
      // Nothing selected: the brackets set how long Enter's notes are.
      keyboard.lengthTicks = Math.max(step, keyLength() + steps * step);
      return announce(`New notes ${keys.lengthText(keyboard.lengthTicks)} long`);
    }
    const upserts = [];
    selection.noteIds.forEach((id) => {
      const note = score.notes.get(id);
      const duration = note ? Math.max(step, note.duration_ticks + steps * step) : 0;
      if (!note || duration === note.duration_ticks) return;
      const resized = { ...note, duration_ticks: duration };
      score.notes.set(id, resized);
      upserts.push(edits().rowOf(id, resized));
    });
    edits().commit(upserts, []);
    if (!upserts.length) return announce("The notes are as short as the grid allows");
    keyboard.lengthTicks = upserts[0].duration_ticks;
    announce(keys.resizedText(upserts.map((row) => row.duration_ticks), steps * step));
  };
  const changeVelocity = (amount) => {
    if (!selection.noteIds.size) return announce("Nothing selected");
    const upserts = [];
    selection.noteIds.forEach((id) => {
      const note = score.notes.get(id);
      if (!note) return;
      const velocity = clamp(note.velocity + amount, 1, 127);
      if (velocity === note.velocity) return;
      const changed = { ...note, velocity };
      score.notes.set(id, changed);
      upserts.push(edits().rowOf(id, changed));
    });
    edits().commit(upserts, []);
    announce(keys.velocityText(Array.from(selection.noteIds, (id) => score.notes.get(id)).filter(Boolean).map((note) => note.velocity)));
  };
  // Returns false for a key the roll leaves to the browser (Tab past the last note).
  const onCursorKey = (action) => {
    if (action.kind === "cursor" || action.kind === "extend") placeCursor(action.steps, action.semitones, action.kind === "extend");
    else if (action.kind === "add") addNoteAtCursor();
    else if (action.kind === "walk") return walkNotes(action.direction);
    else if (action.kind === "move") moveSelectedNotes(action.steps, action.semitones);
    else if (action.kind === "resize") resizeSelectedNotes(action.steps);
    else if (action.kind === "velocity") changeVelocity(action.amount);
    return true;
  };
  const keyCommand = (name) => {
    edits().command(name);
    // Copy changes nothing to wait for; the others are announced when the server's patch
    // arrives, so a refused paste is never said to have happened.
    if (name === "copy") announce(keys.commandWords(name));
  };
  // Keys that are not edits: tools and Home/End. Returns true when handled.
  const onViewKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const key = e.key.toLowerCase();
    if (key === "d" || key === "b") edits().setTool("draw");
    else if (key === "s" || key === "v") edits().setTool("select");
    else if (e.key === "Home") viewControl().jumpTo(0);
    else if (e.key === "End") viewControl().jumpTo(score.extentTick);
    else return false;
    return true;
  };
  const deleteSelectedNotes = () => {
    const ids = Array.from(selection.noteIds);
    ids.forEach((id) => score.notes.delete(id));
    selection.noteIds = new Set();
    edits().commit([], ids);
    edits().publishSelection();
    announce(keys.deletedText(ids.length));
  };
  const togglePlay = () => {
    const playing = roll.player.isPlaying();
    roll.player.togglePlay();
    const position = keys.positionText(Math.round(roll.playback.playheadTick), meterMap());
    announce(playing ? `Paused at ${position}` : `Playing from ${position}`);
  };
  const onKeyDown = (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key;
    const letter = key.toLowerCase();
    // Read-only: Space plays and pauses, Ctrl +/- zoom; every editing shortcut is ignored.
    if (roll.props.readOnly && key !== " " && !(mod && ["=", "+", "-"].includes(key))) return;
    if (onViewKey(e)) {
      e.preventDefault();
      frame.dirty = true;
      return;
    }
    const action = roll.props.readOnly ? null : keys.keyAction(e);
    if (action) {
      if (onCursorKey(action)) e.preventDefault();
      frame.dirty = true;
      edits().updateStatus();
      return;
    }
    let handled = true;
    if (key === " ") togglePlay();
    else if ((key === "Delete" || key === "Backspace") && selection.pedalIndex !== null) roll.lanes.deleteSelectedPedal();
    else if (key === "Delete" || key === "Backspace") deleteSelectedNotes();
    else if (mod && letter === "a") {
      selection.noteIds = new Set(score.notes.keys());
      edits().publishSelection();
      announce(`All ${keys.selectionText(selection.noteIds.size)}`);
    } else if (mod && letter === "z") keyCommand(e.shiftKey ? "redo" : "undo");
    else if (mod && letter === "y") keyCommand("redo");
    else if (mod && ["c", "x", "v", "d"].includes(letter)) keyCommand({ c: "copy", x: "cut", v: "paste", d: "duplicate" }[letter]);
    else if (!mod && letter === "q") keyCommand("quantize");
    else if (key === "?") edits().command("help");
    else if (key === "Escape") {
      selection.pedalIndex = null;
      selection.noteIds = new Set();
      keyboard.extend = null;
      edits().publishSelection();
      announce("Selection cleared");
    } else if (mod && (key === "=" || key === "+")) viewControl().zoomBy(1.25);
    else if (mod && key === "-") viewControl().zoomBy(1 / 1.25);
    else handled = false;
    if (handled) {
      e.preventDefault();
      frame.dirty = true;
    }
  };
  const onFocus = () => {
    keyboard.focused = true;
    const element = roll.dom.container.current;
    // The ring shows for keyboard focus (a click focuses too, and needs no ring).
    let visible = true;
    try {
      visible = element.matches(":focus-visible");
    } catch (err) {
      // An old browser without :focus-visible: always show it.
    }
    element.style.outline = visible ? FOCUS_RING : "none";
    edits().updateStatus();
    frame.dirty = true;
  };
  const onBlur = () => {
    keyboard.focused = false;
    keyboard.extend = null;
    roll.dom.container.current.style.outline = "none";
    frame.dirty = true;
  };
  // Space plays from anywhere on the page that is not a text field or a button.
  const onDocumentKey = (e) => {
    if (roll.props.readOnly) return; // on a page of text Space scrolls: only the focused roll plays
    const target = e.target;
    const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(target.tagName));
    if (e.key === " " && !typing && !roll.dom.container.current.contains(target)) {
      e.preventDefault();
      roll.player.togglePlay();
    }
  };

  return { cursor, keyLength, onBlur, onDocumentKey, onFocus, onKeyDown };
}

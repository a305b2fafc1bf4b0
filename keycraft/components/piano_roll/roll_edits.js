// The roll and the server, and what the listener hears: the notes and pedal loaded or patched
// by the server, finished edits and commands sent back (with their save sequence numbers), the
// selection, tool shortcuts, and the polite announcements and status line screen readers
// hear. ``createEdits(roll)`` returns them.
import { commandWords, statusText } from "./roll_keys.js";
import { parsePedals } from "./pedal_lane.js";
import { HIGHEST_PITCH, RULER_HEIGHT_PX } from "./geometry.js";
import { hasUnsaved, nextSeq, noteOfRow, noteRow, openingScrollYPx, unackedCount } from "./roll_state.js";

// Announcements kept in the live region (older ones are dropped).
const ANNOUNCEMENTS_KEPT = 3;

export const parseJson = (text, fallback) => {
  try {
    return text ? JSON.parse(text) : fallback;
  } catch (e) {
    return fallback;
  }
};

// ``patch`` ({upserts, removed_ids, select_ids?}) applied to ``notes`` in place; returns the
// selection after it (the ids asked for, or ``selectedIds`` less the removed notes).
export function applyNotePatch(notes, selectedIds, patch) {
  (patch.removed_ids || []).forEach((id) => {
    notes.delete(id);
    selectedIds.delete(id);
  });
  (patch.upserts || []).forEach((row) => notes.set(row.id, noteOfRow(row)));
  return Array.isArray(patch.select_ids) ? new Set(patch.select_ids) : selectedIds;
}

let localIdCounter = 0;
// An id for a note made here, until the server knows it by it.
export const newLocalId = () => `c${Date.now().toString(36)}${(localIdCounter++).toString(36)}`;

export function createEdits(roll) {
  const { saving, playback, frame, selection, score } = roll;
  const unacked = () => unackedCount(saving, roll.props.savedSeq);

  // A finished edit: notes added or changed, and the ids removed.
  const commit = (upserts, removedIds) => {
    if (!upserts.length && !removedIds.length) return;
    playback.notesChanged = true;
    frame.dirty = true;
    const callback = roll.callbacks.onCommit;
    if (callback) callback({ upserts, removed_ids: removedIds, unacked: unacked(), seq: nextSeq(saving) });
  };
  // A shortcut for the server to carry out (undo, paste at the playhead, ...).
  const command = (name) => {
    const callback = roll.callbacks.onCommand;
    if (callback) callback({ name, tick: Math.round(playback.playheadTick), unacked: unacked(), seq: nextSeq(saving) });
  };
  // The pedal lane's spans after a finished edit.
  const commitPedals = (spans) => {
    const callback = roll.callbacks.onPedalChange;
    if (callback) callback({ pedals: spans.map((span) => ({ start_tick: span.start_tick, end_tick: span.end_tick })), unacked: unacked(), seq: nextSeq(saving) });
  };
  const announce = (text) => {
    const region = roll.dom.announcer.current;
    if (!region || !text) return;
    const line = document.createElement("p");
    line.textContent = text;
    region.appendChild(line);
    while (region.childNodes.length > ANNOUNCEMENTS_KEPT) region.removeChild(region.firstChild);
  };
  // The roll's description: the cursor, what is under it and how much is selected.
  const updateStatus = () => {
    const status = roll.dom.status.current;
    if (status && !roll.props.readOnly) status.textContent = statusText(score.notes, roll.keys.cursor(), selection.noteIds.size, roll.viewControl.meterMap(), roll.viewControl.noteName);
  };
  const publishSelection = () => {
    const callback = roll.callbacks.onSelect;
    if (callback) callback({ ids: Array.from(selection.noteIds) });
    updateStatus();
  };
  const setTool = (name) => {
    if (roll.gesture.tool === name) return;
    roll.gesture.tool = name;
    const callback = roll.callbacks.onToolChange;
    if (callback) callback({ tool: name });
  };

  // The server's notes and pedal for a new load: nothing selected, the music in view.
  const loadScore = (notesJson, pedalsJson) => {
    const notes = new Map();
    parseJson(notesJson, []).forEach((row) => notes.set(row.id, noteOfRow(row)));
    score.notes = notes;
    selection.noteIds = new Set();
    roll.lanes.replacePedals(parsePedals(parseJson(pedalsJson, [])));
    roll.saving.appliedPatchSeq = roll.props.patchSeq;
    frame.loadedAtMs = notes.size ? performance.now() : null;
    playback.notesChanged = true;
    frame.dirty = true;
    const view = roll.view;
    if (view.scrollYPx === 0) {
      // Start with the music in view rather than the top octave.
      const visibleRows = roll.dom.canvas.current ? (roll.viewControl.layout().gridBottom - RULER_HEIGHT_PX) / view.keyHeightPx : 40;
      view.scrollYPx = openingScrollYPx(notes, view, visibleRows, HIGHEST_PITCH);
    }
    roll.viewControl.fitView();
  };
  // A server edit, once per ``patchSeq``.
  const applyPatch = (patchSeq, patchJson) => {
    if (patchSeq === roll.saving.appliedPatchSeq) return;
    roll.saving.appliedPatchSeq = patchSeq;
    const patch = parseJson(patchJson, null);
    if (!patch) return;
    selection.noteIds = applyNotePatch(score.notes, selection.noteIds, patch);
    if (Array.isArray(patch.pedals)) roll.lanes.replacePedals(parsePedals(patch.pedals));
    playback.notesChanged = true;
    frame.dirty = true;
    const words = commandWords(patch.done);
    if (words) announce(words);
  };

  return {
    announce,
    applyPatch,
    loadScore,
    command,
    commit,
    commitPedals,
    hasUnsaved: () => hasUnsaved(saving, roll.props.savedSeq),
    newLocalId,
    publishSelection,
    rowOf: noteRow,
    setTool,
    updateStatus,
  };
}

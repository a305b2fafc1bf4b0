// Mouse and pen on the canvas: select, draw, move, resize, rubber band, seek and loop on the
// ruler, bar 1's handle on it, the lanes, the scrollbars, a key pressed on the keyboard, and
// the wheel. Where a press lands is ``areaAt`` (pure, tested in pointer_gestures.test.js); the
// note rules are in note_drags.js, the loop's in loop_region.js, the handle's in
// downbeat_handle.js. ``createPointerGestures(roll)`` returns the canvas handlers.
import * as noteDrags from "./note_drags.js";
import { hitSpan } from "./pedal_lane.js";
import { HIGHEST_PITCH, KEYBOARD_WIDTH_PX, LOWEST_PITCH, RULER_HEIGHT_PX, clamp } from "./geometry.js";
import { startThumbDrag } from "./scrollbars.js";
import { finishedLoop, loopEdgeAt, movedLoop, startLoopDrag } from "./loop_region.js";
import { droppedHandle, moveHandle, onHandle, startHandleDrag } from "./downbeat_handle.js";
import { newLocalId } from "./roll_edits.js";

// Where (x, y) is on a roll laid out as ``layout`` (geometry.js), for a press: "scrollbar"
// (``onScrollbar``), "margin" (outside the grid and lanes, or the lanes' keyboard end),
// "pedalLane", "velocityLane", "ruler", "keyboard" or "grid".
export function areaAt(layout, x, y, onScrollbar) {
  if (onScrollbar) return "scrollbar";
  if (x >= layout.gridRight || y >= layout.laneBottom) return "margin";
  if (y >= layout.pedalTop && y < layout.laneTop) return x > KEYBOARD_WIDTH_PX ? "pedalLane" : "margin";
  if (y >= layout.laneTop) return x > KEYBOARD_WIDTH_PX ? "velocityLane" : "margin";
  if (y < RULER_HEIGHT_PX && x > KEYBOARD_WIDTH_PX) return "ruler";
  if (x < KEYBOARD_WIDTH_PX) return "keyboard";
  return "grid";
}

// The note drag a press on ``hit`` starts: a resize on its end, else a move of the selection.
export function noteDragFor(hit, tick, pitch, selectedIds, notes) {
  const origins = new Map();
  selectedIds.forEach((id) => origins.set(id, { ...notes.get(id) }));
  return { kind: hit.nearEnd ? "resize" : "move", anchorId: hit.id, startTick: tick, startPitch: pitch, origins, moved: false, created: false };
}

export function createPointerGestures(roll) {
  const { score, selection, gesture, view, frame, keyboard } = roll;
  const viewControl = () => roll.viewControl;
  const lanes = () => roll.lanes;

  const localPoint = (e) => {
    const rect = roll.dom.canvas.current.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const noteAt = (x, y) => noteDrags.noteAt(score.notes, view, x, y);

  // ---------------------------------------------------------------- loop on the ruler
  const startLoop = (x, shiftKey) => {
    const started = startLoopDrag(viewControl().loopRegion(), x, viewControl().geometry().xToTick(x), shiftKey, viewControl().geometry().tickToX, viewControl().meterMap());
    if (!started) return false;
    gesture.drag = started.drag;
    if (started.draft) roll.loop.draft = started.draft;
    return true;
  };
  const moveLoop = (drag, x) => {
    const draft = movedLoop(drag, viewControl().geometry().xToTick(x), viewControl().meterMap());
    if (draft) roll.loop.draft = draft;
  };
  const endLoop = (drag) => {
    const loop = finishedLoop(drag, viewControl().loopRegion());
    if (!loop) {
      roll.loop.draft = null;
      return;
    }
    const callback = roll.callbacks.onLoopChange;
    if (callback) callback(loop);
    if (roll.player.isPlaying()) roll.player.applyTransportSettings();
  };

  // ---------------------------------------------------------------- bar 1's handle
  const startDownbeat = (x, y) => {
    const mapping = viewControl().geometry();
    const drag = startHandleDrag(roll.props, x, y, mapping.tickToX, mapping.xToTick(x));
    if (!drag) return false;
    gesture.drag = drag;
    return true;
  };
  const endDownbeat = (drag) => {
    const dropped = droppedHandle(drag);
    const callback = roll.callbacks.onFirstDownbeat;
    // Not dragged anywhere: a click on the ruler, which seeks as it does beside the handle.
    if (!dropped) roll.player.seek(drag.pressTick);
    else if (callback) callback(dropped);
  };

  // ---------------------------------------------------------------- around the notes
  // Scrollbars, lanes and loop; true when the press was theirs.
  const chromePointerDown = (e, area, x, y) => {
    if (area === "scrollbar") {
      // A click on the track jumps there, keeping the thumb centred under the pointer.
      gesture.drag = { kind: "scrollbar", ...startThumbDrag(viewControl().scrollbarAt(x, y), x, y) };
      viewControl().dragScrollbar(gesture.drag, x, y);
      return true;
    }
    if (area === "margin") return true;
    if (area === "pedalLane") lanes().startPedalDrag(x);
    else if (area === "velocityLane") lanes().startVelocityDrag(x, y);
    else if (area === "ruler") return (!e.shiftKey && startDownbeat(x, y)) || startLoop(x, e.shiftKey);
    else return false;
    return true;
  };
  const chromePointerMove = (drag, x, y) => {
    if (drag.kind === "scrollbar") viewControl().dragScrollbar(drag, x, y);
    else if (drag.kind === "velocity") lanes().moveVelocityDrag(drag, x, y);
    else if (drag.kind === "pedal") lanes().movePedalDrag(drag, x);
    else if (drag.kind === "loop") moveLoop(drag, x);
    else if (drag.kind === "downbeat") moveHandle(drag, viewControl().geometry().xToTick(x));
    else return false;
    frame.dirty = true;
    return true;
  };
  const chromePointerUp = (drag) => {
    if (drag.kind === "velocity") lanes().endVelocityDrag(drag);
    else if (drag.kind === "pedal") lanes().endPedalDrag(drag);
    else if (drag.kind === "loop") endLoop(drag);
    else if (drag.kind === "downbeat") endDownbeat(drag);
    else return drag.kind === "scrollbar";
    return true;
  };
  const chromeCursor = (x, y) => {
    const layout = viewControl().layout();
    if (viewControl().scrollbarAt(x, y)) return "default";
    if (y >= layout.pedalTop && y < layout.laneTop && x > KEYBOARD_WIDTH_PX) {
      const hit = hitSpan(score.pedals, x, viewControl().geometry().tickToX);
      return hit ? (hit.part === "body" ? "grab" : "ew-resize") : gesture.tool === "draw" ? "crosshair" : "default";
    }
    if (y >= layout.laneTop) return x > KEYBOARD_WIDTH_PX && y < layout.laneBottom ? "ns-resize" : "default";
    if (y < RULER_HEIGHT_PX && x > KEYBOARD_WIDTH_PX) {
      const tickToX = viewControl().geometry().tickToX;
      return onHandle(roll.props, x, y, tickToX) || loopEdgeAt(viewControl().loopRegion(), x, tickToX) ? "ew-resize" : "pointer";
    }
    return null;
  };

  // ---------------------------------------------------------------- notes
  const pressNote = (e, hit, tick, pitch) => {
    if (e.shiftKey) {
      if (selection.noteIds.has(hit.id)) selection.noteIds.delete(hit.id);
      else selection.noteIds.add(hit.id);
    } else if (!selection.noteIds.has(hit.id)) {
      selection.noteIds = new Set([hit.id]);
    }
    if (!selection.noteIds.has(hit.id)) {
      roll.edits.publishSelection();
      return;
    }
    // The keyboard carries on from the clicked note (Tab goes to the next one).
    keyboard.cursor = { tick: hit.note.start_tick, pitch: hit.note.pitch_midi, onNote: true };
    gesture.drag = noteDragFor(hit, tick, pitch, selection.noteIds, score.notes);
    roll.player.previewPitch(hit.note.pitch_midi, hit.note.velocity);
  };
  const drawNote = (tick, pitch) => {
    const step = viewControl().stepTicks();
    const start = step > 0 ? Math.floor(tick / step) * step : Math.round(tick);
    const id = newLocalId();
    const note = { start_tick: start, duration_ticks: viewControl().drawLength(), pitch_midi: pitch, velocity: 90 };
    score.notes.set(id, note);
    selection.noteIds = new Set([id]);
    gesture.drag = { kind: "resize", anchorId: id, startTick: tick, startPitch: pitch, origins: new Map([[id, { ...note }]]), moved: true, created: true };
    roll.player.previewPitch(pitch, 90);
  };
  const onPointerDown = (e) => {
    roll.dom.container.current.focus({ preventScroll: true });
    if (roll.props.readOnly) return;
    const { x, y } = localPoint(e);
    const mapping = viewControl().geometry();
    try {
      roll.dom.canvas.current.setPointerCapture(e.pointerId);
    } catch (err) {
      // A pointer the browser no longer tracks: the drag still works without capture.
    }
    const layout = viewControl().layout();
    if (!(y >= layout.pedalTop && y < layout.laneTop)) selection.pedalIndex = null;
    const area = areaAt(layout, x, y, !!viewControl().scrollbarAt(x, y));
    if (chromePointerDown(e, area, x, y)) {
      frame.dirty = true;
      return;
    }
    if (area === "ruler") {
      roll.player.seek(mapping.xToTick(x));
      gesture.drag = { kind: "seek" };
      return;
    }
    if (area === "keyboard") {
      const pitch = mapping.yToPitch(y);
      if (pitch >= LOWEST_PITCH && pitch <= HIGHEST_PITCH) {
        gesture.previewKey = pitch;
        roll.player.previewPitch(pitch);
        frame.dirty = true;
      }
      return;
    }
    const hit = noteAt(x, y);
    const tick = mapping.xToTick(x);
    const pitch = clamp(mapping.yToPitch(y), 0, 127);
    if (hit) pressNote(e, hit, tick, pitch);
    else if (gesture.tool === "draw") drawNote(tick, pitch);
    else {
      if (!e.shiftKey) selection.noteIds = new Set();
      gesture.drag = { kind: "band", x0: x, y0: y, x1: x, y1: y, base: new Set(selection.noteIds) };
    }
    frame.dirty = true;
  };
  const onPointerMove = (e) => {
    if (roll.props.readOnly) return;
    const { x, y } = localPoint(e);
    const drag = gesture.drag;
    const mapping = viewControl().geometry();
    if (drag && chromePointerMove(drag, x, y)) return;
    if (!drag) {
      const canvas = roll.dom.canvas.current;
      const cursor = chromeCursor(x, y);
      if (cursor) {
        canvas.style.cursor = cursor;
        return;
      }
      const hit = x > KEYBOARD_WIDTH_PX && y > RULER_HEIGHT_PX ? noteAt(x, y) : null;
      canvas.style.cursor = hit ? (hit.nearEnd ? "ew-resize" : "move") : gesture.tool === "draw" ? "crosshair" : "default";
      return;
    }
    if (drag.kind === "seek") {
      roll.player.seek(mapping.xToTick(x));
      return;
    }
    if (drag.kind === "band") {
      drag.x1 = x;
      drag.y1 = y;
      selection.noteIds = noteDrags.bandSelection(score.notes, view, drag, drag.base);
      frame.dirty = true;
      return;
    }
    const tick = mapping.xToTick(x);
    const anchor = drag.origins.get(drag.anchorId);
    const step = viewControl().stepTicks();
    if (drag.kind === "move") {
      const { deltaTicks, deltaPitch } = noteDrags.moveOffsets(drag.origins, anchor, drag.startTick, drag.startPitch, tick, mapping.yToPitch(y), step);
      if (deltaPitch !== drag.lastDeltaPitch && deltaPitch !== 0) roll.player.previewPitch(anchor.pitch_midi + deltaPitch, anchor.velocity);
      drag.lastDeltaPitch = deltaPitch;
      drag.origins.forEach((origin, id) => score.notes.set(id, { ...origin, start_tick: origin.start_tick + deltaTicks, pitch_midi: origin.pitch_midi + deltaPitch }));
      drag.moved = drag.moved || deltaTicks !== 0 || deltaPitch !== 0;
    } else {
      const deltaTicks = noteDrags.resizeDeltaTicks(anchor, tick, step);
      drag.origins.forEach((origin, id) => score.notes.set(id, noteDrags.resizedNote(origin, deltaTicks, step)));
      drag.moved = true;
    }
    frame.dirty = true;
  };
  const onPointerUp = () => {
    const drag = gesture.drag;
    gesture.drag = null;
    if (gesture.previewKey !== null) {
      gesture.previewKey = null;
      frame.dirty = true;
    }
    if (!drag) return;
    if (chromePointerUp(drag)) {
      frame.dirty = true;
      return;
    }
    if (drag.kind === "band") {
      roll.edits.publishSelection();
    } else if (drag.kind === "move" || drag.kind === "resize") {
      const upserts = noteDrags.changedNoteIds(drag.origins, score.notes, drag.created).map((id) => roll.edits.rowOf(id, score.notes.get(id)));
      if (upserts.length) roll.edits.commit(upserts, []);
      roll.edits.publishSelection();
    }
    frame.dirty = true;
  };
  // A gesture still in progress when the page hides is committed rather than lost.
  const finishGesture = () => {
    if (gesture.drag) onPointerUp();
  };
  const onWheel = (e) => {
    // Read-only: a plain vertical wheel scrolls the page around the roll, not its rows.
    if (roll.props.readOnly && !(e.ctrlKey || e.metaKey || e.shiftKey) && Math.abs(e.deltaX) <= Math.abs(e.deltaY)) return;
    e.preventDefault();
    const { x, y } = localPoint(e);
    if (e.ctrlKey || e.metaKey) {
      viewControl().zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, x);
      return;
    }
    if (e.altKey) {
      viewControl().zoomYBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, y);
      return;
    }
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      // Some platforms turn Shift+wheel into a horizontal delta themselves.
      view.scrollXPx = Math.max(0, view.scrollXPx + (e.shiftKey ? e.deltaY || e.deltaX : e.deltaX));
    } else {
      view.scrollYPx = clamp(view.scrollYPx + e.deltaY, 0, viewControl().maxScrollYPx());
    }
    frame.dirty = true;
  };

  return { finishGesture, localPoint, noteAt, onPointerDown, onPointerMove, onPointerUp, onWheel };
}

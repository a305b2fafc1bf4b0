// The velocity and pedal lanes meet the pointer, the keys and the server here; their rules
// and drawing live in velocity_lane.js and pedal_lane.js. ``createLaneEdits(roll)`` returns
// the drags the pointer module dispatches to and the pedal lane's key handler.
import * as velocityLane from "./velocity_lane.js";
import * as pedal from "./pedal_lane.js";
import { KEYBOARD_WIDTH_PX, ticksToPx } from "./geometry.js";

export function createLaneEdits(roll) {
  const { score, selection, gesture, view, frame } = roll;
  const viewControl = () => roll.viewControl;
  const announce = (text) => roll.edits.announce(text);

  // ---------------------------------------------------------------- velocity lane
  // Dragging a selected note's bar sets the whole selection; otherwise the drag paints every
  // bar it crosses. A finished drag is one commit.
  const startVelocityDrag = (x, y) => {
    gesture.drag = { kind: "velocity", ...velocityLane.startVelocityDrag(score.notes, selection.noteIds, view, viewControl().layout(), x, y) };
  };
  const moveVelocityDrag = (drag, x, y) => velocityLane.moveVelocityDrag(drag, score.notes, selection.noteIds, view, viewControl().layout(), x, y);
  const endVelocityDrag = (drag) => roll.edits.commit(velocityLane.changedVelocityIds(drag, score.notes).map((id) => roll.edits.rowOf(id, score.notes.get(id))), []);

  // ---------------------------------------------------------------- pedal lane
  const refreshPedalLabel = () => {
    const lane = roll.dom.pedalLane.current;
    if (lane) lane.setAttribute("aria-label", pedal.laneLabel(score.pedals.length));
  };
  // The pedal spans from the server (a load or a patch): nothing stays selected.
  const replacePedals = (spans) => {
    score.pedals = spans;
    selection.pedalIndex = null;
    refreshPedalLabel();
  };
  // A finished pedal edit: the whole new line goes to the server as one undoable step.
  const changePedals = (spans, text) => {
    score.pedals = spans;
    frame.dirty = true;
    refreshPedalLabel();
    announce(text);
    roll.edits.commitPedals(spans);
  };
  const selectPedal = (index) => {
    selection.pedalIndex = index;
    frame.dirty = true;
    if (index !== null) announce(pedal.selectedText(score.pedals[index], index, score.pedals.length, viewControl().meterMap()));
  };
  const deleteSelectedPedal = () => {
    const index = selection.pedalIndex;
    if (index === null || !score.pedals[index]) return false;
    const gone = score.pedals[index];
    selection.pedalIndex = null;
    changePedals(pedal.deleteSpan(score.pedals, index), pedal.deletedText(gone, viewControl().meterMap()));
    return true;
  };
  const startPedalDrag = (x) => {
    const mapping = viewControl().geometry();
    const drag = pedal.startDrag(score.pedals, x, mapping.xToTick(x), { tickToX: mapping.tickToX, tool: gesture.tool, stepTicks: viewControl().stepTicks(), minTicks: viewControl().drawLength() });
    selection.pedalIndex = drag ? drag.index : null;
    if (!drag) return;
    score.pedals = drag.spans;
    gesture.drag = { kind: "pedal", ...drag };
  };
  const movePedalDrag = (drag, x) => {
    const now = pedal.dragTo(drag, viewControl().geometry().xToTick(x), viewControl().stepTicks(), viewControl().drawLength());
    score.pedals = now.spans;
    selection.pedalIndex = drag.index = now.index;
  };
  const endPedalDrag = (drag) => {
    const done = pedal.finishDrag(drag, score.pedals, viewControl().meterMap());
    if (done.changed) changePedals(score.pedals, done.text);
    else announce(done.text);
  };
  // Keys on the focused lane: arrows pick a span, Delete removes it, Escape lets go.
  const onPedalLaneKey = (e) => {
    if (roll.props.readOnly || e.ctrlKey || e.metaKey || e.altKey) return;
    const action = pedal.laneKey(e.key, selection.pedalIndex, score.pedals.length);
    if (!action) return;
    if (action.kind === "select") {
      selectPedal(action.index);
      // Scroll the picked span into view.
      const startTick = score.pedals[action.index].start_tick;
      const x0 = viewControl().geometry().tickToX(startTick);
      if (x0 < KEYBOARD_WIDTH_PX || x0 > viewControl().layout().gridRight - 40) view.scrollXPx = Math.max(0, ticksToPx(view, startTick) - 40);
    } else if (action.kind === "delete") {
      if (!deleteSelectedPedal()) announce(score.pedals.length ? "No pedal span selected: Left and Right arrows pick one" : "No pedal spans");
    } else {
      selection.pedalIndex = null;
      announce("Pedal span let go");
    }
    e.preventDefault();
    e.stopPropagation();
    frame.dirty = true;
  };

  return { deleteSelectedPedal, endPedalDrag, endVelocityDrag, movePedalDrag, moveVelocityDrag, onPedalLaneKey, refreshPedalLabel, replacePedals, startPedalDrag, startVelocityDrag };
}

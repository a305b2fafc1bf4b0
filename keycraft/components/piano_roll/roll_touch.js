// Fingers on the canvas: touch_gestures.js decides what a touch means (tap, drag, long press,
// pinch, pan); here each decision runs through the pointer and view handlers the mouse uses,
// and a long press opens the selection actions menu. ``createRollTouch(roll)`` returns the
// canvas's touch handler and the menu's.
import { CONTEXT_ACTIONS, createTouchGestures, shortcutEvent } from "./touch_gestures.js";
import { KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX } from "./geometry.js";

// Height of one item of the actions menu and its width, for keeping it inside the roll.
const MENU_ITEM_PX = 40;
const MENU_WIDTH_PX = 140;

// Where the actions menu opens for a long press at (x, y): at the press, kept inside a roll
// of ``layout``; null outside the grid.
export function actionMenuAt(layout, x, y) {
  if (x < KEYBOARD_WIDTH_PX || y < RULER_HEIGHT_PX || x > layout.gridRight || y > layout.gridBottom) return null;
  return { x: Math.max(0, Math.min(x, layout.widthPx - MENU_WIDTH_PX)), y: Math.max(0, Math.min(y, layout.heightPx - MENU_ITEM_PX * CONTEXT_ACTIONS.length)) };
}

export function createRollTouch(roll) {
  const { gesture, selection, frame } = roll;
  const pointer = () => roll.pointer;
  const focusRoll = () => roll.dom.container.current.focus({ preventScroll: true });
  // A touch point as the pointer event the mouse handlers read.
  const atClient = (point) => ({ clientX: point.x, clientY: point.y, pointerId: gesture.touchPointerId, shiftKey: false });

  const openActionMenu = (point) => {
    const { x, y } = pointer().localPoint(atClient(point));
    const menu = actionMenuAt(roll.viewControl.layout(), x, y);
    if (!menu) return;
    const hit = pointer().noteAt(x, y);
    if (hit && !selection.noteIds.has(hit.id)) {
      selection.noteIds = new Set([hit.id]);
      roll.edits.publishSelection();
      frame.dirty = true;
    }
    roll.ui.setActionMenu(menu);
  };
  const runAction = (action) => {
    roll.ui.setActionMenu(null);
    focusRoll();
    roll.keys.onKeyDown(shortcutEvent(action));
  };
  // Keys in the menu stay there (Space on an item is not play); Escape closes it.
  const onActionMenuKey = (e) => {
    e.stopPropagation();
    if (e.key !== "Escape") return;
    roll.ui.setActionMenu(null);
    focusRoll();
  };
  const onTouchAction = (action) => {
    if (action.type === "tap") {
      pointer().onPointerDown(atClient(action));
      pointer().onPointerUp();
    } else if (action.type === "dragStart") pointer().onPointerDown(atClient(action));
    else if (action.type === "dragMove") pointer().onPointerMove(atClient(action));
    else if (action.type === "dragEnd") pointer().onPointerUp();
    else if (action.type === "longPress") openActionMenu(action);
    else if (action.type === "pinch") roll.viewControl.zoomBy(action.factor, pointer().localPoint(atClient(action)).x);
    else if (action.type === "pan") roll.viewControl.scrollBy(-action.dx, -action.dy);
  };
  gesture.touch = createTouchGestures({ onAction: onTouchAction });
  const onTouchPointer = (e) => {
    if (roll.props.readOnly) return;
    if (e.type === "pointerdown") {
      roll.ui.setActionMenu(null);
      gesture.touchPointerId = e.pointerId;
      focusRoll();
      gesture.touch.down(e.pointerId, e.clientX, e.clientY);
    } else if (e.type === "pointermove") gesture.touch.move(e.pointerId, e.clientX, e.clientY);
    else if (e.type === "pointerup") gesture.touch.up(e.pointerId);
    else gesture.touch.cancel(e.pointerId);
  };
  // The long-press menu stays in charge of its own contextmenu while a touch is under way.
  const touchActive = () => gesture.touch.phase !== "idle";

  return { onActionMenuKey, onTouchPointer, runAction, touchActive };
}

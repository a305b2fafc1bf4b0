// Touch gestures for the piano roll, as pure logic: fingers in, roll actions out.
//
// One finger waits until it is clear what it means: lifted in place it is a tap, moved past
// the slop it is a drag that starts where the finger landed, held still it is a long press.
// A second finger before that turns the gesture into pinch zoom and two-finger pan, so a
// pinch never leaves a stray note behind. piano_roll.jsx maps the actions onto its mouse
// handlers, its zoom and its scroll.

export const LONG_PRESS_MS = 500;
export const SLOP_PX = 8;

// What a long press offers: the roll's own shortcuts, run on the selection.
export const CONTEXT_ACTIONS = [
  { id: "cut", label: "Cut", key: "x", mod: true },
  { id: "copy", label: "Copy", key: "c", mod: true },
  { id: "paste", label: "Paste", key: "v", mod: true },
  { id: "duplicate", label: "Duplicate", key: "d", mod: true },
  { id: "quantize", label: "Quantize", key: "q", mod: false },
  { id: "select-all", label: "Select all", key: "a", mod: true },
  { id: "delete", label: "Delete", key: "Delete", mod: false },
];

// A keydown-like event for ``onKeyDown`` that runs one context action as its shortcut does.
export function shortcutEvent(action) {
  return { key: action.key, ctrlKey: action.mod, metaKey: false, shiftKey: false, altKey: false, preventDefault: () => {} };
}

// Pixels per quarter note at which at least ``minBars`` bars of ``barBeats`` quarter notes fit
// across ``gridWidthPx``: the zoom is only ever lowered, and never under ``minPxPerBeat``.
export function pxPerBeatShowingBars(pxPerBeat, gridWidthPx, barBeats, minBars, minPxPerBeat) {
  if (!(gridWidthPx > 0) || !(barBeats > 0)) return pxPerBeat;
  const fitting = gridWidthPx / (barBeats * minBars);
  return Math.max(minPxPerBeat, Math.min(pxPerBeat, fitting));
}

const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
const midpoint = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

// ``onAction`` receives, in order:
//   {type: "tap", x, y}                 one finger down and up in place
//   {type: "dragStart", x, y}           one finger moved: press where it landed ...
//   {type: "dragMove", x, y}            ... follow it ...
//   {type: "dragEnd"}                   ... release (also when the gesture is cancelled)
//   {type: "longPress", x, y}           one finger held still for ``longPressMs``
//   {type: "pinch", factor, x, y}       two fingers spread (factor > 1) or closed, around x, y
//   {type: "pan", dx, dy}               two fingers moved together by dx, dy
// Timers are injected so tests can drive time.
export function createTouchGestures({ onAction, longPressMs = LONG_PRESS_MS, slopPx = SLOP_PX, setTimer = setTimeout, clearTimer = clearTimeout }) {
  const fingers = new Map();
  // "idle", "pending" (one finger, undecided), "drag", "held" (long press fired),
  // "two" (pinch and pan), "done" (fingers left over after a gesture ended).
  let phase = "idle";
  let origin = null;
  let lead = null; // the finger a tap, drag or long press follows
  let timer = null;
  let pair = null;

  const stopTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  const twoFingers = () => {
    const [a, b] = Array.from(fingers.values());
    return { span: distance(a, b), mid: midpoint(a, b) };
  };

  const down = (id, x, y) => {
    fingers.set(id, { x, y });
    if (phase === "idle" && fingers.size === 1) {
      phase = "pending";
      origin = { x, y };
      lead = id;
      timer = setTimer(() => {
        timer = null;
        if (phase !== "pending") return;
        phase = "held";
        onAction({ type: "longPress", x: origin.x, y: origin.y });
      }, longPressMs);
    } else if (phase === "pending" && fingers.size === 2) {
      stopTimer();
      phase = "two";
      pair = twoFingers();
    }
  };

  const move = (id, x, y) => {
    const finger = fingers.get(id);
    if (!finger) return;
    finger.x = x;
    finger.y = y;
    if (phase === "pending" && distance(finger, origin) > slopPx) {
      stopTimer();
      phase = "drag";
      onAction({ type: "dragStart", x: origin.x, y: origin.y });
      onAction({ type: "dragMove", x, y });
    } else if (phase === "drag" && id === lead) {
      onAction({ type: "dragMove", x, y });
    } else if (phase === "two" && fingers.size === 2) {
      const now = twoFingers();
      if (pair.span > 0 && now.span > 0 && now.span !== pair.span) onAction({ type: "pinch", factor: now.span / pair.span, x: now.mid.x, y: now.mid.y });
      const dx = now.mid.x - pair.mid.x;
      const dy = now.mid.y - pair.mid.y;
      if (dx || dy) onAction({ type: "pan", dx, dy });
      pair = now;
    }
  };

  const up = (id) => {
    if (!fingers.delete(id)) return;
    if (phase === "pending") {
      // Only the lead finger can be down while pending.
      stopTimer();
      onAction({ type: "tap", x: origin.x, y: origin.y });
      phase = "done";
    } else if (phase === "drag" && id === lead) {
      onAction({ type: "dragEnd" });
      phase = "done";
    } else if (phase !== "idle" && phase !== "drag") {
      phase = "done";
    }
    if (fingers.size === 0) phase = "idle";
  };

  // The browser took the finger (a system gesture): a drag in progress still ends cleanly,
  // an undecided touch does nothing.
  const cancel = (id) => {
    if (!fingers.delete(id)) return;
    stopTimer();
    if (phase === "drag" && id !== lead) return;
    if (phase === "drag") onAction({ type: "dragEnd" });
    phase = fingers.size === 0 ? "idle" : "done";
  };

  return {
    down,
    move,
    up,
    cancel,
    get phase() {
      return phase;
    },
  };
}

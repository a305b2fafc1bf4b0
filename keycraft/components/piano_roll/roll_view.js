// The roll's view as it is now: the maps, layout and converters for the current props and
// scroll, and every change of scroll or zoom (wheel and keys, fit to the notes, two bars on a
// narrow roll, Home/End, scrollbar drags). ``createViewControl(roll)`` returns them.
import { TICKS_PER_QUARTER } from "./timing.js";
import { HIGHEST_PITCH, KEYBOARD_WIDTH_PX, LOWEST_PITCH, MIN_PX_PER_BEAT, SCROLLBAR_PX, clamp, fittedView, gridWidthPx, maxScrollYPx, rollLayout, ticksToPx, viewMapping, zoomedX, zoomedY } from "./geometry.js";
import { scrollForThumbDrag, scrollbarAt } from "./scrollbars.js";
import { pxPerBeatShowingBars } from "./touch_gestures.js";
import { noteNamer } from "./note_names.js";
import { loopRegion } from "./loop_region.js";
import { barTicksAt, contentEndTick, drawLengthOf, meterMapOf, stepTicksOf, tempoMapOf } from "./roll_state.js";

// The zoom is kept with the project: sent once zooming pauses, not on every wheel step.
const VIEW_REPORT_DELAY_MS = 400;

export function createViewControl(roll) {
  const { view, frame, score, timers } = roll;
  const canvas = () => roll.dom.canvas.current;

  // The converters for the view as it is now (geometry.js).
  const geometry = () => viewMapping(view);
  // Where the grid, lanes and scrollbars are on the canvas now (geometry.js).
  const layout = () => {
    const element = canvas();
    return rollLayout(element ? element.clientWidth : 0, element ? element.clientHeight : 0, !!roll.props.readOnly);
  };
  const tempoMap = () => tempoMapOf(roll.maps, roll.props);
  const meterMap = () => meterMapOf(roll.maps, roll.props);
  const region = () => loopRegion(roll.props, roll.loop.draft);
  const contentEnd = () => contentEndTick(meterMap(), score.extentTick, region(), roll.playback.playheadTick);
  // Keyboard keys, note labels and announcements spell notes for the piece's key.
  const noteName = (pitch) => noteNamer(roll.props.keyName)(pitch);
  const maxScrollY = () => maxScrollYPx(view, layout());

  const reportView = () => {
    if (roll.props.readOnly || roll.props.fitToNotes) return;
    clearTimeout(timers.viewReport);
    timers.viewReport = setTimeout(() => {
      timers.viewReport = null;
      const callback = roll.callbacks.onViewChange;
      if (callback) callback({ px_per_beat: view.pxPerBeat, key_height_px: view.keyHeightPx });
    }, VIEW_REPORT_DELAY_MS);
  };
  const zoomBy = (factor, anchorX) => {
    Object.assign(view, zoomedX(view, factor, anchorX));
    frame.dirty = true;
    reportView();
  };
  const zoomYBy = (factor, anchorY) => {
    Object.assign(view, zoomedY(view, factor, anchorY, layout()));
    reportView();
    frame.dirty = true;
  };
  // fitToNotes: the whole piece across the width (to the loop's end when it loops) and its
  // pitch range, plus a margin, centred and as tall as the keys may be. Run on load and resize.
  const fitView = () => {
    if (!roll.props.fitToNotes || !score.notes.size || !canvas()) return;
    const loop = region();
    const span = { endTick: loop.enabled ? loop.end : 0, lowPitch: HIGHEST_PITCH, highPitch: LOWEST_PITCH };
    score.notes.forEach((note) => {
      span.endTick = Math.max(span.endTick, note.start_tick + note.duration_ticks);
      span.lowPitch = Math.min(span.lowPitch, note.pitch_midi);
      span.highPitch = Math.max(span.highPitch, note.pitch_midi);
    });
    const fitted = fittedView(layout(), span);
    if (!fitted) return; // not laid out yet: the resize will call again
    Object.assign(view, fitted);
    frame.dirty = true;
  };
  // On a narrow roll (a phone, a tablet) the saved zoom may show less than two bars.
  const showTwoBars = () => {
    if (roll.props.fitToNotes || !canvas()) return;
    frame.fitWidthPx = canvas().clientWidth;
    const barBeats = barTicksAt(meterMap(), geometry().xToTick(KEYBOARD_WIDTH_PX)) / TICKS_PER_QUARTER;
    view.pxPerBeat = pxPerBeatShowingBars(view.pxPerBeat, layout().gridRight - KEYBOARD_WIDTH_PX, barBeats, 2, MIN_PX_PER_BEAT);
    frame.dirty = true;
  };
  // Home and End move the playhead (and the view) to the start or the end of the music.
  const jumpTo = (tick) => {
    roll.player.seek(tick);
    view.scrollXPx = Math.max(0, ticksToPx(view, tick) - (tick > 0 ? gridWidthPx(layout()) * 0.75 : 0));
    frame.dirty = true;
  };
  // Scroll by a wheel or a pan, never above the top row.
  const scrollBy = (dxPx, dyPx) => {
    view.scrollXPx = Math.max(0, view.scrollXPx + dxPx);
    view.scrollYPx = clamp(view.scrollYPx + dyPx, 0, maxScrollY());
    frame.dirty = true;
  };
  // Keep the playhead on screen while playing; a view fitted to the notes already shows the
  // whole piece and stays put.
  const followPlayhead = () => {
    const tick = roll.playback.playheadTick;
    const x = geometry().tickToX(tick);
    if (!roll.props.fitToNotes && (x > canvas().clientWidth - SCROLLBAR_PX - 40 || x < KEYBOARD_WIDTH_PX)) view.scrollXPx = Math.max(0, ticksToPx(view, tick) - 40);
  };
  // The bars themselves live in scrollbars.js.
  const scrollbarUnder = (x, y) => scrollbarAt(layout(), view, contentEnd(), x, y);
  const dragScrollbar = (drag, x, y) => {
    const scroll = scrollForThumbDrag(drag, x, y);
    if (drag.bar.axis === "x") view.scrollXPx = scroll;
    else view.scrollYPx = clamp(scroll, 0, maxScrollY());
  };

  return {
    contentEndTick: contentEnd,
    dragScrollbar,
    drawLength: () => drawLengthOf(roll.props),
    fitView,
    followPlayhead,
    geometry,
    jumpTo,
    layout,
    loopRegion: region,
    maxScrollYPx: maxScrollY,
    meterMap,
    noteName,
    scrollBy,
    scrollbarAt: scrollbarUnder,
    showTwoBars,
    stepTicks: () => stepTicksOf(roll.props),
    tempoMap,
    zoomBy,
    zoomYBy,
  };
}

// What the page and its tests can ask of the mounted roll: ``window.keycraftPianoRoll`` drives
// playback, zoom, focus and MIDI-keyboard takes (wrapper.py's transport_action and
// zoom_action call it); ``window.__keycraft`` reads the roll's state for tests and bench/
// without changing it.
import { CLOCK_TICKS_PER_SECOND, TICKS_PER_QUARTER, barLinesBetween, barStartTick, secondsToTick, tickToSeconds } from "./timing.js";
import { HIGHEST_PITCH, KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX } from "./geometry.js";
import { horizontalScrollbar, thumbCentre, verticalScrollbar } from "./scrollbars.js";
import { yForVelocity } from "./velocity_lane.js";
import { PEDAL_LANE_HEIGHT_PX } from "./pedal_lane.js";
import { heardSpeed, noteRow } from "./roll_state.js";

// The lowest and highest pitch whose whole row a grid ``viewHeightPx`` tall shows.
export function visiblePitches(view, viewHeightPx) {
  const topRow = Math.ceil(view.scrollYPx / view.keyHeightPx - 1e-6);
  const rowsEnd = Math.floor((view.scrollYPx + viewHeightPx) / view.keyHeightPx + 1e-6);
  return [HIGHEST_PITCH - rowsEnd + 1, HIGHEST_PITCH - topRow];
}

// The controls the page drives the roll with; the last mounted roll claims them.
export function rollControls(roll) {
  const player = roll.player;
  return {
    transport: (action) => (action === "play" ? player.play() : action === "pause" ? player.pause() : action === "toggle" ? player.togglePlay() : player.stop()),
    zoom: (factor) => roll.viewControl.zoomBy(factor),
    focus: () => roll.dom.container.current && roll.dom.container.current.focus({ preventScroll: true }),
    startTake: () => player.startTake(),
    endTake: (rows) => player.endTake(rows),
    // Where the playhead is now, for taps the server reads (e.g. the first downbeat).
    playheadTick: () => Math.round(roll.playback.playheadTick),
  };
}

// Read-only views of the roll for tests and bench/ (counters, positions, measurements).
export function rollInspector(roll) {
  const { score, selection, view, playback, frame, gesture, keyboard } = roll;
  const viewControl = roll.viewControl;
  const canvasRect = () => roll.dom.canvas.current.getBoundingClientRect();
  return {
    get mounts() {
      return window.__keycraftMounts;
    },
    get noteCount() {
      return score.notes.size;
    },
    get selectedCount() {
      return selection.noteIds.size;
    },
    get transportState() {
      return roll.player.transportState();
    },
    get playheadTick() {
      return playback.playheadTick;
    },
    get instrument() {
      return playback.instrumentStatus;
    },
    get playLatencyMs() {
      return playback.playLatencyMs;
    },
    get clockTicks() {
      return playback.clockTicks;
    },
    get pxPerBeat() {
      return view.pxPerBeat;
    },
    get keyHeightPx() {
      return view.keyHeightPx;
    },
    get scrollXPx() {
      return view.scrollXPx;
    },
    get scrollYPx() {
      return view.scrollYPx;
    },
    // The grid's visible window: [first, last] tick across it, and the lowest and highest
    // pitch whose whole row is in it.
    get visibleTicks() {
      const mapping = viewControl.geometry();
      return [mapping.xToTick(KEYBOARD_WIDTH_PX), mapping.xToTick(viewControl.layout().gridRight)];
    },
    get visiblePitches() {
      return visiblePitches(view, viewControl.layout().gridBottom - RULER_HEIGHT_PX);
    },
    get tool() {
      return gesture.tool;
    },
    get cursor() {
      return keyboard.cursor;
    },
    get loop() {
      return viewControl.loopRegion();
    },
    get unsaved() {
      return roll.edits.hasUnsaved();
    },
    // Page coordinates of a velocity value above a tick in the lane, and of the thumbs.
    lanePointFor: (tick, velocity) => {
      const rect = canvasRect();
      return { x: rect.left + viewControl.geometry().tickToX(tick) + 1, y: rect.top + yForVelocity(viewControl.layout(), velocity) };
    },
    thumb: (axis) => {
      const layout = viewControl.layout();
      const rect = canvasRect();
      const centre = thumbCentre(layout, axis === "x" ? horizontalScrollbar(layout, view, viewControl.contentEndTick()) : verticalScrollbar(layout, view));
      return { x: rect.left + centre.x, y: rect.top + centre.y };
    },
    // The written tempo map (the practice speed does not change it).
    get tempoMap() {
      return viewControl.tempoMap().map((change) => [change.tick, change.writtenBpm]);
    },
    get practiceSpeed() {
      return heardSpeed(roll.props);
    },
    // The recording as it plays: which player is heard, its rate, its position (seconds of
    // the recording) and how far that is from the notes' position (ms; + is ahead).
    get recordingPlayback() {
      return roll.player.recordingState();
    },
    get timeSignatureMap() {
      return viewControl.meterMap().map((segment) => [segment.tick, segment.numerator, segment.denominator]);
    },
    secondsAtTick: (tick) => tickToSeconds(tick, viewControl.tempoMap()),
    tickAtSeconds: (seconds) => secondsToTick(seconds, viewControl.tempoMap()),
    barLines: (toTick) => barLinesBetween(viewControl.meterMap(), 0, toTick),
    barStartTick: (bar) => barStartTick(bar, viewControl.meterMap()),
    // The Transport's loop points and position in seconds of the piece (its clock is 1 kHz;
    // Tone's own loopEnd getter truncates to whole clock ticks).
    get transportLoopSeconds() {
      return playback.loopClockTicks ? playback.loopClockTicks.map((ticks) => ticks / CLOCK_TICKS_PER_SECOND) : null;
    },
    get transportSeconds() {
      return roll.player.clockNow() / CLOCK_TICKS_PER_SECOND;
    },
    clickTicks: () => playback.clickTicks.splice(0),
    // Pedal spans shown, the selected one's index, and each note the player scheduled with
    // the tick and second (of the piece) it is released at, the pedal included.
    get pedals() {
      return score.pedals.map((span) => ({ ...span }));
    },
    get pedalSelected() {
      return selection.pedalIndex;
    },
    scheduledReleases: () => playback.releases.splice(0),
    // Page coordinates of a tick in the middle of the pedal lane.
    pedalPointFor: (tick) => {
      const rect = canvasRect();
      return { x: rect.left + viewControl.geometry().tickToX(tick), y: rect.top + viewControl.layout().pedalTop + PEDAL_LANE_HEIGHT_PX / 2 };
    },
    notes: () => Array.from(score.notes, ([id, note]) => noteRow(id, note)),
    get loadedAtMs() {
      return frame.loadedAtMs;
    },
    get firstSoundMs() {
      return playback.firstSoundMs;
    },
    get recording() {
      return playback.audio ? (playback.audio.loaded ? "loaded" : "loading") : "none";
    },
    drawTimes: () => frame.drawTimes.splice(0),
    noteRect: (id) => {
      const note = score.notes.get(id);
      if (!note) return null;
      const mapping = viewControl.geometry();
      const rect = canvasRect();
      return { x: rect.left + mapping.tickToX(note.start_tick), y: rect.top + mapping.pitchToY(note.pitch_midi), width: (note.duration_ticks * mapping.pxPerBeat) / TICKS_PER_QUARTER, height: mapping.keyHeightPx };
    },
    pointFor: (tick, pitch) => {
      const mapping = viewControl.geometry();
      const rect = canvasRect();
      return { x: rect.left + mapping.tickToX(tick) + 1, y: rect.top + mapping.pitchToY(pitch) + mapping.keyHeightPx / 2 };
    },
  };
}

// Drawing the roll on its canvas: the backdrop (rows, grid, ruler with bar numbers and the
// loop, keyboard) cached offscreen until the view changes, then each frame the notes, the
// rubber band, the keyboard cursor, the lanes, the sounding keys, bar 1's handle, the
// playhead and the scrollbars. The drawing functions take a 2D context and plain values
// (roll_drawing.test.js runs them under `bun test` with a recording context);
// ``createPainter(roll)`` draws the roll.
import { TICKS_PER_QUARTER, barLinesBetween, beatsBetween } from "./timing.js";
import { HIGHEST_PITCH, KEYBOARD_WIDTH_PX, LOWEST_PITCH, RULER_HEIGHT_PX } from "./geometry.js";
import { noteName as octaveName } from "./roll_keys.js";
import { drawPedalLane } from "./pedal_lane.js";
import { drawVelocityLane, velocityColour } from "./velocity_lane.js";
import { drawScrollbars } from "./scrollbars.js";
import { HANDLE_HALF_WIDTH_PX, HANDLE_HEIGHT_PX, handleShown, handleTick } from "./downbeat_handle.js";

export const CURSOR_COLOUR = "#ffd34d";
export const DOWNBEAT_COLOUR = "#5cc8ff";
const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);
// Rows at least this tall name every keyboard key; shorter ones name only the Cs.
const KEY_NAMES_FROM_PX = 14;
// Lines closer than this (pixels) are not drawn.
const MIN_LINE_GAP_PX = 6;
// Draw times kept for window.__keycraft.
const DRAW_TIMES_KEPT = 5000;

const isBlack = (pitch) => BLACK_KEYS.has(pitch % 12);

// Everything the backdrop depends on, as one string: it is redrawn only when this changes.
export function backdropKey(canvasPx, view, props, region) {
  return [canvasPx.width, canvasPx.height, canvasPx.dpr, view.scrollXPx, view.scrollYPx, view.pxPerBeat, view.keyHeightPx, props.snapTicks, props.beatsPerBar, props.beatUnit, props.timeSignatureMapJson, props.firstDownbeatTick, region.enabled, region.start, region.end, props.keyName].join("|");
}

// The pitches whose keys light up: those sounding at the playhead while playing, and a key
// held down on the keyboard (``previewKey``, or null).
export function soundingPitches(notes, playheadTick, playing, previewKey) {
  const pitches = new Set();
  if (playing) {
    notes.forEach((note) => {
      if (note.start_tick <= playheadTick && playheadTick < note.start_tick + note.duration_ticks) pitches.add(note.pitch_midi);
    });
  }
  if (previewKey !== null) pitches.add(previewKey);
  return pitches;
}

// Rows, grid lines (snap steps, beats and bars, each while far enough apart), the loop's
// shading, the keyboard with its names and the ruler with bar numbers and loop handles, on
// ``ctx`` sized ``widthPx`` × ``heightPx``. ``mapping`` is geometry.js's viewMapping.
export function drawBackdrop(ctx, widthPx, heightPx, mapping, { meterMap, stepTicks, region, noteName }) {
  const rowPx = mapping.keyHeightPx;
  const rowShown = (y) => !(y > heightPx || y + rowPx < RULER_HEIGHT_PX);
  ctx.fillStyle = "#1c1f26";
  ctx.fillRect(0, 0, widthPx, heightPx);
  for (let pitch = HIGHEST_PITCH; pitch >= LOWEST_PITCH; pitch--) {
    const y = mapping.pitchToY(pitch);
    if (!rowShown(y)) continue;
    ctx.fillStyle = isBlack(pitch) ? "#23272f" : "#2a2f38";
    ctx.fillRect(KEYBOARD_WIDTH_PX, y, widthPx, rowPx);
    if (pitch % 12 === 0) {
      ctx.fillStyle = "#3a404c";
      ctx.fillRect(KEYBOARD_WIDTH_PX, y + rowPx - 1, widthPx, 1);
    }
  }
  const firstTick = mapping.xToTick(KEYBOARD_WIDTH_PX);
  const lastTick = mapping.xToTick(widthPx);
  const bars = barLinesBetween(meterMap, firstTick - 1, lastTick + 1);
  const wideEnough = (ticks) => (ticks * mapping.pxPerBeat) / TICKS_PER_QUARTER >= MIN_LINE_GAP_PX;
  if (stepTicks > 0 && wideEnough(stepTicks)) {
    ctx.fillStyle = "#30353f";
    for (let tick = Math.floor(firstTick / stepTicks) * stepTicks; tick <= lastTick; tick += stepTicks) {
      ctx.fillRect(Math.round(mapping.tickToX(tick)), RULER_HEIGHT_PX, 1, heightPx);
    }
  }
  const drawTicks = (ticks, colour) => {
    ctx.fillStyle = colour;
    ticks.forEach((tick) => ctx.fillRect(Math.round(mapping.tickToX(tick)), RULER_HEIGHT_PX, 1, heightPx));
  };
  if (meterMap.every((segment) => wideEnough(segment.beatTicks))) drawTicks(beatsBetween(meterMap, firstTick - 1, lastTick + 1).map((beat) => beat.tick), "#3b414d");
  if (meterMap.every((segment) => wideEnough(segment.barTicks))) drawTicks(bars.map((bar) => bar.tick), "#5a6170");
  const loopStartX = mapping.tickToX(region.start);
  const loopEndX = mapping.tickToX(region.end);
  if (region.enabled) {
    ctx.fillStyle = "rgba(120, 200, 120, 0.08)";
    ctx.fillRect(loopStartX, RULER_HEIGHT_PX, loopEndX - loopStartX, heightPx);
  }
  ctx.font = "10px sans-serif";
  ctx.textBaseline = "middle";
  for (let pitch = HIGHEST_PITCH; pitch >= LOWEST_PITCH; pitch--) {
    const y = mapping.pitchToY(pitch);
    if (!rowShown(y)) continue;
    ctx.fillStyle = isBlack(pitch) ? "#111" : "#f4f4f4";
    ctx.fillRect(0, y, KEYBOARD_WIDTH_PX, rowPx);
    ctx.fillStyle = "#999";
    ctx.fillRect(0, y + rowPx - 1, KEYBOARD_WIDTH_PX, 1);
    // Tall rows name every key as the piece's key spells it; short ones mark each C4-style
    // octave (C is C in every key's landmark, even where the key writes B♯).
    if (rowPx >= KEY_NAMES_FROM_PX) {
      ctx.fillStyle = isBlack(pitch) ? "#eee" : "#333";
      ctx.fillText(noteName(pitch), 30, y + rowPx / 2);
    } else if (pitch % 12 === 0 && rowPx >= 8) {
      ctx.fillStyle = "#333";
      ctx.fillText(octaveName(pitch), 30, y + rowPx / 2);
    }
  }
  ctx.fillStyle = "#14161b";
  ctx.fillRect(0, 0, widthPx, RULER_HEIGHT_PX);
  ctx.fillStyle = "#c8ccd4";
  const barPx = (Math.min(...meterMap.map((segment) => segment.barTicks)) * mapping.pxPerBeat) / TICKS_PER_QUARTER;
  const labelEvery = Math.max(1, Math.ceil(40 / barPx));
  bars.forEach(({ tick, bar }) => {
    if ((bar - 1) % labelEvery) return;
    const x = mapping.tickToX(tick);
    if (x < KEYBOARD_WIDTH_PX) return;
    ctx.fillRect(x, 12, 1, 12);
    ctx.fillText(String(bar), x + 3, 10);
  });
  if (region.enabled) {
    ctx.fillStyle = "rgba(120, 200, 120, 0.25)";
    ctx.fillRect(loopStartX, 0, loopEndX - loopStartX, RULER_HEIGHT_PX);
    ctx.fillStyle = "rgba(120, 200, 120, 0.6)";
    ctx.fillRect(loopStartX, 18, loopEndX - loopStartX, 6);
    // Edge handles: drag them to adjust the loop.
    ctx.fillStyle = "#78c878";
    ctx.fillRect(loopStartX - 1, 0, 3, RULER_HEIGHT_PX);
    ctx.fillRect(loopEndX - 2, 0, 3, RULER_HEIGHT_PX);
  }
}

// Bar 1's handle at ``tick``: a flag in the ruler's top strip on a line through the ruler and,
// while ``dragging``, a dashed line down the grid where bar 1 would start. Nothing when the
// tick is scrolled out of the grid.
export function drawDownbeatHandle(ctx, mapping, layout, tick, dragging) {
  const x = Math.round(mapping.tickToX(tick));
  if (x < KEYBOARD_WIDTH_PX || x > layout.gridRight) return;
  ctx.fillStyle = DOWNBEAT_COLOUR;
  ctx.beginPath();
  ctx.moveTo(x - HANDLE_HALF_WIDTH_PX + 1, 0);
  ctx.lineTo(x + HANDLE_HALF_WIDTH_PX - 1, 0);
  ctx.lineTo(x, HANDLE_HEIGHT_PX);
  ctx.closePath();
  ctx.fill();
  ctx.fillRect(x - 1, 0, 2, RULER_HEIGHT_PX);
  if (!dragging) return;
  ctx.strokeStyle = DOWNBEAT_COLOUR;
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(x + 0.5, RULER_HEIGHT_PX);
  ctx.lineTo(x + 0.5, layout.gridBottom);
  ctx.stroke();
  ctx.setLineDash([]);
}

// The notes in view (clipped to the grid by the caller), selected ones outlined and, with
// ``showNames``, named where wide enough. Returns where the music ends (the last note's end).
export function drawNotes(ctx, widthPx, heightPx, mapping, { notes, selectedIds, showNames, noteName }) {
  const rowPx = mapping.keyHeightPx;
  const firstTick = mapping.xToTick(KEYBOARD_WIDTH_PX);
  const lastTick = mapping.xToTick(widthPx);
  ctx.font = "10px sans-serif";
  ctx.textBaseline = "middle";
  ctx.strokeStyle = "#0b0d12";
  ctx.lineWidth = 1.5;
  let extentTick = 0;
  notes.forEach((note, id) => {
    const endTick = note.start_tick + note.duration_ticks;
    if (endTick > extentTick) extentTick = endTick;
    if (note.start_tick > lastTick || endTick < firstTick) return;
    const y = mapping.pitchToY(note.pitch_midi);
    if (y > heightPx || y + rowPx < RULER_HEIGHT_PX) return;
    const x = mapping.tickToX(note.start_tick);
    const noteWidthPx = Math.max(2, (note.duration_ticks * mapping.pxPerBeat) / TICKS_PER_QUARTER);
    const selected = selectedIds.has(id);
    ctx.fillStyle = velocityColour(note.velocity, selected);
    ctx.fillRect(x, y + 1, noteWidthPx, rowPx - 2);
    if (selected) ctx.strokeRect(x + 0.5, y + 1.5, noteWidthPx - 1, rowPx - 3);
    if (showNames && noteWidthPx > 22 && rowPx >= 10) {
      ctx.fillStyle = selected ? "#10131a" : "#ffffff";
      ctx.fillText(noteName(note.pitch_midi), x + 3, y + rowPx / 2);
    }
  });
  return extentTick;
}

export function createPainter(roll) {
  const { score, selection, gesture, view, frame, keyboard, playback } = roll;

  const drawBand = (ctx, band) => {
    const left = Math.min(band.x0, band.x1);
    const top = Math.min(band.y0, band.y1);
    ctx.strokeStyle = "#9fb4ff";
    ctx.lineWidth = 1;
    ctx.fillStyle = "rgba(159, 180, 255, 0.12)";
    ctx.fillRect(left, top, Math.abs(band.x1 - band.x0), Math.abs(band.y1 - band.y0));
    ctx.strokeRect(left, top, Math.abs(band.x1 - band.x0), Math.abs(band.y1 - band.y0));
  };
  const drawCursor = (ctx, mapping) => {
    const at = roll.keys.cursor();
    ctx.strokeStyle = CURSOR_COLOUR;
    ctx.lineWidth = 2;
    ctx.setLineDash([4, 3]);
    ctx.strokeRect(mapping.tickToX(at.tick) + 1, mapping.pitchToY(at.pitch) + 1, Math.max(4, (roll.keys.keyLength() * mapping.pxPerBeat) / TICKS_PER_QUARTER - 2), mapping.keyHeightPx - 2);
    ctx.setLineDash([]);
  };
  // The backdrop, redrawn offscreen only when what it shows changed.
  const backdropFor = (canvasPx, widthPx, heightPx, mapping) => {
    const props = roll.props;
    const viewControl = roll.viewControl;
    const region = viewControl.loopRegion();
    const key = backdropKey(canvasPx, view, props, region);
    if (!frame.backdrop) frame.backdrop = document.createElement("canvas");
    if (frame.backdropKey !== key) {
      frame.backdrop.width = canvasPx.width;
      frame.backdrop.height = canvasPx.height;
      const backdropCtx = frame.backdrop.getContext("2d");
      backdropCtx.setTransform(canvasPx.dpr, 0, 0, canvasPx.dpr, 0, 0);
      drawBackdrop(backdropCtx, widthPx, heightPx, mapping, { meterMap: viewControl.meterMap(), stepTicks: viewControl.stepTicks(), region, noteName: viewControl.noteName });
      frame.backdropKey = key;
    }
    return frame.backdrop;
  };

  const draw = () => {
    const canvas = roll.dom.canvas.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const widthPx = canvas.clientWidth;
    const heightPx = canvas.clientHeight;
    const canvasPx = { width: Math.round(widthPx * dpr), height: Math.round(heightPx * dpr), dpr };
    if (!canvasPx.width || !canvasPx.height) return; // not laid out (yet): the resize observer draws again
    if (canvas.width !== canvasPx.width || canvas.height !== canvasPx.height) {
      canvas.width = canvasPx.width;
      canvas.height = canvasPx.height;
    }
    if (frame.drawTimes.length < DRAW_TIMES_KEPT) frame.drawTimes.push(performance.now());
    const viewControl = roll.viewControl;
    const props = roll.props;
    const mapping = viewControl.geometry();
    const rowPx = mapping.keyHeightPx;
    const backdrop = backdropFor(canvasPx, widthPx, heightPx, mapping);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(backdrop, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Notes, culled to the visible window and clipped to the grid.
    const layout = viewControl.layout();
    ctx.save();
    ctx.beginPath();
    ctx.rect(KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX, layout.gridRight - KEYBOARD_WIDTH_PX, layout.gridBottom - RULER_HEIGHT_PX);
    ctx.clip();
    const extentTick = drawNotes(ctx, widthPx, heightPx, mapping, { notes: score.notes, selectedIds: selection.noteIds, showNames: props.showNoteNames, noteName: viewControl.noteName });
    if (gesture.drag && gesture.drag.kind === "band") drawBand(ctx, gesture.drag);
    if (keyboard.focused && !props.readOnly) drawCursor(ctx, mapping);
    ctx.restore();
    score.extentTick = extentTick;
    if (!props.readOnly) {
      drawPedalLane(ctx, { spans: score.pedals, selectedIndex: selection.pedalIndex, top: layout.pedalTop, width: layout.widthPx, left: KEYBOARD_WIDTH_PX, right: layout.gridRight, tickToX: mapping.tickToX });
      drawVelocityLane(ctx, layout, view, score.notes, selection.noteIds);
    }
    // Keys sounding now: from the playhead while playing, plus a clicked key.
    ctx.fillStyle = "#f5a524";
    soundingPitches(score.notes, playback.playheadTick, roll.player.isPlaying(), gesture.previewKey).forEach((pitch) => {
      const y = mapping.pitchToY(pitch);
      if (y + rowPx >= RULER_HEIGHT_PX && y <= layout.gridBottom) ctx.fillRect(0, Math.max(y, RULER_HEIGHT_PX), KEYBOARD_WIDTH_PX, rowPx - 1);
    });
    if (handleShown(props)) drawDownbeatHandle(ctx, mapping, layout, handleTick(props, gesture.drag), !!gesture.drag && gesture.drag.kind === "downbeat");
    const playheadX = mapping.tickToX(playback.playheadTick);
    if (playheadX >= KEYBOARD_WIDTH_PX) {
      ctx.fillStyle = "#ff4d4f";
      ctx.fillRect(Math.round(playheadX), 0, 2, layout.laneBottom);
    }
    if (!props.readOnly) drawScrollbars(ctx, layout, view, viewControl.contentEndTick(), gesture.drag && gesture.drag.kind === "scrollbar" ? gesture.drag.bar.axis : null);
  };

  return { draw };
}

// The roll's mutable state as named parts, and the pure rules that read them. The component
// keeps one ``roll`` for its lifetime; event handlers and the frame loop share it without
// re-rendering React. Each part is created once and changed in place, so a module may hold on
// to ``roll.view`` or ``roll.selection``; only ``roll.props`` is replaced on every render.
// roll_state.test.js runs the pure rules under `bun test`.
import { TICKS_PER_QUARTER, parseTempoMap, parseTimeSignatureMap } from "./timing.js";
import { clamp } from "./geometry.js";

// Every part of the roll's state, for a component first rendered with ``tool`` while the
// server's patch ``patchSeq`` was already applied. ``nowMs`` seeds the edit sequence numbers,
// which grow across page loads.
export function createRollState({ tool, patchSeq, nowMs }) {
  const seq = nowMs * 1000;
  return {
    props: {},
    // The notes (id -> {start_tick, duration_ticks, pitch_midi, velocity}), the sustain-pedal
    // spans in time order (pedal_lane.js) and where the music ends.
    score: { notes: new Map(), pedals: [], extentTick: 0 },
    // The selected note ids and the selected pedal span's index (or null).
    selection: { noteIds: new Set(), pedalIndex: null },
    // Scroll and zoom (geometry.js).
    view: { scrollXPx: 0, scrollYPx: 0, pxPerBeat: 96, keyHeightPx: 12 },
    // The pointer: the drag in progress (its ``kind`` says which), a keyboard key held down by
    // the mouse, the tool a shortcut chose (the toolbar's prop wins when it changes), touch.
    gesture: { drag: null, previewKey: null, tool, toolProp: tool, touch: null, touchPointerId: null },
    // The loop dragged on the ruler, shown until Python echoes its bounds.
    loop: { draft: null },
    // The keyboard cursor {tick, pitch, onNote} (placed on first use), a Shift+arrow selection
    // in progress {anchor, base}, the length Enter gives (0: one grid step), roll focus.
    keyboard: { cursor: null, extend: null, lengthTicks: 0, focused: false },
    // Tone.js: instruments, the scheduler's events, the recording, a MIDI-keyboard take, and
    // read-only measurements for window.__keycraft (releases, clicks, latencies).
    playback: {
      playheadTick: 0,
      instruments: null,
      instrumentStatus: "loading",
      warm: false,
      sortedNotes: null,
      notesChanged: true,
      schedulerId: null,
      metronomeId: null,
      headEventId: null,
      loopListener: null,
      clockMap: null,
      loopClockTicks: null,
      audio: null,
      grain: null,
      audioUrl: "",
      take: null,
      pressTime: 0,
      playLatencyMs: null,
      firstSoundMs: null,
      releases: [],
      clickTicks: [],
      clockTicks: 0,
    },
    // Parsed tempo and metre maps, re-parsed only when their props change.
    maps: { tempoKey: null, tempo: null, meterKey: null, meter: null },
    // Unsaved-edit tracking: every commit and command carries a sequence number; the server
    // echoes the last one it saved as ``savedSeq``. A patch already in state at mount belongs
    // to an earlier load.
    saving: { seq, seqBase: seq, lastSentSeq: 0, announcedSaveSeq: 0, appliedPatchSeq: patchSeq },
    // The frame loop: redraw wanted, the cached backdrop, read-only draw times.
    frame: { dirty: true, backdrop: null, backdropKey: "", drawTimes: [], loadedAtMs: null, fitWidthPx: null },
    timers: { viewReport: null, saved: null },
  };
}

// A note as the row the server stores.
export const noteRow = (id, note) => ({ id, start_tick: note.start_tick, duration_ticks: note.duration_ticks, pitch_midi: note.pitch_midi, velocity: note.velocity });
// A stored row as a note of ``score.notes``.
export const noteOfRow = (row) => ({ start_tick: row.start_tick, duration_ticks: row.duration_ticks, pitch_midi: row.pitch_midi, velocity: row.velocity });

// The next sequence number for an event sent to the server.
export function nextSeq(saving) {
  saving.seq += 1;
  saving.lastSentSeq = saving.seq;
  return saving.seq;
}
export const hasUnsaved = (saving, savedSeq) => saving.lastSentSeq > (savedSeq || 0);
// How many events sent before this one still wait for their save: the server uses it to
// coalesce bursts. Acks from an earlier page load count as nothing pending here.
export const unackedCount = (saving, savedSeq) => (saving.lastSentSeq ? Math.max(0, saving.lastSentSeq - Math.max(savedSeq || 0, saving.seqBase)) : 0);

// The practice speed: notes, recording, playhead, loop and metronome all follow it.
export const heardSpeed = (props) => clamp(Number(props.practiceSpeed) || 1, 0.5, 1);

// The tempo map of ``props`` at the practice speed, parsed once per change.
export function tempoMapOf(maps, props) {
  const speed = heardSpeed(props);
  const key = `${props.tempoMapJson}|${props.tempoBpm}|${speed}`;
  if (maps.tempoKey !== key) {
    maps.tempoKey = key;
    maps.tempo = parseTempoMap(props.tempoMapJson, props.tempoBpm, speed);
  }
  return maps.tempo;
}

// The time-signature map of ``props``, parsed once per change, bar 1 on the first downbeat.
export function meterMapOf(maps, props) {
  const firstBarTick = Math.max(0, props.firstDownbeatTick || 0);
  const key = `${props.timeSignatureMapJson}|${props.beatsPerBar}|${props.beatUnit}|${firstBarTick}`;
  if (maps.meterKey !== key) {
    maps.meterKey = key;
    maps.meter = parseTimeSignatureMap(props.timeSignatureMapJson, props.beatsPerBar, props.beatUnit, firstBarTick);
  }
  return maps.meter;
}

// The length of a bar in the metre in force at ``tick``.
export function barTicksAt(meterMap, tick) {
  let length = TICKS_PER_QUARTER * 4;
  meterMap.forEach((segment) => {
    if (segment.tick <= tick) length = segment.barTicks;
  });
  return length;
}

// How far the scrollbars reach: past the music, the loop and the playhead by four bars.
export function contentEndTick(meterMap, extentTick, region, playheadTick) {
  return Math.max(extentTick, region.enabled ? region.end : 0, playheadTick) + barTicksAt(meterMap, extentTick) * 4;
}

// The grid step new positions snap to (0: no snapping) and the length a drawn note gets.
export const stepTicksOf = (props) => (props.snapTicks > 0 ? props.snapTicks : 0);
export const drawLengthOf = (props) => (props.snapTicks > 0 ? props.snapTicks : TICKS_PER_QUARTER / 4);

// Where the pitches of ``notes`` centre: the scroll that puts their mean mid-view, or the top
// of the sixth octave for an empty piece.
export function openingScrollYPx(notes, view, visibleRows, highestPitch) {
  if (!notes.size) return (highestPitch - 84) * view.keyHeightPx;
  let sum = 0;
  notes.forEach((note) => (sum += note.pitch_midi));
  const mean = sum / notes.size;
  return Math.max(0, (highestPitch - mean - visibleRows / 2) * view.keyHeightPx);
}

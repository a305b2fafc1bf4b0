// The piano-roll canvas and Tone.js playback. Everything per-frame (drag, hover, playhead,
// sounding keys) lives here; Python receives coarse commits (onCommit, onCommand, onSelect).
import React, { useEffect, useRef, useState } from "react";
import { CONTEXT_ACTIONS, createTouchGestures, pxPerBeatShowingBars, shortcutEvent } from "./touch_gestures.js";
import * as Tone from "tone";
import * as keys from "./roll_keys.js";
import * as pedal from "./pedal_lane.js";

const TICKS_PER_QUARTER = 480;
const LOWEST_PITCH = 21;
const HIGHEST_PITCH = 108;
const KEYBOARD_WIDTH_PX = 64;
const RULER_HEIGHT_PX = 24;
const RESIZE_EDGE_PX = 6;
// The Transport runs a fixed clock, not the piece's tempo: 480 pulses per quarter at 125 BPM
// is 1000 pulses a second, so a Transport tick is one millisecond of the piece, and the tempo
// map (tickToSeconds) turns note ticks into those milliseconds.
const CLOCK_BPM = 125;
const CLOCK_TICKS_PER_SECOND = 1000;
const SCHEDULE_WINDOW_MS = 50;
const MIN_PX_PER_BEAT = 12;
const MAX_PX_PER_BEAT = 800;
const MIN_KEY_HEIGHT_PX = 5;
const MAX_KEY_HEIGHT_PX = 32;
// Keys shown above and below the piece's pitch range when the view fits the notes.
const FIT_MARGIN_KEYS = 2;
const VELOCITY_LANE_HEIGHT_PX = 72;
const VELOCITY_BAR_PX = 3;
const SCROLLBAR_PX = 10;
const MIN_THUMB_PX = 24;
const LOOP_EDGE_PX = 6;
const BLACK = new Set([1, 3, 6, 8, 10]);
// Sample files rendered by scripts/render_piano_samples.py (one every six semitones).
const SAMPLE_NOTES = ["A0", "C1", "F#1", "C2", "F#2", "C3", "F#3", "C4", "F#4", "C5", "F#5", "C6", "F#6", "C7", "F#7", "C8"];

const noteName = (pitch) => keys.noteName(pitch);
const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
const snap = (tick, step) => (step > 0 ? Math.max(0, Math.round(tick / step) * step) : Math.max(0, Math.round(tick)));
// Quiet notes are blue, loud ones red; selected notes are near white (roll_keys.js).
const velocityColour = (velocity, selected) => (selected ? keys.SELECTED_FILL : keys.VELOCITY_PALETTE[velocity]);
const CURSOR_COLOUR = "#ffd34d";
const FOCUS_RING = "3px solid #ffd34d";
// Announcements kept in the live region (older ones are dropped).
const ANNOUNCEMENTS_KEPT = 3;
const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, padding: 0, margin: -1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap", border: 0 };
const parseJson = (text, fallback) => {
  try {
    return text ? JSON.parse(text) : fallback;
  } catch (e) {
    return fallback;
  }
};

// ---------------------------------------------------------------- tempo and metre maps
// These mirror keycraft/services/notes/timing.py (tick_to_seconds, seconds_to_tick,
// bar_lines, beat_ticks, bar_start_tick); change both together.

// The last index whose entry passes ``test`` (entries pass, then fail); 0 if none does.
const lastIndexWhere = (list, test) => {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (test(list[mid])) lo = mid;
    else hi = mid - 1;
  }
  return lo;
};

// [[tick, bpm], ...] (first at tick 0) -> [{tick, bpm, seconds, writtenBpm}], ``seconds`` being
// when each tempo starts, so conversions are a binary search. A missing or bad map is one tempo.
// ``speed`` (the practice speed, 0.5 to 1) scales every tempo: the piece as it is heard.
function parseTempoMap(json, fallbackBpm, speed = 1) {
  const rows = parseJson(json, []);
  const valid = Array.isArray(rows) && rows.length > 0 && rows[0][0] === 0 && rows.every((r) => r[1] > 0);
  const changes = (valid ? rows : [[0, fallbackBpm > 0 ? fallbackBpm : 120]]).map(([tick, bpm]) => [tick, bpm * speed, bpm]);
  let seconds = 0;
  return changes.map(([tick, bpm, writtenBpm], i) => {
    if (i > 0) seconds += ((tick - changes[i - 1][0]) * 60) / (changes[i - 1][1] * TICKS_PER_QUARTER);
    return { tick, bpm, seconds, writtenBpm };
  });
}

function tickToSeconds(tick, tempoMap) {
  const c = tempoMap[lastIndexWhere(tempoMap, (e) => e.tick <= tick)];
  return c.seconds + ((tick - c.tick) * 60) / (c.bpm * TICKS_PER_QUARTER);
}

function secondsToTick(seconds, tempoMap) {
  const c = tempoMap[lastIndexWhere(tempoMap, (e) => e.seconds <= seconds)];
  return c.tick + ((seconds - c.seconds) * c.bpm * TICKS_PER_QUARTER) / 60;
}

// [[tick, numerator, denominator], ...] (first at tick 0) -> one segment per signature with its
// first bar number. A change starts a new bar, cutting short the bar it interrupts.
function parseTimeSignatureMap(json, numerator, denominator) {
  const rows = parseJson(json, []);
  const valid = Array.isArray(rows) && rows.length > 0 && rows[0][0] === 0 && rows.every((r) => r[1] > 0 && r[2] > 0);
  const changes = valid ? rows : [[0, numerator || 4, denominator || 4]];
  let bar = 1;
  return changes.map(([tick, num, den], i) => {
    const beatTicks = (TICKS_PER_QUARTER * 4) / den;
    const endTick = i + 1 < changes.length ? changes[i + 1][0] : Infinity;
    const segment = { tick, numerator: num, denominator: den, beatTicks, barTicks: beatTicks * num, endTick, bar };
    if (endTick !== Infinity) bar += Math.ceil((endTick - tick) / segment.barTicks);
    return segment;
  });
}

// Bars starting in [fromTick, toTick): [{tick, bar}].
function barLinesBetween(meterMap, fromTick, toTick) {
  const lines = [];
  for (const seg of meterMap) {
    if (seg.endTick <= fromTick) continue;
    if (seg.tick >= toTick) break;
    for (let k = Math.max(0, Math.ceil((fromTick - seg.tick) / seg.barTicks)); ; k++) {
      const tick = seg.tick + k * seg.barTicks;
      if (tick >= seg.endTick || tick >= toTick) break;
      lines.push({ tick, bar: seg.bar + k });
    }
  }
  return lines;
}

// Beats in [fromTick, toTick): [{tick, downbeat}] (the denominator note of each signature).
function beatsBetween(meterMap, fromTick, toTick) {
  const beats = [];
  for (const seg of meterMap) {
    if (seg.endTick <= fromTick) continue;
    if (seg.tick >= toTick) break;
    for (let k = Math.max(0, Math.ceil((fromTick - seg.tick) / seg.beatTicks)); ; k++) {
      const tick = seg.tick + k * seg.beatTicks;
      if (tick >= seg.endTick || tick >= toTick) break;
      beats.push({ tick, downbeat: (tick - seg.tick) % seg.barTicks === 0 });
    }
  }
  return beats;
}

// The beat nearest ``tick`` (ties go later); a bar cut short by a change ends on a beat.
function nearestBeatTick(tick, meterMap) {
  tick = Math.max(0, Math.round(tick));
  const seg = meterMap[lastIndexWhere(meterMap, (e) => e.tick <= tick)];
  const into = (tick - seg.tick) % seg.barTicks;
  const barStart = tick - into;
  const before = barStart + Math.floor(into / seg.beatTicks) * seg.beatTicks;
  if (before === tick) return tick;
  const after = Math.min(before + seg.beatTicks, seg.endTick);
  return tick - before < after - tick ? before : after;
}

function barStartTick(bar, meterMap) {
  for (const seg of meterMap) {
    const tick = seg.tick + (bar - seg.bar) * seg.barTicks;
    if (tick < seg.endTick) return tick;
  }
  return 0;
}

// The Transport position of a tick: whole clock ticks, rounded down so events on it still
// fire, after forgiving float noise (5.8 s summed as 5.7999999 is still 5800 ms).
const clockTicksAt = (tick, tempoMap) => Math.floor(tickToSeconds(tick, tempoMap) * CLOCK_TICKS_PER_SECOND + 1e-6);
// The tick at a Transport position. Rounded to a millionth of a tick so float noise never puts
// a window boundary just past a note or beat that starts exactly on it.
const tickAtClock = (clockTicks, tempoMap) => Math.round(secondsToTick(clockTicks / CLOCK_TICKS_PER_SECOND, tempoMap) * 1e6) / 1e6;

let localIdCounter = 0;
const newLocalId = () => `c${Date.now().toString(36)}${(localIdCounter++).toString(36)}`;

function createPlayer(sampleBaseUrl, onStatus) {
  const output = new Tone.Volume(0).toDestination();
  const synth = new Tone.PolySynth(Tone.Synth, { envelope: { attack: 0.005, release: 0.6 } }).connect(output);
  synth.maxPolyphony = 64;
  const player = { output, synth, sampler: null, samplesReady: false, click: null };
  const urls = {};
  SAMPLE_NOTES.forEach((n) => (urls[n] = `${n.replace("#", "s")}.mp3`));
  try {
    player.sampler = new Tone.Sampler({
      urls,
      baseUrl: sampleBaseUrl,
      release: 1,
      onload: () => {
        player.samplesReady = true;
        onStatus("samples");
      },
      onerror: () => {
        // The synth stays the instrument: playback never depends on samples loading.
        player.sampler = null;
        onStatus("synth");
      },
    }).connect(output);
  } catch (e) {
    player.sampler = null;
    onStatus("synth");
  }
  player.click = new Tone.MembraneSynth({ octaves: 2, envelope: { attack: 0.001, decay: 0.08, sustain: 0 } }).connect(output);
  player.click.volume.value = -10;
  player.instrument = () => (player.samplesReady && player.sampler ? player.sampler : synth);
  return player;
}

export function PianoRoll(props) {
  const {
    notesJson = "[]",
    pedalsJson = "[]",
    loadRevision = 0,
    patchJson = "",
    patchSeq = 0,
    tempoBpm = 120,
    beatsPerBar = 4,
    beatUnit = 4,
    tempoMapJson = "",
    timeSignatureMapJson = "",
    snapTicks = 120,
    tool = "draw",
    showNoteNames = false,
    metronome = false,
    loopEnabled = false,
    loopStartTick = 0,
    loopEndTick = 7680,
    volumeDb = -6,
    audioUrl = "",
    midiMuted = false,
    audioMuted = false,
    practiceSpeed = 1,
    pxPerBeat = 96,
    keyHeightPx = 12,
    viewRevision = 0,
    sampleBaseUrl = "/piano/",
    heightPx = 560,
    fillHeight = false,
    savedSeq = 0,
    readOnly = false,
    fitToNotes = false,
    onCommit,
    onPedalChange,
    onCommand,
    onSelect,
    onToolChange,
    onLoopChange,
    onViewChange,
  } = props;

  const containerRef = useRef(null);
  const canvasRef = useRef(null);
  // Screen-reader text: what the roll shows (its description) and what just changed (polite).
  const statusRef = useRef(null);
  const announcerRef = useRef(null);
  const pedalLaneRef = useRef(null);
  // Everything mutable lives in one ref so event handlers and the frame loop share it
  // without re-rendering React on every pointer move.
  const s = useRef(null);
  if (s.current === null) {
    s.current = {
      notes: new Map(),
      selected: new Set(),
      // Sustain-pedal spans in time order (pedal_lane.js) and the selected one's index.
      pedals: [],
      pedalSelected: null,
      // Read-only for window.__keycraft: when each scheduled note is released (pedal included).
      releases: [],
      view: { scrollXPx: 0, scrollYPx: 0, pxPerBeat: 96, keyHeightPx: 12 },
      drag: null,
      hover: null,
      playheadTick: 0,
      dirty: true,
      props: {},
      player: null,
      sorted: null,
      partDirty: true,
      schedulerId: null,
      headEventId: null,
      warm: false,
      metronomeId: null,
      loopListener: null,
      tempoKey: null,
      tempoMap: null,
      clockMap: null,
      meterKey: null,
      meterMap: null,
      clickTicks: [],
      loopClockTicks: null,
      audio: null,
      grain: null,
      audioUrl: "",
      viewReportTimer: null,
      instrument: "loading",
      pressTime: 0,
      playLatencyMs: null,
      previewKey: null,
      // A patch already in state when the component mounts belongs to an earlier load.
      appliedPatchSeq: patchSeq,
      // Read-only measurements for window.__keycraft (tests and bench/).
      drawTimes: [],
      staticCanvas: null,
      staticKey: "",
      loadedAtMs: null,
      firstSoundMs: null,
      tool: tool,
      // Unsaved-edit tracking: every commit and command carries a sequence number that
      // grows across page loads; the server echoes the last one it saved as ``savedSeq``.
      seq: Date.now() * 1000,
      seqBase: 0,
      lastSentSeq: 0,
      loopDraft: null,
      extentTick: 0,
      // A MIDI-keyboard take in progress (metronome on, loop off) or null.
      take: null,
      // The keyboard cursor {tick, pitch, onNote} (placed on first use), a Shift+arrow
      // selection in progress {anchor, base}, the length Enter gives (0: one grid step).
      cursor: null,
      extend: null,
      keyLength: 0,
      focused: false,
      savedTimer: null,
      announcedSaveSeq: 0,
    };
  }
  s.current.props = props;
  const st = s.current;
  // The toolbar's tool wins whenever it changes; a shortcut changes st.tool in between.
  // Read during render, like the props, so a click right after the change sees it.
  if (!st.seqBase) st.seqBase = st.seq;
  if (st.toolProp !== tool) {
    st.toolProp = tool;
    st.tool = tool;
  }
  const callbacks = useRef({});
  callbacks.current = { onCommit, onPedalChange, onCommand, onSelect, onToolChange, onLoopChange, onViewChange };

  // ---------------------------------------------------------------- geometry
  const geometry = () => {
    const { scrollXPx, scrollYPx, pxPerBeat, keyHeightPx } = st.view;
    return {
      tickToX: (tick) => KEYBOARD_WIDTH_PX + (tick * pxPerBeat) / TICKS_PER_QUARTER - scrollXPx,
      xToTick: (x) => Math.max(0, ((x - KEYBOARD_WIDTH_PX + scrollXPx) * TICKS_PER_QUARTER) / pxPerBeat),
      pitchToY: (pitch) => RULER_HEIGHT_PX + (HIGHEST_PITCH - pitch) * keyHeightPx - scrollYPx,
      yToPitch: (y) => HIGHEST_PITCH - Math.floor((y - RULER_HEIGHT_PX + scrollYPx) / keyHeightPx),
      keyHeightPx,
      pxPerBeat,
    };
  };
  const stepTicks = () => (st.props.snapTicks > 0 ? st.props.snapTicks : 0);
  const drawLength = () => (st.props.snapTicks > 0 ? st.props.snapTicks : TICKS_PER_QUARTER / 4);
  // The maps, re-parsed only when their props change.
  // The practice speed: notes, recording, playhead, loop and metronome all follow it.
  const heardSpeed = () => clamp(Number(st.props.practiceSpeed) || 1, 0.5, 1);
  const tempoMap = () => {
    const speed = heardSpeed();
    const key = `${st.props.tempoMapJson}|${st.props.tempoBpm}|${speed}`;
    if (st.tempoKey !== key) {
      st.tempoKey = key;
      st.tempoMap = parseTempoMap(st.props.tempoMapJson, st.props.tempoBpm, speed);
    }
    return st.tempoMap;
  };
  const meterMap = () => {
    const key = `${st.props.timeSignatureMapJson}|${st.props.beatsPerBar}|${st.props.beatUnit}`;
    if (st.meterKey !== key) {
      st.meterKey = key;
      st.meterMap = parseTimeSignatureMap(st.props.timeSignatureMapJson, st.props.beatsPerBar, st.props.beatUnit);
    }
    return st.meterMap;
  };

  // ---------------------------------------------------------------- commits
  const rowOf = (id, n) => ({ id, start_tick: n.start_tick, duration_ticks: n.duration_ticks, pitch_midi: n.pitch_midi, velocity: n.velocity });
  const commit = (upserts, removedIds) => {
    if (!upserts.length && !removedIds.length) return;
    st.partDirty = true;
    st.dirty = true;
    const cb = callbacks.current.onCommit;
    if (cb) cb({ upserts, removed_ids: removedIds, unacked: unackedCount(), seq: nextSeq() });
  };
  const command = (name) => {
    const cb = callbacks.current.onCommand;
    if (cb) cb({ name, tick: Math.round(st.playheadTick), unacked: unackedCount(), seq: nextSeq() });
  };
  const nextSeq = () => {
    st.seq += 1;
    st.lastSentSeq = st.seq;
    return st.seq;
  };
  const hasUnsaved = () => st.lastSentSeq > (st.props.savedSeq || 0);
  // How many events sent before this one still wait for their save: the server uses it to
  // coalesce bursts. Acks from an earlier page load count as nothing pending here.
  const unackedCount = () => (st.lastSentSeq ? Math.max(0, st.lastSentSeq - Math.max(st.props.savedSeq || 0, st.seqBase)) : 0);
  const publishSelection = () => {
    const cb = callbacks.current.onSelect;
    if (cb) cb({ ids: Array.from(st.selected) });
    updateStatus();
  };

  // ---------------------------------------------------------------- transport
  const transport = () => Tone.getTransport();
  const ensurePlayer = () => {
    if (!st.player) {
      // Tone's default 100 ms look-ahead is tuned for busy pages; 50 ms halves the delay
      // between Space and sound while leaving room for main-thread hiccups.
      Tone.getContext().lookAhead = 0.05;
      st.player = createPlayer(st.props.sampleBaseUrl || "/piano/", (status) => {
        st.instrument = status;
      });
    }
    return st.player;
  };
  // Notes sorted by start, rebuilt lazily after edits; the scheduler binary-searches it.
  const sortedNotes = () => {
    if (st.partDirty || !st.sorted) {
      st.sorted = Array.from(st.notes.values()).sort((a, b) => a.start_tick - b.start_tick);
      st.partDirty = false;
    }
    return st.sorted;
  };
  // Schedule the notes starting in [fromTick, toTick) against audio time ``time``, the moment
  // the piece is ``fromSeconds`` in. A look-ahead window instead of one Tone event per note
  // keeps starting playback of thousands of notes instant.
  const scheduleRange = (fromTick, toTick, time, fromSeconds) => {
    if (st.props.midiMuted || !st.player) return;
    const P = st.props;
    const region = loopRegion();
    if (region.enabled && !st.take && fromTick < region.end) toTick = Math.min(toTick, region.end);
    const tempo = tempoMap();
    const notes = sortedNotes();
    let lo = 0;
    let hi = notes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (notes[mid].start_tick < fromTick) lo = mid + 1;
      else hi = mid;
    }
    const instrument = st.player.instrument();
    for (let i = lo; i < notes.length && notes[i].start_tick < toTick; i++) {
      const n = notes[i];
      const startSeconds = tickToSeconds(n.start_tick, tempo);
      const at = time + startSeconds - fromSeconds;
      if (st.firstSoundMs === null && st.pressTime) {
        // When this note will be heard: now plus how far ahead it is scheduled.
        st.firstSoundMs = performance.now() - st.pressTime + Math.max(0, at - Tone.immediate()) * 1000;
      }
      // Held by the pedal, a released key rings on until the pedal lifts.
      const releaseTick = pedal.soundingEndTick(st.pedals, n.start_tick + n.duration_ticks);
      const releaseSeconds = tickToSeconds(releaseTick, tempo);
      if (st.releases.length < 5000) st.releases.push({ pitch_midi: n.pitch_midi, start_tick: n.start_tick, release_tick: releaseTick, release_s: releaseSeconds });
      instrument.triggerAttackRelease(Tone.Frequency(n.pitch_midi, "midi").toFrequency(), releaseSeconds - startSeconds, at, n.velocity / 127);
    }
  };
  // The window of notes the Transport reaches at audio time ``time`` (on a window boundary).
  const scheduleWindowAt = (time, schedule) => {
    const ms = Math.round(transport().getTicksAtTime(time));
    const tempo = tempoMap();
    schedule(tickAtClock(ms, tempo), tickAtClock(ms + SCHEDULE_WINDOW_MS, tempo), time, ms / CLOCK_TICKS_PER_SECOND);
  };
  // The part of a window before the next boundary, from ``tick`` (a play or a loop start).
  const scheduleHeadGap = (tick, time, schedule) => {
    const tempo = tempoMap();
    const fromMs = clockTicksAt(tick, tempo);
    const nextMs = Math.ceil(fromMs / SCHEDULE_WINDOW_MS) * SCHEDULE_WINDOW_MS;
    if (nextMs > fromMs) schedule(tick, tickAtClock(nextMs, tempo), time, fromMs / CLOCK_TICKS_PER_SECOND);
  };
  const ensureScheduler = () => {
    const t = transport();
    if (st.schedulerId === null) {
      st.schedulerId = t.scheduleRepeat((time) => scheduleWindowAt(time, scheduleRange), `${SCHEDULE_WINDOW_MS}i`, 0);
    }
    if (st.loopListener === null) {
      // A loop jumps back to a point between window boundaries: cover the gap to the next.
      st.loopListener = (time) => {
        scheduleHeadGap(loopRegion().start, time, scheduleRange);
        scheduleHeadGap(loopRegion().start, time, scheduleClicks);
      };
      t.on("loop", st.loopListener);
    }
  };
  const warmUp = () => {
    // The first gesture unlocks audio and starts loading samples, so Space plays at once.
    // A read-only roll (the landing demo) loads nothing until its own play is pressed.
    if (st.warm || st.props.readOnly) return;
    st.warm = true;
    Tone.start().then(() => ensurePlayer());
  };
  const applyTransportSettings = () => {
    const t = transport();
    t.PPQ = TICKS_PER_QUARTER;
    t.bpm.value = CLOCK_BPM;
    t.timeSignature = [st.props.beatsPerBar || 4, st.props.beatUnit || 4];
    const tempo = tempoMap();
    if (st.clockMap && st.clockMap !== tempo && t.state === "started") {
      // A new tempo or speed while playing: carry on from the same tick, now at its new time.
      st.playheadTick = secondsToTick(clockNow() / CLOCK_TICKS_PER_SECOND, st.clockMap);
      t.ticks = clockTicksAt(st.playheadTick, tempo);
    }
    // The map the Transport's position is read in (the frame loop reads the playhead with it).
    st.clockMap = tempo;
    const region = loopRegion();
    t.loop = region.enabled && !st.take;
    if (region.end > region.start) {
      st.loopClockTicks = [clockTicksAt(region.start, tempo), clockTicksAt(region.end, tempo)];
      t.loopStart = `${st.loopClockTicks[0]}i`;
      t.loopEnd = `${st.loopClockTicks[1]}i`;
    }
    if (st.player) {
      st.player.output.volume.value = st.props.volumeDb;
    }
  };
  // The Transport's position in clock ticks. Read ahead of its own processing, it can show a
  // few ms past the loop end before it wraps: wrap it here, so the playhead never leaves a loop.
  const clockNow = () => {
    const t = transport();
    const ticks = t.ticks;
    const [startTicks, endTicks] = st.loopClockTicks || [0, 0];
    return t.loop && endTicks > startTicks && ticks >= endTicks ? startTicks + ((ticks - endTicks) % (endTicks - startTicks)) : ticks;
  };
  const scheduleMetronome = () => {
    const t = transport();
    if (st.metronomeId !== null) {
      t.clear(st.metronomeId);
      st.metronomeId = null;
    }
    ensurePlayer();
    // Clicks ride the same windows as the notes, on the beats of the signature in force.
    st.metronomeId = t.scheduleRepeat((time) => scheduleWindowAt(time, scheduleClicks), `${SCHEDULE_WINDOW_MS}i`, 0);
  };
  const scheduleClicks = (fromTick, toTick, time, fromSeconds) => {
    const P = st.props;
    if (!(P.metronome || st.take) || !st.player) return;
    const region = loopRegion();
    if (region.enabled && !st.take && fromTick < region.end) toTick = Math.min(toTick, region.end);
    const tempo = tempoMap();
    beatsBetween(meterMap(), fromTick, toTick).forEach((beat) => {
      if (st.clickTicks.length < 5000) st.clickTicks.push(beat.tick);
      st.player.click.triggerAttackRelease(beat.downbeat ? "C6" : "G5", "32n", time + tickToSeconds(beat.tick, tempo) - fromSeconds);
    });
  };
  // The recording rides the Transport. At full speed a plain Player plays it untouched; slower,
  // a GrainPlayer on the same buffer stretches it without changing its pitch. Both stay synced
  // and only the one in use is heard, so changing speed never reloads anything.
  const syncAudio = () => {
    const url = st.props.audioUrl || "";
    // Read-only: the recording is fetched by the first play, not when the page loads.
    if (url === st.audioUrl || (st.props.readOnly && !st.player)) return;
    st.audioUrl = url;
    if (st.audio) {
      st.audio.unsync().dispose();
      st.audio = null;
    }
    if (st.grain) {
      st.grain.unsync().dispose();
      st.grain = null;
    }
    if (url) {
      const player = ensurePlayer();
      st.audio = new Tone.Player({ url, onerror: () => (st.audio = null) }).connect(player.output);
      st.audio.sync().start(0);
    }
    applySpeed();
  };
  const applySpeed = () => {
    const speed = heardSpeed();
    const muted = !!st.props.audioMuted;
    if (st.audio && !st.grain && speed < 1 && st.audio.loaded) {
      st.grain = new Tone.GrainPlayer({ url: st.audio.buffer, grainSize: 0.1, overlap: 0.05 }).connect(st.player.output);
      // Transport seconds are heard seconds, so the recording must start ``elapsed × speed`` in.
      // GrainPlayer counts a start offset in grains of grainSize / playbackRate and so plays
      // from ``offset × playbackRate``: hand it the position divided by the rate. (Measured:
      // passing the position itself started a 50 % recording 1 s late after a seek to 2 s.)
      const grain = st.grain;
      grain._getSyncedStartOffset = (offset, elapsed) => (offset + elapsed * grain.playbackRate) / grain.playbackRate;
      grain.sync().start(0);
    }
    if (st.grain) {
      st.grain.playbackRate = speed;
      st.grain.mute = muted || speed >= 1;
    }
    if (st.audio) st.audio.mute = muted || (speed < 1 && !!st.grain);
  };
  // Where the recording is now, in its own seconds, and which player is heard.
  const recordingState = () => {
    const active = heardSpeed() < 1 ? st.grain : st.audio;
    if (!active || transport().state !== "started") return { engine: active === st.grain && active ? "grain" : active ? "player" : "none", rate: active ? active.playbackRate : null, seconds: null, driftMs: null };
    const now = Tone.now();
    // Until the synced start it schedules has come, the recording has no position.
    const started = active === st.grain ? active._clock.getStateAtTime(now) === "started" : active.state === "started";
    if (!started) return { engine: active === st.grain ? "grain" : "player", rate: active.playbackRate, seconds: null, driftMs: null };
    const heardSeconds = transport().getTicksAtTime(now) / CLOCK_TICKS_PER_SECOND;
    // A grain plays from ``clock ticks × grainSize``; a Player reports its own progress.
    const seconds = active === st.grain ? active._clock.getTicksAtTime(now) * active.grainSize : active._getProgressAtTime(now);
    // The notes are at piece time ``heard × speed`` (the tempo map is scaled by the speed).
    const pieceSeconds = tickToSeconds(secondsToTick(heardSeconds, tempoMap()), parseTempoMap(st.props.tempoMapJson, st.props.tempoBpm));
    return { engine: active === st.grain ? "grain" : "player", rate: active.playbackRate, seconds, driftMs: (seconds - pieceSeconds) * 1000 };
  };
  const play = async () => {
    // Called synchronously from the key or click handler, so this is the press time.
    st.pressTime = performance.now();
    st.firstSoundMs = null;
    await Tone.start();
    ensurePlayer();
    applyTransportSettings();
    syncAudio();
    // A recording still downloading would start late (or not at all): wait for it.
    if (st.audio && !st.audio.loaded) await Tone.loaded().catch(() => null);
    applySpeed();
    ensureScheduler();
    if (st.metronomeId === null) scheduleMetronome();
    // With the loop on, play starts at its start unless the playhead is already inside it.
    const region = loopRegion();
    if (region.enabled && (st.playheadTick < region.start || st.playheadTick >= region.end)) st.playheadTick = region.start;
    startTransport(Math.round(st.playheadTick), "+0.02");
    st.playLatencyMs = performance.now() - st.pressTime;
    st.dirty = true;
  };
  // Start the Transport at ``when`` (audio time, or "+s") playing from ``from`` (ticks).
  const startTransport = (from, when) => {
    const t = transport();
    const fromMs = clockTicksAt(from, tempoMap());
    t.ticks = fromMs;
    // The repeating window fires on multiples of its length; cover the gap before the first.
    clearHeadEvent();
    if (fromMs % SCHEDULE_WINDOW_MS !== 0) {
      st.headEventId = t.scheduleOnce((time) => {
        st.headEventId = null;
        scheduleHeadGap(from, time, scheduleRange);
        scheduleHeadGap(from, time, scheduleClicks);
      }, `${fromMs}i`);
    }
    t.start(when);
  };
  // The performance.now() time at which audio scheduled for ``audioTime`` is heard.
  const heardAtMs = (audioTime) => {
    const raw = Tone.getContext().rawContext;
    const stamp = typeof raw.getOutputTimestamp === "function" ? raw.getOutputTimestamp() : null;
    if (stamp && stamp.performanceTime) return stamp.performanceTime + (audioTime - stamp.contextTime) * 1000;
    return performance.now() + (audioTime - raw.currentTime) * 1000;
  };

  // ---------------------------------------------------------------- MIDI-keyboard takes
  // One bar of count-in clicks (the metre at the playhead), then the Transport plays from
  // the playhead with the metronome on and the loop off. Returns the take's clock: when its
  // first tick is heard (performance.now() time, as MIDI events are stamped) and how
  // milliseconds after that map to ticks at the tempo map.
  const startTake = async () => {
    if (st.props.readOnly) return null;
    await Tone.start();
    ensurePlayer();
    if (transport().state === "started") pause();
    st.take = { startedAt: performance.now() };
    applyTransportSettings();
    syncAudio();
    ensureScheduler();
    if (st.metronomeId === null) scheduleMetronome();
    const tempo = tempoMap();
    const from = Math.round(st.playheadTick);
    const meter = meterMap().filter((seg) => seg.tick <= from).pop() || meterMap()[0];
    const fromSeconds = tickToSeconds(from, tempo);
    const beatSeconds = tickToSeconds(from + meter.beatTicks, tempo) - fromSeconds;
    const firstClick = Tone.immediate() + 0.1;
    for (let i = 0; i < meter.numerator; i++) {
      st.player.click.triggerAttackRelease(i === 0 ? "C6" : "G5", "32n", firstClick + i * beatSeconds);
    }
    const startAt = firstClick + meter.numerator * beatSeconds;
    startTransport(from, startAt);
    st.dirty = true;
    return {
      fromTick: from,
      startMs: heardAtMs(startAt),
      countInBeats: meter.numerator,
      beatMs: beatSeconds * 1000,
      tickAtMs: (ms) => secondsToTick(fromSeconds + ms / 1000, tempo),
    };
  };
  // Stop the take where it got to and add its notes (rows without ids) as one commit: one
  // step to undo. Returns how many notes were added.
  const endTake = (rows) => {
    if (!st.take) return 0;
    st.take = null;
    pause();
    applyTransportSettings();
    const upserts = [];
    const ids = new Set();
    (rows || []).forEach((r) => {
      const id = newLocalId();
      const n = { start_tick: r.start_tick, duration_ticks: r.duration_ticks, pitch_midi: r.pitch_midi, velocity: r.velocity };
      st.notes.set(id, n);
      ids.add(id);
      upserts.push(rowOf(id, n));
    });
    if (upserts.length) {
      st.selected = ids;
      publishSelection();
      commit(upserts, []);
    }
    st.dirty = true;
    return upserts.length;
  };
  const clearHeadEvent = () => {
    if (st.headEventId !== null) {
      transport().clear(st.headEventId);
      st.headEventId = null;
    }
  };
  const pause = () => {
    clearHeadEvent();
    transport().pause();
    st.dirty = true;
  };
  const stop = () => {
    clearHeadEvent();
    transport().stop();
    st.playheadTick = loopRegion().enabled ? loopRegion().start : 0;
    st.dirty = true;
  };
  const togglePlay = () => (transport().state === "started" ? pause() : play());
  const seek = (tick) => {
    st.playheadTick = Math.max(0, Math.round(tick));
    if (transport().state === "started") transport().ticks = clockTicksAt(st.playheadTick, tempoMap());
    st.dirty = true;
  };
  const previewPitch = (pitch, velocity) => {
    if (st.props.midiMuted) return;
    Tone.start().then(() => {
      ensurePlayer().instrument().triggerAttackRelease(Tone.Frequency(pitch, "midi").toFrequency(), 0.3, undefined, (velocity || 90) / 127);
    });
  };
  const zoomBy = (factor, anchorX) => {
    const v = st.view;
    const x = anchorX === undefined ? KEYBOARD_WIDTH_PX : anchorX;
    const tickAtAnchor = geometry().xToTick(x);
    v.pxPerBeat = clamp(v.pxPerBeat * factor, MIN_PX_PER_BEAT, MAX_PX_PER_BEAT);
    v.scrollXPx = Math.max(0, (tickAtAnchor * v.pxPerBeat) / TICKS_PER_QUARTER - (x - KEYBOARD_WIDTH_PX));
    st.dirty = true;
    reportView();
  };
  // The zoom is kept with the project: sent once zooming pauses, not on every wheel step.
  const reportView = () => {
    if (st.props.readOnly || st.props.fitToNotes) return;
    clearTimeout(st.viewReportTimer);
    st.viewReportTimer = setTimeout(() => {
      st.viewReportTimer = null;
      const cb = callbacks.current.onViewChange;
      if (cb) cb({ px_per_beat: st.view.pxPerBeat, key_height_px: st.view.keyHeightPx });
    }, 400);
  };

  // fitToNotes: the whole piece across the width (to the loop's end when it loops) and its
  // pitch range, plus a margin, centred and as tall as the keys may be. Run on load and resize.
  const fitView = () => {
    if (!st.props.fitToNotes || !st.notes.size || !canvasRef.current) return;
    const L = layout();
    const viewWidthPx = L.gridRight - KEYBOARD_WIDTH_PX;
    const viewHeightPx = L.gridBottom - RULER_HEIGHT_PX;
    if (viewWidthPx <= 0 || viewHeightPx <= 0) return; // not laid out yet: the resize will call again
    const region = loopRegion();
    let endTick = region.enabled ? region.end : 0;
    let low = HIGHEST_PITCH;
    let high = LOWEST_PITCH;
    st.notes.forEach((n) => {
      endTick = Math.max(endTick, n.start_tick + n.duration_ticks);
      low = Math.min(low, n.pitch_midi);
      high = Math.max(high, n.pitch_midi);
    });
    const v = st.view;
    // Below the editor's zoom-out limit if need be: a phone is narrower than 8 bars at 12 px a beat.
    v.pxPerBeat = Math.min(MAX_PX_PER_BEAT, (viewWidthPx * TICKS_PER_QUARTER) / Math.max(1, endTick));
    v.scrollXPx = 0;
    const top = Math.min(HIGHEST_PITCH, high + FIT_MARGIN_KEYS);
    const rows = top - Math.max(LOWEST_PITCH, low - FIT_MARGIN_KEYS) + 1;
    v.keyHeightPx = clamp(viewHeightPx / rows, MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX);
    v.scrollYPx = clamp(((HIGHEST_PITCH - top) + rows / 2) * v.keyHeightPx - viewHeightPx / 2, 0, maxScrollYPx());
    st.dirty = true;
  };

  // ---------------------------------------------------------------- layout
  // The grid sits between the ruler and the pedal lane, above the velocity lane; scrollbars
  // take the right and bottom edges. Everything below reads this instead of the raw canvas size.
  const layout = () => {
    const canvas = canvasRef.current;
    const w = canvas ? canvas.clientWidth : 0;
    const h = canvas ? canvas.clientHeight : 0;
    // A read-only roll (the landing demo) shows neither: it only plays and scrolls.
    const chromePx = st.props.readOnly ? 0 : SCROLLBAR_PX;
    const laneBottom = h - chromePx;
    const laneTop = laneBottom - (st.props.readOnly ? 0 : VELOCITY_LANE_HEIGHT_PX);
    const pedalTop = laneTop - (st.props.readOnly ? 0 : pedal.PEDAL_LANE_HEIGHT_PX);
    return { w, h, gridRight: w - chromePx, gridBottom: pedalTop, pedalTop, laneTop, laneBottom };
  };
  const maxScrollYPx = () => {
    const L = layout();
    return Math.max(0, (HIGHEST_PITCH - LOWEST_PITCH + 1) * st.view.keyHeightPx - (L.gridBottom - RULER_HEIGHT_PX));
  };
  const ticksToPx = (ticks) => (ticks * st.view.pxPerBeat) / TICKS_PER_QUARTER;
  // The loop being dragged wins over the props until Python echoes the new bounds.
  const loopRegion = () =>
    st.loopDraft || { enabled: !!st.props.loopEnabled && st.props.loopEndTick > st.props.loopStartTick, start: st.props.loopStartTick || 0, end: st.props.loopEndTick || 0 };
  const setTool = (name) => {
    if (st.tool === name) return;
    st.tool = name;
    const cb = callbacks.current.onToolChange;
    if (cb) cb({ tool: name });
  };

  // ---------------------------------------------------------------- scrollbars
  // The length of a bar in the metre in force at ``tick``.
  const barTicksAt = (tick) => {
    let length = TICKS_PER_QUARTER * 4;
    meterMap().forEach((seg) => {
      if (seg.tick <= tick) length = seg.barTicks;
    });
    return length;
  };
  const contentEndTick = () => {
    const region = loopRegion();
    return Math.max(st.extentTick, region.enabled ? region.end : 0, st.playheadTick) + barTicksAt(st.extentTick) * 4;
  };
  const hScrollbar = (L) => {
    const viewPx = Math.max(1, L.gridRight - KEYBOARD_WIDTH_PX);
    const contentPx = Math.max(viewPx, ticksToPx(contentEndTick()), st.view.scrollXPx + viewPx);
    const trackPx = viewPx;
    const thumbPx = Math.max(MIN_THUMB_PX, (viewPx / contentPx) * trackPx);
    const range = Math.max(1, contentPx - viewPx);
    const thumbAt = KEYBOARD_WIDTH_PX + (st.view.scrollXPx / range) * (trackPx - thumbPx);
    return { axis: "x", trackStart: KEYBOARD_WIDTH_PX, trackPx, thumbPx, thumbAt, range };
  };
  const vScrollbar = (L) => {
    const viewPx = Math.max(1, L.gridBottom - RULER_HEIGHT_PX);
    const contentPx = Math.max(viewPx, (HIGHEST_PITCH - LOWEST_PITCH + 1) * st.view.keyHeightPx);
    const thumbPx = Math.max(MIN_THUMB_PX, (viewPx / contentPx) * viewPx);
    const range = Math.max(1, contentPx - viewPx);
    const thumbAt = RULER_HEIGHT_PX + (st.view.scrollYPx / range) * (viewPx - thumbPx);
    return { axis: "y", trackStart: RULER_HEIGHT_PX, trackPx: viewPx, thumbPx, thumbAt, range };
  };
  const scrollbarAt = (x, y, L) => {
    if (y >= L.laneBottom && x >= KEYBOARD_WIDTH_PX && x < L.gridRight) return hScrollbar(L);
    if (x >= L.gridRight && y >= RULER_HEIGHT_PX && y < L.gridBottom) return vScrollbar(L);
    return null;
  };
  const dragScrollbar = (d, x, y) => {
    const pos = d.bar.axis === "x" ? x : y;
    const free = Math.max(1, d.bar.trackPx - d.bar.thumbPx);
    const scroll = clamp(((pos - d.grab - d.bar.trackStart) / free) * d.bar.range, 0, d.bar.range);
    if (d.bar.axis === "x") st.view.scrollXPx = scroll;
    else st.view.scrollYPx = clamp(scroll, 0, maxScrollYPx());
  };
  const drawScrollbar = (ctx, bar, L) => {
    const horizontal = bar.axis === "x";
    ctx.fillStyle = "#14161b";
    if (horizontal) ctx.fillRect(bar.trackStart, L.laneBottom, bar.trackPx, SCROLLBAR_PX);
    else ctx.fillRect(L.gridRight, bar.trackStart, SCROLLBAR_PX, bar.trackPx);
    ctx.fillStyle = st.drag && st.drag.kind === "scrollbar" && st.drag.bar.axis === bar.axis ? "#8a93a6" : "#5a6170";
    if (horizontal) ctx.fillRect(bar.thumbAt, L.laneBottom + 2, bar.thumbPx, SCROLLBAR_PX - 4);
    else ctx.fillRect(L.gridRight + 2, bar.thumbAt, SCROLLBAR_PX - 4, bar.thumbPx);
  };
  const zoomYBy = (factor, anchorY) => {
    const v = st.view;
    const offset = anchorY - RULER_HEIGHT_PX;
    const rowsAbove = (offset + v.scrollYPx) / v.keyHeightPx;
    v.keyHeightPx = clamp(v.keyHeightPx * factor, MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX);
    v.scrollYPx = clamp(rowsAbove * v.keyHeightPx - offset, 0, maxScrollYPx());
    reportView();
    st.dirty = true;
  };
  // Home and End move the playhead (and the view) to the start or the end of the music.
  const jumpTo = (tick) => {
    seek(tick);
    const L = layout();
    const viewPx = L.gridRight - KEYBOARD_WIDTH_PX;
    st.view.scrollXPx = Math.max(0, ticksToPx(tick) - (tick > 0 ? viewPx * 0.75 : 0));
    st.dirty = true;
  };

  // ---------------------------------------------------------------- velocity lane
  const laneVelocityAt = (y, L) => clamp(Math.round(((L.laneBottom - 4 - y) / (VELOCITY_LANE_HEIGHT_PX - 8)) * 126) + 1, 1, 127);
  // Ids of notes whose velocity bar (at the note's start) lies between two x positions.
  const laneBarsBetween = (xa, xb) => {
    const g = geometry();
    const lo = Math.min(xa, xb) - VELOCITY_BAR_PX;
    const hi = Math.max(xa, xb) + 1;
    const ids = [];
    st.notes.forEach((n, id) => {
      const x = g.tickToX(n.start_tick);
      if (x >= lo && x <= hi) ids.push(id);
    });
    return ids;
  };
  const setLaneVelocity = (d, ids, velocity) => {
    ids.forEach((id) => {
      const n = st.notes.get(id);
      if (!n) return;
      if (!d.origins.has(id)) d.origins.set(id, n.velocity);
      if (n.velocity !== velocity) st.notes.set(id, { ...n, velocity });
    });
  };
  const startLaneDrag = (x, y, L) => {
    const hits = laneBarsBetween(x, x);
    // Dragging a selected note's bar sets the whole selection; otherwise the drag paints
    // every bar it crosses.
    const group = hits.some((id) => st.selected.has(id));
    st.drag = { kind: "velocity", group, origins: new Map(), lastX: x };
    setLaneVelocity(st.drag, group ? Array.from(st.selected) : hits, laneVelocityAt(y, L));
  };
  const moveLaneDrag = (d, x, y) => {
    const L = layout();
    setLaneVelocity(d, d.group ? Array.from(st.selected) : laneBarsBetween(d.lastX, x), laneVelocityAt(y, L));
    d.lastX = x;
  };
  const endLaneDrag = (d) => {
    const upserts = [];
    d.origins.forEach((velocity, id) => {
      const n = st.notes.get(id);
      if (n && n.velocity !== velocity) upserts.push(rowOf(id, n));
    });
    commit(upserts, []);
  };
  const drawVelocityLane = (ctx, L, g) => {
    ctx.fillStyle = "#171a20";
    ctx.fillRect(0, L.laneTop, L.w, VELOCITY_LANE_HEIGHT_PX);
    ctx.fillStyle = "#3a404c";
    ctx.fillRect(0, L.laneTop, L.w, 1);
    ctx.fillStyle = "#8a93a6";
    ctx.font = "10px sans-serif";
    ctx.textBaseline = "middle";
    ctx.fillText("Velocity", 8, L.laneTop + VELOCITY_LANE_HEIGHT_PX / 2);
    ctx.save();
    ctx.beginPath();
    ctx.rect(KEYBOARD_WIDTH_PX, L.laneTop + 1, L.gridRight - KEYBOARD_WIDTH_PX, VELOCITY_LANE_HEIGHT_PX - 1);
    ctx.clip();
    const t0 = g.xToTick(KEYBOARD_WIDTH_PX) - TICKS_PER_QUARTER;
    const t1 = g.xToTick(L.gridRight);
    const usable = VELOCITY_LANE_HEIGHT_PX - 8;
    const drawBar = (n, selected) => {
      const x = g.tickToX(n.start_tick);
      const barH = Math.max(1, (n.velocity / 127) * usable);
      ctx.fillStyle = velocityColour(n.velocity, selected);
      ctx.fillRect(x, L.laneBottom - 4 - barH, VELOCITY_BAR_PX, barH);
      if (selected) {
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(x - 2, L.laneBottom - 4 - barH - 2, VELOCITY_BAR_PX + 4, 2);
      }
    };
    // Selected bars last, so they (outlined) stay visible on top of chords.
    const selectedNotes = [];
    st.notes.forEach((n, id) => {
      if (n.start_tick < t0 || n.start_tick > t1) return;
      if (st.selected.has(id)) selectedNotes.push(n);
      else drawBar(n, false);
    });
    selectedNotes.forEach((n) => drawBar(n, true));
    ctx.restore();
  };

  // ---------------------------------------------------------------- pedal lane
  // The rules live in pedal_lane.js; here they meet the pointer, the keys and the server.
  const refreshPedalLabel = () => {
    if (pedalLaneRef.current) pedalLaneRef.current.setAttribute("aria-label", pedal.laneLabel(st.pedals.length));
  };
  // A finished pedal edit: the whole new line goes to the server as one undoable step.
  const changePedals = (spans, text) => {
    st.pedals = spans;
    st.dirty = true;
    refreshPedalLabel();
    announce(text);
    const cb = callbacks.current.onPedalChange;
    if (cb) cb({ pedals: spans.map((p) => ({ start_tick: p.start_tick, end_tick: p.end_tick })), unacked: unackedCount(), seq: nextSeq() });
  };
  const selectPedal = (index) => {
    st.pedalSelected = index;
    st.dirty = true;
    if (index !== null) announce(pedal.selectedText(st.pedals[index], index, st.pedals.length, meterMap()));
  };
  const deleteSelectedPedal = () => {
    const index = st.pedalSelected;
    if (index === null || !st.pedals[index]) return false;
    const gone = st.pedals[index];
    st.pedalSelected = null;
    changePedals(pedal.deleteSpan(st.pedals, index), pedal.deletedText(gone, meterMap()));
    return true;
  };
  const startPedalDrag = (x) => {
    const g = geometry();
    const drag = pedal.startDrag(st.pedals, x, g.xToTick(x), { tickToX: g.tickToX, tool: st.tool, stepTicks: stepTicks(), minTicks: drawLength() });
    st.pedalSelected = drag ? drag.index : null;
    if (!drag) return;
    st.pedals = drag.spans;
    st.drag = { kind: "pedal", ...drag };
  };
  const movePedalDrag = (d, x) => {
    const now = pedal.dragTo(d, geometry().xToTick(x), stepTicks(), drawLength());
    st.pedals = now.spans;
    st.pedalSelected = d.index = now.index;
  };
  const endPedalDrag = (d) => {
    const done = pedal.finishDrag(d, st.pedals, meterMap());
    if (done.changed) changePedals(st.pedals, done.text);
    else announce(done.text);
  };
  // Keys on the focused lane: arrows pick a span, Delete removes it, Escape lets go.
  const onPedalLaneKey = (e) => {
    if (st.props.readOnly || e.ctrlKey || e.metaKey || e.altKey) return;
    const action = pedal.laneKey(e.key, st.pedalSelected, st.pedals.length);
    if (!action) return;
    if (action.kind === "select") {
      selectPedal(action.index);
      // Scroll the picked span into view.
      const x0 = geometry().tickToX(st.pedals[action.index].start_tick);
      if (x0 < KEYBOARD_WIDTH_PX || x0 > layout().gridRight - 40) st.view.scrollXPx = Math.max(0, ticksToPx(st.pedals[action.index].start_tick) - 40);
    } else if (action.kind === "delete") {
      if (!deleteSelectedPedal()) announce(st.pedals.length ? "No pedal span selected: Left and Right arrows pick one" : "No pedal spans");
    } else {
      st.pedalSelected = null;
      announce("Pedal span let go");
    }
    e.preventDefault();
    e.stopPropagation();
    st.dirty = true;
  };

  // ---------------------------------------------------------------- loop on the ruler
  // Shift+drag on the ruler draws a loop; its edges can be dragged; a plain click seeks.
  const loopEdgeAt = (x) => {
    const region = loopRegion();
    if (!region.enabled) return null;
    const g = geometry();
    if (Math.abs(x - g.tickToX(region.start)) <= LOOP_EDGE_PX) return "start";
    if (Math.abs(x - g.tickToX(region.end)) <= LOOP_EDGE_PX) return "end";
    return null;
  };
  const startLoopDrag = (x, shiftKey) => {
    const region = loopRegion();
    const edge = loopEdgeAt(x);
    if (edge) {
      st.drag = { kind: "loop", fixed: edge === "start" ? region.end : region.start, moved: false };
      return true;
    }
    if (!shiftKey) return false;
    // Loops snap to beats whatever the note grid: they are counted in bars and beats.
    const anchor = nearestBeatTick(geometry().xToTick(x), meterMap());
    st.drag = { kind: "loop", fixed: anchor, moved: false, created: true };
    st.loopDraft = { enabled: true, start: anchor, end: anchor + barTicksAt(anchor) };
    return true;
  };
  const moveLoopDrag = (d, x) => {
    const tick = nearestBeatTick(geometry().xToTick(x), meterMap());
    if (tick === d.fixed) return;
    st.loopDraft = { enabled: true, start: Math.min(d.fixed, tick), end: Math.max(d.fixed, tick) };
    d.moved = true;
  };
  const endLoopDrag = (d) => {
    const region = loopRegion();
    if (!d.moved && !d.created) {
      st.loopDraft = null;
      return;
    }
    const cb = callbacks.current.onLoopChange;
    if (cb) cb({ start_tick: Math.round(region.start), end_tick: Math.round(region.end) });
    if (transport().state === "started") applyTransportSettings();
  };

  // ---------------------------------------------------------------- chrome dispatch
  // Pointer handling for everything around the notes (scrollbars, lane, loop), so the
  // note handlers below stay as they were.
  const chromePointerDown = (e, x, y) => {
    const L = layout();
    const bar = scrollbarAt(x, y, L);
    if (bar) {
      const thumbHit = (bar.axis === "x" ? x : y) - bar.thumbAt;
      // A click on the track jumps there, keeping the thumb centred under the pointer.
      const grab = thumbHit >= 0 && thumbHit <= bar.thumbPx ? thumbHit : bar.thumbPx / 2;
      st.drag = { kind: "scrollbar", bar, grab };
      dragScrollbar(st.drag, x, y);
      return true;
    }
    if (x >= L.gridRight || y >= L.laneBottom) return true;
    if (y >= L.pedalTop && y < L.laneTop) {
      if (x > KEYBOARD_WIDTH_PX) startPedalDrag(x);
      return true;
    }
    if (y >= L.laneTop) {
      if (x > KEYBOARD_WIDTH_PX) startLaneDrag(x, y, L);
      return true;
    }
    if (y < RULER_HEIGHT_PX && x > KEYBOARD_WIDTH_PX) return startLoopDrag(x, e.shiftKey);
    return false;
  };
  const chromePointerMove = (d, x, y) => {
    if (d.kind === "scrollbar") dragScrollbar(d, x, y);
    else if (d.kind === "velocity") moveLaneDrag(d, x, y);
    else if (d.kind === "pedal") movePedalDrag(d, x);
    else if (d.kind === "loop") moveLoopDrag(d, x);
    else return false;
    st.dirty = true;
    return true;
  };
  const chromePointerUp = (d) => {
    if (d.kind === "velocity") endLaneDrag(d);
    else if (d.kind === "pedal") endPedalDrag(d);
    else if (d.kind === "loop") endLoopDrag(d);
    else return d.kind === "scrollbar";
    return true;
  };
  const chromeCursor = (x, y) => {
    const L = layout();
    if (scrollbarAt(x, y, L)) return "default";
    if (y >= L.pedalTop && y < L.laneTop && x > KEYBOARD_WIDTH_PX) {
      const hit = pedal.hitSpan(st.pedals, x, geometry().tickToX);
      return hit ? (hit.part === "body" ? "grab" : "ew-resize") : st.tool === "draw" ? "crosshair" : "default";
    }
    if (y >= L.laneTop) return x > KEYBOARD_WIDTH_PX && y < L.laneBottom ? "ns-resize" : "default";
    if (y < RULER_HEIGHT_PX && x > KEYBOARD_WIDTH_PX) return loopEdgeAt(x) ? "ew-resize" : "pointer";
    return null;
  };
  // A gesture still in progress when the page hides is committed rather than lost.
  const finishGesture = () => {
    if (st.drag) onPointerUp();
  };
  // Keys that are not edits: tools and Home/End. Returns true when handled.
  const onViewKey = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const key = e.key.toLowerCase();
    if (key === "d" || key === "b") setTool("draw");
    else if (key === "s" || key === "v") setTool("select");
    else if (e.key === "Home") jumpTo(0);
    else if (e.key === "End") jumpTo(st.extentTick);
    else return false;
    return true;
  };

  // ---------------------------------------------------------------- hit testing
  const noteAt = (x, y) => {
    const g = geometry();
    const pitch = g.yToPitch(y);
    let found = null;
    st.notes.forEach((n, id) => {
      if (n.pitch_midi !== pitch) return;
      const x0 = g.tickToX(n.start_tick);
      const x1 = g.tickToX(n.start_tick + n.duration_ticks);
      if (x >= x0 && x <= Math.max(x1, x0 + 3)) found = { id, n, nearEnd: x1 - x <= RESIZE_EDGE_PX && x1 - x0 > RESIZE_EDGE_PX * 2 };
    });
    return found;
  };

  // ---------------------------------------------------------------- pointer
  const localPoint = (e) => {
    const rect = canvasRef.current.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  const onPointerDown = (e) => {
    containerRef.current.focus({ preventScroll: true });
    if (st.props.readOnly) return;
    const { x, y } = localPoint(e);
    const g = geometry();
    try {
      canvasRef.current.setPointerCapture(e.pointerId);
    } catch (err) {
      // A pointer the browser no longer tracks: the drag still works without capture.
    }
    const inPedalLane = y >= layout().pedalTop && y < layout().laneTop;
    if (!inPedalLane) st.pedalSelected = null;
    if (chromePointerDown(e, x, y)) {
      st.dirty = true;
      return;
    }
    if (y < RULER_HEIGHT_PX && x > KEYBOARD_WIDTH_PX) {
      seek(g.xToTick(x));
      st.drag = { kind: "seek" };
      return;
    }
    if (x < KEYBOARD_WIDTH_PX) {
      const pitch = g.yToPitch(y);
      if (pitch >= LOWEST_PITCH && pitch <= HIGHEST_PITCH) {
        st.previewKey = pitch;
        previewPitch(pitch);
        st.dirty = true;
      }
      return;
    }
    const hit = noteAt(x, y);
    const tick = g.xToTick(x);
    const pitch = clamp(g.yToPitch(y), 0, 127);
    if (hit) {
      if (e.shiftKey) {
        if (st.selected.has(hit.id)) st.selected.delete(hit.id);
        else st.selected.add(hit.id);
      } else if (!st.selected.has(hit.id)) {
        st.selected = new Set([hit.id]);
      }
      if (!st.selected.has(hit.id)) {
        publishSelection();
        st.dirty = true;
        return;
      }
      // The keyboard carries on from the clicked note (Tab goes to the next one).
      st.cursor = { tick: hit.n.start_tick, pitch: hit.n.pitch_midi, onNote: true };
      const origins = new Map();
      st.selected.forEach((id) => origins.set(id, { ...st.notes.get(id) }));
      st.drag = { kind: hit.nearEnd ? "resize" : "move", anchorId: hit.id, startTick: tick, startPitch: pitch, origins, moved: false, created: false };
      previewPitch(hit.n.pitch_midi, hit.n.velocity);
    } else if (st.tool === "draw") {
      const start = stepTicks() > 0 ? Math.floor(tick / stepTicks()) * stepTicks() : Math.round(tick);
      const id = newLocalId();
      const n = { start_tick: start, duration_ticks: drawLength(), pitch_midi: pitch, velocity: 90 };
      st.notes.set(id, n);
      st.selected = new Set([id]);
      st.drag = { kind: "resize", anchorId: id, startTick: tick, startPitch: pitch, origins: new Map([[id, { ...n }]]), moved: true, created: true };
      previewPitch(pitch, 90);
    } else {
      if (!e.shiftKey) st.selected = new Set();
      st.drag = { kind: "band", x0: x, y0: y, x1: x, y1: y, base: new Set(st.selected) };
    }
    st.dirty = true;
  };
  const onPointerMove = (e) => {
    if (st.props.readOnly) return;
    const { x, y } = localPoint(e);
    const d = st.drag;
    const g = geometry();
    if (d && chromePointerMove(d, x, y)) return;
    if (!d) {
      const cursor = chromeCursor(x, y);
      if (cursor) {
        canvasRef.current.style.cursor = cursor;
        return;
      }
      const hit = x > KEYBOARD_WIDTH_PX && y > RULER_HEIGHT_PX ? noteAt(x, y) : null;
      canvasRef.current.style.cursor = hit ? (hit.nearEnd ? "ew-resize" : "move") : st.tool === "draw" ? "crosshair" : "default";
      return;
    }
    if (d.kind === "seek") {
      seek(g.xToTick(x));
      return;
    }
    if (d.kind === "band") {
      d.x1 = x;
      d.y1 = y;
      const t0 = g.xToTick(Math.min(d.x0, d.x1));
      const t1 = g.xToTick(Math.max(d.x0, d.x1));
      const pHigh = g.yToPitch(Math.min(d.y0, d.y1));
      const pLow = g.yToPitch(Math.max(d.y0, d.y1));
      const sel = new Set(d.base);
      st.notes.forEach((n, id) => {
        if (n.pitch_midi >= pLow && n.pitch_midi <= pHigh && n.start_tick < t1 && n.start_tick + n.duration_ticks > t0) sel.add(id);
      });
      st.selected = sel;
      st.dirty = true;
      return;
    }
    const tick = g.xToTick(x);
    const anchor = d.origins.get(d.anchorId);
    if (d.kind === "move") {
      const step = stepTicks();
      const newStart = step > 0 ? snap(anchor.start_tick + (tick - d.startTick), step) : Math.max(0, Math.round(anchor.start_tick + tick - d.startTick));
      let dt = newStart - anchor.start_tick;
      let dp = clamp(g.yToPitch(y), 0, 127) - d.startPitch;
      d.origins.forEach((o) => {
        dt = Math.max(dt, -o.start_tick);
        dp = clamp(dp, -o.pitch_midi, 127 - o.pitch_midi);
      });
      if (dp !== d.lastDp && dp !== 0) previewPitch(anchor.pitch_midi + dp, anchor.velocity);
      d.lastDp = dp;
      d.origins.forEach((o, id) => st.notes.set(id, { ...o, start_tick: o.start_tick + dt, pitch_midi: o.pitch_midi + dp }));
      d.moved = d.moved || dt !== 0 || dp !== 0;
    } else {
      const step = stepTicks();
      const end = step > 0 ? snap(tick, step) : Math.round(tick);
      const dDur = end - (anchor.start_tick + anchor.duration_ticks);
      d.origins.forEach((o, id) => st.notes.set(id, { ...o, duration_ticks: Math.max(step || 1, o.duration_ticks + dDur) }));
      d.moved = true;
    }
    st.dirty = true;
  };
  const onPointerUp = () => {
    const d = st.drag;
    st.drag = null;
    if (st.previewKey !== null) {
      st.previewKey = null;
      st.dirty = true;
    }
    if (!d) return;
    if (chromePointerUp(d)) {
      st.dirty = true;
      return;
    }
    if (d.kind === "band") {
      publishSelection();
    } else if (d.kind === "move" || d.kind === "resize") {
      const upserts = [];
      d.origins.forEach((o, id) => {
        const n = st.notes.get(id);
        if (d.created || n.start_tick !== o.start_tick || n.duration_ticks !== o.duration_ticks || n.pitch_midi !== o.pitch_midi) upserts.push(rowOf(id, n));
      });
      if (upserts.length) commit(upserts, []);
      publishSelection();
    }
    st.dirty = true;
  };
  // ---------------------------------------------------------------- touch
  // Fingers go through touch_gestures.js; what it decides runs through the handlers above.
  const [actionMenu, setActionMenu] = useState(null);
  const atClient = (p) => ({ clientX: p.x, clientY: p.y, pointerId: st.touchPointerId, shiftKey: false });
  const openActionMenu = (p) => {
    const { x, y } = localPoint(atClient(p));
    const L = layout();
    if (x < KEYBOARD_WIDTH_PX || y < RULER_HEIGHT_PX || x > L.gridRight || y > L.gridBottom) return;
    const hit = noteAt(x, y);
    if (hit && !st.selected.has(hit.id)) {
      st.selected = new Set([hit.id]);
      publishSelection();
      st.dirty = true;
    }
    setActionMenu({ x: Math.max(0, Math.min(x, L.w - 140)), y: Math.max(0, Math.min(y, L.h - 40 * CONTEXT_ACTIONS.length)) });
  };
  const runAction = (action) => {
    setActionMenu(null);
    containerRef.current.focus({ preventScroll: true });
    onKeyDown(shortcutEvent(action));
  };
  // Keys in the menu stay there (Space on an item is not play); Escape closes it.
  const onActionMenuKey = (e) => {
    e.stopPropagation();
    if (e.key !== "Escape") return;
    setActionMenu(null);
    containerRef.current.focus({ preventScroll: true });
  };
  const onTouchAction = (a) => {
    if (a.type === "tap") {
      onPointerDown(atClient(a));
      onPointerUp();
    } else if (a.type === "dragStart") onPointerDown(atClient(a));
    else if (a.type === "dragMove") onPointerMove(atClient(a));
    else if (a.type === "dragEnd") onPointerUp();
    else if (a.type === "longPress") openActionMenu(a);
    else if (a.type === "pinch") zoomBy(a.factor, localPoint(atClient(a)).x);
    else if (a.type === "pan") {
      st.view.scrollXPx = Math.max(0, st.view.scrollXPx - a.dx);
      st.view.scrollYPx = clamp(st.view.scrollYPx - a.dy, 0, maxScrollYPx());
      st.dirty = true;
    }
  };
  if (!st.touch) st.touch = createTouchGestures({ onAction: (a) => st.onTouchAction(a) });
  st.onTouchAction = onTouchAction;
  const onTouchPointer = (e) => {
    if (st.props.readOnly) return;
    if (e.type === "pointerdown") {
      setActionMenu(null);
      st.touchPointerId = e.pointerId;
      containerRef.current.focus({ preventScroll: true });
      st.touch.down(e.pointerId, e.clientX, e.clientY);
    } else if (e.type === "pointermove") st.touch.move(e.pointerId, e.clientX, e.clientY);
    else if (e.type === "pointerup") st.touch.up(e.pointerId);
    else st.touch.cancel(e.pointerId);
  };
  // On a narrow roll (a phone, a tablet) the saved zoom may show less than two bars.
  const showTwoBars = () => {
    if (st.props.fitToNotes || !canvasRef.current) return;
    const g = geometry();
    st.fitWidthPx = canvasRef.current.clientWidth;
    const barBeats = barTicksAt(g.xToTick(KEYBOARD_WIDTH_PX)) / TICKS_PER_QUARTER;
    st.view.pxPerBeat = pxPerBeatShowingBars(st.view.pxPerBeat, layout().gridRight - KEYBOARD_WIDTH_PX, barBeats, 2, MIN_PX_PER_BEAT);
    st.dirty = true;
  };
  const onWheel = (e) => {
    // Read-only: a plain vertical wheel scrolls the page around the roll, not its rows.
    if (st.props.readOnly && !(e.ctrlKey || e.metaKey || e.shiftKey) && Math.abs(e.deltaX) <= Math.abs(e.deltaY)) return;
    e.preventDefault();
    const { x } = localPoint(e);
    if (e.ctrlKey || e.metaKey) {
      zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, x);
      return;
    }
    if (e.altKey) {
      zoomYBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, localPoint(e).y);
      return;
    }
    const v = st.view;
    const maxY = maxScrollYPx();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      // Some platforms turn Shift+wheel into a horizontal delta themselves.
      v.scrollXPx = Math.max(0, v.scrollXPx + (e.shiftKey ? e.deltaY || e.deltaX : e.deltaX));
    } else {
      v.scrollYPx = clamp(v.scrollYPx + e.deltaY, 0, maxY);
    }
    st.dirty = true;
  };

  // ---------------------------------------------------------------- keyboard
  const moveSelection = (dt, dp) => {
    if (!st.selected.size) return;
    const upserts = [];
    let okay = true;
    st.selected.forEach((id) => {
      const n = st.notes.get(id);
      if (!n || n.start_tick + dt < 0 || n.pitch_midi + dp < 0 || n.pitch_midi + dp > 127) okay = false;
    });
    if (!okay) return false;
    st.selected.forEach((id) => {
      const n = st.notes.get(id);
      const moved = { ...n, start_tick: n.start_tick + dt, pitch_midi: n.pitch_midi + dp };
      st.notes.set(id, moved);
      upserts.push(rowOf(id, moved));
    });
    commit(upserts, []);
    return true;
  };

  // ---------------------------------------------------------------- keyboard cursor
  // Arrows move a cursor over the grid, Enter adds a note there, Tab walks the notes; the
  // rules and the words said are in roll_keys.js. Every change is announced (aria-live).
  const announce = (text) => {
    const region = announcerRef.current;
    if (!region || !text) return;
    const line = document.createElement("p");
    line.textContent = text;
    region.appendChild(line);
    while (region.childNodes.length > ANNOUNCEMENTS_KEPT) region.removeChild(region.firstChild);
  };
  const keyStep = () => stepTicks() || TICKS_PER_QUARTER / 4;
  const keyLength = () => st.keyLength || drawLength();
  // Placed on first use: at the playhead, on middle C if it is in view, else mid-view.
  const cursor = () => {
    if (!st.cursor) {
      const v = st.view;
      const top = HIGHEST_PITCH - Math.ceil(v.scrollYPx / v.keyHeightPx);
      const rows = canvasRef.current ? Math.floor((layout().gridBottom - RULER_HEIGHT_PX) / v.keyHeightPx) : 40;
      const bottom = top - rows + 1;
      const pitch = 60 >= bottom && 60 <= top ? 60 : Math.round((top + bottom) / 2);
      st.cursor = { tick: snap(st.playheadTick, keyStep()), pitch: clamp(pitch, LOWEST_PITCH, HIGHEST_PITCH), onNote: false };
    }
    return st.cursor;
  };
  const updateStatus = () => {
    if (statusRef.current && !st.props.readOnly) statusRef.current.textContent = keys.statusText(st.notes, cursor(), st.selected.size, meterMap());
  };
  // Scroll just enough to keep the cursor in view.
  const revealCursor = () => {
    const c = cursor();
    const g = geometry();
    const L = layout();
    const v = st.view;
    const x0 = g.tickToX(c.tick);
    const x1 = g.tickToX(c.tick + keyLength());
    if (x0 < KEYBOARD_WIDTH_PX) v.scrollXPx = Math.max(0, v.scrollXPx - (KEYBOARD_WIDTH_PX - x0) - 20);
    else if (x1 > L.gridRight) v.scrollXPx += x1 - L.gridRight + 20;
    const y = g.pitchToY(c.pitch);
    if (y < RULER_HEIGHT_PX) v.scrollYPx = clamp(v.scrollYPx - (RULER_HEIGHT_PX - y) - v.keyHeightPx, 0, maxScrollYPx());
    else if (y + v.keyHeightPx > L.gridBottom) v.scrollYPx = clamp(v.scrollYPx + (y + 2 * v.keyHeightPx - L.gridBottom), 0, maxScrollYPx());
  };
  const placeCursor = (steps, semitones, extend) => {
    const next = keys.moveCursor(cursor(), steps, semitones, keyStep());
    if (extend) {
      // Shift+arrows select every note in the rectangle from where they started.
      if (!st.extend) st.extend = { anchor: cursor(), base: new Set(st.selected) };
      st.cursor = next;
      st.selected = new Set([...st.extend.base, ...keys.notesBetween(st.notes, st.extend.anchor, next, keyStep())]);
      publishSelection();
      announce(`${keys.cursorText(st.notes, next, meterMap())}. ${keys.selectionText(st.selected.size)}`);
    } else {
      st.extend = null;
      st.cursor = next;
      announce(keys.cursorText(st.notes, next, meterMap()));
    }
    revealCursor();
  };
  const addNoteAtCursor = () => {
    const c = cursor();
    const same = Array.from(st.notes).find(([, n]) => n.start_tick === c.tick && n.pitch_midi === c.pitch);
    if (same) {
      // Never stack a second identical note: select the one that is there.
      st.selected = new Set([same[0]]);
      publishSelection();
      announce(`${noteName(c.pitch)} is already there: selected`);
      return;
    }
    const id = newLocalId();
    const n = { start_tick: c.tick, duration_ticks: keyLength(), pitch_midi: c.pitch, velocity: 90 };
    st.notes.set(id, n);
    st.selected = new Set([id]);
    commit([rowOf(id, n)], []);
    publishSelection();
    previewPitch(n.pitch_midi, n.velocity);
    announce(keys.addedText(n, meterMap()));
    // The cursor steps past the new note, ready for the next one of a melody.
    st.cursor = { tick: c.tick + n.duration_ticks, pitch: c.pitch, onNote: false };
    revealCursor();
  };
  const walkNotes = (direction) => {
    const id = keys.adjacentNote(st.notes, cursor(), direction);
    if (id === null) return false;
    const n = st.notes.get(id);
    st.extend = null;
    st.selected = new Set([id]);
    st.cursor = { tick: n.start_tick, pitch: n.pitch_midi, onNote: true };
    publishSelection();
    previewPitch(n.pitch_midi, n.velocity);
    announce(`${keys.describeNote(n, meterMap())}. Selected`);
    revealCursor();
    return true;
  };
  const moveSelectedNotes = (steps, semitones) => {
    const dt = steps * keyStep();
    if (!st.selected.size) return announce("Nothing selected to move");
    if (!moveSelection(dt, semitones)) return announce("The notes cannot move further");
    const c = cursor();
    st.cursor = { tick: Math.max(0, c.tick + dt), pitch: clamp(c.pitch + semitones, LOWEST_PITCH, HIGHEST_PITCH), onNote: c.onNote };
    announce(keys.movedText(st.selected.size, dt, semitones));
    revealCursor();
  };
  const resizeSelectedNotes = (steps) => {
    const step = keyStep();
    if (!st.selected.size) {
      // Nothing selected: the brackets set how long Enter's notes are.
      st.keyLength = Math.max(step, keyLength() + steps * step);
      return announce(`New notes ${keys.lengthText(st.keyLength)} long`);
    }
    const upserts = [];
    st.selected.forEach((id) => {
      const n = st.notes.get(id);
      const duration = n ? Math.max(step, n.duration_ticks + steps * step) : 0;
      if (!n || duration === n.duration_ticks) return;
      const resized = { ...n, duration_ticks: duration };
      st.notes.set(id, resized);
      upserts.push(rowOf(id, resized));
    });
    commit(upserts, []);
    if (!upserts.length) return announce("The notes are as short as the grid allows");
    st.keyLength = upserts[0].duration_ticks;
    announce(keys.resizedText(upserts.map((r) => r.duration_ticks), steps * step));
  };
  const changeVelocity = (amount) => {
    if (!st.selected.size) return announce("Nothing selected");
    const upserts = [];
    st.selected.forEach((id) => {
      const n = st.notes.get(id);
      if (!n) return;
      const velocity = clamp(n.velocity + amount, 1, 127);
      if (velocity === n.velocity) return;
      const changed = { ...n, velocity };
      st.notes.set(id, changed);
      upserts.push(rowOf(id, changed));
    });
    commit(upserts, []);
    announce(keys.velocityText(Array.from(st.selected, (id) => st.notes.get(id)).filter(Boolean).map((n) => n.velocity)));
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
  const COMMAND_WORDS = { undo: "Undo", redo: "Redo", copy: "Copied", cut: "Cut", paste: "Pasted at the playhead", duplicate: "Duplicated", quantize: "Quantized to the grid" };
  const keyCommand = (name) => {
    command(name);
    announce(COMMAND_WORDS[name]);
  };
  const onFocus = () => {
    st.focused = true;
    const el = containerRef.current;
    // The ring shows for keyboard focus (a click focuses too, and needs no ring).
    let visible = true;
    try {
      visible = el.matches(":focus-visible");
    } catch (err) {
      // An old browser without :focus-visible: always show it.
    }
    el.style.outline = visible ? FOCUS_RING : "none";
    updateStatus();
    st.dirty = true;
  };
  const onBlur = () => {
    st.focused = false;
    st.extend = null;
    containerRef.current.style.outline = "none";
    st.dirty = true;
  };
  const onKeyDown = (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key;
    // Read-only: Space plays and pauses, Ctrl +/- zoom; every editing shortcut is ignored.
    if (st.props.readOnly && key !== " " && !(mod && ["=", "+", "-"].includes(key))) return;
    let handled = true;
    if (onViewKey(e)) {
      e.preventDefault();
      st.dirty = true;
      return;
    }
    const action = st.props.readOnly ? null : keys.keyAction(e);
    if (action) {
      if (onCursorKey(action)) e.preventDefault();
      st.dirty = true;
      updateStatus();
      return;
    }
    if (key === " ") {
      const playing = transport().state === "started";
      togglePlay();
      announce(playing ? `Paused at ${keys.positionText(Math.round(st.playheadTick), meterMap())}` : `Playing from ${keys.positionText(Math.round(st.playheadTick), meterMap())}`);
    } else if ((key === "Delete" || key === "Backspace") && st.pedalSelected !== null) {
      deleteSelectedPedal();
    } else if (key === "Delete" || key === "Backspace") {
      const ids = Array.from(st.selected);
      ids.forEach((id) => st.notes.delete(id));
      st.selected = new Set();
      commit([], ids);
      publishSelection();
      announce(keys.deletedText(ids.length));
    } else if (mod && key.toLowerCase() === "a") {
      st.selected = new Set(st.notes.keys());
      publishSelection();
      announce(`All ${keys.selectionText(st.selected.size)}`);
    } else if (mod && key.toLowerCase() === "z") {
      keyCommand(e.shiftKey ? "redo" : "undo");
    } else if (mod && key.toLowerCase() === "y") {
      keyCommand("redo");
    } else if (mod && ["c", "x", "v", "d"].includes(key.toLowerCase())) {
      keyCommand({ c: "copy", x: "cut", v: "paste", d: "duplicate" }[key.toLowerCase()]);
    } else if (!mod && key.toLowerCase() === "q") {
      keyCommand("quantize");
    } else if (key === "?") {
      command("help");
    } else if (key === "Escape") {
      st.pedalSelected = null;
      st.selected = new Set();
      st.extend = null;
      publishSelection();
      announce("Selection cleared");
    } else if (mod && (key === "=" || key === "+")) {
      zoomBy(1.25);
    } else if (mod && key === "-") {
      zoomBy(1 / 1.25);
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
      st.dirty = true;
    }
  };

  // ---------------------------------------------------------------- drawing
  // Everything that only changes with the view (rows, grid, ruler, keyboard) is drawn once
  // into an offscreen canvas; each frame copies it and draws notes and overlays on top.
  const drawStatic = (ctx, w, h, g) => {
    const kh = g.keyHeightPx;
    ctx.fillStyle = "#1c1f26";
    ctx.fillRect(0, 0, w, h);
    for (let p = HIGHEST_PITCH; p >= LOWEST_PITCH; p--) {
      const y = g.pitchToY(p);
      if (y > h || y + kh < RULER_HEIGHT_PX) continue;
      ctx.fillStyle = BLACK.has(p % 12) ? "#23272f" : "#2a2f38";
      ctx.fillRect(KEYBOARD_WIDTH_PX, y, w, kh);
      if (p % 12 === 0) {
        ctx.fillStyle = "#3a404c";
        ctx.fillRect(KEYBOARD_WIDTH_PX, y + kh - 1, w, 1);
      }
    }
    const t0 = g.xToTick(KEYBOARD_WIDTH_PX);
    const t1 = g.xToTick(w);
    const meter = meterMap();
    const bars = barLinesBetween(meter, t0 - 1, t1 + 1);
    const drawLines = (every, colour) => {
      if (every <= 0 || (every * g.pxPerBeat) / TICKS_PER_QUARTER < 6) return;
      ctx.fillStyle = colour;
      for (let t = Math.floor(t0 / every) * every; t <= t1; t += every) {
        ctx.fillRect(Math.round(g.tickToX(t)), RULER_HEIGHT_PX, 1, h);
      }
    };
    drawLines(stepTicks(), "#30353f");
    const wideEnough = (ticks) => (ticks * g.pxPerBeat) / TICKS_PER_QUARTER >= 6;
    const drawTicks = (ticks, colour) => {
      ctx.fillStyle = colour;
      ticks.forEach((t) => ctx.fillRect(Math.round(g.tickToX(t)), RULER_HEIGHT_PX, 1, h));
    };
    if (meter.every((seg) => wideEnough(seg.beatTicks))) drawTicks(beatsBetween(meter, t0 - 1, t1 + 1).map((b) => b.tick), "#3b414d");
    if (meter.every((seg) => wideEnough(seg.barTicks))) drawTicks(bars.map((b) => b.tick), "#5a6170");
    const region = loopRegion();
    const loop = region.enabled;
    if (loop) {
      ctx.fillStyle = "rgba(120, 200, 120, 0.08)";
      const lx = g.tickToX(region.start);
      ctx.fillRect(lx, RULER_HEIGHT_PX, g.tickToX(region.end) - lx, h);
    }
    ctx.font = "10px sans-serif";
    ctx.textBaseline = "middle";
    for (let p = HIGHEST_PITCH; p >= LOWEST_PITCH; p--) {
      const y = g.pitchToY(p);
      if (y > h || y + kh < RULER_HEIGHT_PX) continue;
      ctx.fillStyle = BLACK.has(p % 12) ? "#111" : "#f4f4f4";
      ctx.fillRect(0, y, KEYBOARD_WIDTH_PX, kh);
      ctx.fillStyle = "#999";
      ctx.fillRect(0, y + kh - 1, KEYBOARD_WIDTH_PX, 1);
      if (p % 12 === 0 && kh >= 8) {
        ctx.fillStyle = "#333";
        ctx.fillText(noteName(p), 30, y + kh / 2);
      }
    }
    ctx.fillStyle = "#14161b";
    ctx.fillRect(0, 0, w, RULER_HEIGHT_PX);
    ctx.fillStyle = "#c8ccd4";
    const barPx = (Math.min(...meter.map((seg) => seg.barTicks)) * g.pxPerBeat) / TICKS_PER_QUARTER;
    const labelEvery = Math.max(1, Math.ceil(40 / barPx));
    bars.forEach(({ tick, bar }) => {
      if ((bar - 1) % labelEvery) return;
      const x = g.tickToX(tick);
      if (x < KEYBOARD_WIDTH_PX) return;
      ctx.fillRect(x, 12, 1, 12);
      ctx.fillText(String(bar), x + 3, 10);
    });
    if (loop) {
      const lx = g.tickToX(region.start);
      const rx = g.tickToX(region.end);
      ctx.fillStyle = "rgba(120, 200, 120, 0.25)";
      ctx.fillRect(lx, 0, rx - lx, RULER_HEIGHT_PX);
      ctx.fillStyle = "rgba(120, 200, 120, 0.6)";
      ctx.fillRect(lx, 18, rx - lx, 6);
      // Edge handles: drag them to adjust the loop.
      ctx.fillStyle = "#78c878";
      ctx.fillRect(lx - 1, 0, 3, RULER_HEIGHT_PX);
      ctx.fillRect(rx - 2, 0, 3, RULER_HEIGHT_PX);
    }
  };

  const draw = () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    const pw = Math.round(w * dpr);
    const ph = Math.round(h * dpr);
    if (!pw || !ph) return; // not laid out (yet): the resize observer draws again
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    if (st.drawTimes.length < 5000) st.drawTimes.push(performance.now());
    const g = geometry();
    const kh = g.keyHeightPx;
    const v = st.view;
    const P = st.props;
    const region = loopRegion();
    const staticKey = [pw, ph, dpr, v.scrollXPx, v.scrollYPx, v.pxPerBeat, v.keyHeightPx, P.snapTicks, P.beatsPerBar, P.beatUnit, P.timeSignatureMapJson, region.enabled, region.start, region.end].join("|");
    if (!st.staticCanvas) st.staticCanvas = document.createElement("canvas");
    const backdrop = st.staticCanvas;
    if (st.staticKey !== staticKey) {
      backdrop.width = pw;
      backdrop.height = ph;
      const bctx = backdrop.getContext("2d");
      bctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      drawStatic(bctx, w, h, g);
      st.staticKey = staticKey;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(backdrop, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Notes, culled to the visible window and clipped to the grid.
    const t0 = g.xToTick(KEYBOARD_WIDTH_PX);
    const t1 = g.xToTick(w);
    ctx.save();
    ctx.beginPath();
    const L = layout();
    ctx.rect(KEYBOARD_WIDTH_PX, RULER_HEIGHT_PX, L.gridRight - KEYBOARD_WIDTH_PX, L.gridBottom - RULER_HEIGHT_PX);
    ctx.clip();
    const showNames = P.showNoteNames;
    ctx.font = "10px sans-serif";
    ctx.textBaseline = "middle";
    ctx.strokeStyle = "#0b0d12";
    ctx.lineWidth = 1.5;
    let extentTick = 0;
    st.notes.forEach((n, id) => {
      if (n.start_tick + n.duration_ticks > extentTick) extentTick = n.start_tick + n.duration_ticks;
      if (n.start_tick > t1 || n.start_tick + n.duration_ticks < t0) return;
      const y = g.pitchToY(n.pitch_midi);
      if (y > h || y + kh < RULER_HEIGHT_PX) return;
      const x = g.tickToX(n.start_tick);
      const nw = Math.max(2, (n.duration_ticks * g.pxPerBeat) / TICKS_PER_QUARTER);
      const selected = st.selected.has(id);
      ctx.fillStyle = velocityColour(n.velocity, selected);
      ctx.fillRect(x, y + 1, nw, kh - 2);
      if (selected) ctx.strokeRect(x + 0.5, y + 1.5, nw - 1, kh - 3);
      if (showNames && nw > 22 && kh >= 10) {
        ctx.fillStyle = selected ? "#10131a" : "#ffffff";
        ctx.fillText(noteName(n.pitch_midi), x + 3, y + kh / 2);
      }
    });
    const d = st.drag;
    if (d && d.kind === "band") {
      ctx.strokeStyle = "#9fb4ff";
      ctx.lineWidth = 1;
      ctx.fillStyle = "rgba(159, 180, 255, 0.12)";
      ctx.fillRect(Math.min(d.x0, d.x1), Math.min(d.y0, d.y1), Math.abs(d.x1 - d.x0), Math.abs(d.y1 - d.y0));
      ctx.strokeRect(Math.min(d.x0, d.x1), Math.min(d.y0, d.y1), Math.abs(d.x1 - d.x0), Math.abs(d.y1 - d.y0));
    }
    if (st.focused && !P.readOnly) {
      const c = cursor();
      ctx.strokeStyle = CURSOR_COLOUR;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(g.tickToX(c.tick) + 1, g.pitchToY(c.pitch) + 1, Math.max(4, (keyLength() * g.pxPerBeat) / TICKS_PER_QUARTER - 2), kh - 2);
      ctx.setLineDash([]);
    }
    ctx.restore();
    st.extentTick = extentTick;
    if (!P.readOnly) {
      pedal.drawPedalLane(ctx, { spans: st.pedals, selectedIndex: st.pedalSelected, top: L.pedalTop, width: L.w, left: KEYBOARD_WIDTH_PX, right: L.gridRight, tickToX: g.tickToX });
      drawVelocityLane(ctx, L, g);
    }
    // Keys sounding now: from the playhead while playing, plus a clicked key.
    const sounding = new Set();
    if (transport().state === "started") {
      st.notes.forEach((n) => {
        if (n.start_tick <= st.playheadTick && st.playheadTick < n.start_tick + n.duration_ticks) sounding.add(n.pitch_midi);
      });
    }
    if (st.previewKey !== null) sounding.add(st.previewKey);
    ctx.fillStyle = "#f5a524";
    sounding.forEach((p) => {
      const y = g.pitchToY(p);
      if (y + kh >= RULER_HEIGHT_PX && y <= L.gridBottom) ctx.fillRect(0, Math.max(y, RULER_HEIGHT_PX), KEYBOARD_WIDTH_PX, kh - 1);
    });
    const px = g.tickToX(st.playheadTick);
    if (px >= KEYBOARD_WIDTH_PX) {
      ctx.fillStyle = "#ff4d4f";
      ctx.fillRect(Math.round(px), 0, 2, L.laneBottom);
    }
    if (!P.readOnly) {
      drawScrollbar(ctx, hScrollbar(L), L);
      drawScrollbar(ctx, vScrollbar(L), L);
      ctx.fillStyle = "#14161b";
      ctx.fillRect(L.gridRight, L.laneBottom, SCROLLBAR_PX, SCROLLBAR_PX);
    }
  };

  // ---------------------------------------------------------------- effects
  useEffect(() => {
    // The zoom the project was left with, once per open (before the notes scroll into view).
    if (!viewRevision || st.props.fitToNotes) return;
    st.view.pxPerBeat = clamp(Number(pxPerBeat) || 96, MIN_PX_PER_BEAT, MAX_PX_PER_BEAT);
    st.view.keyHeightPx = clamp(Number(keyHeightPx) || 12, MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX);
    st.view.scrollYPx = 0;
    showTwoBars();
    st.dirty = true;
  }, [viewRevision]);

  useEffect(() => {
    const notes = new Map();
    parseJson(notesJson, []).forEach((r) => notes.set(r.id, { start_tick: r.start_tick, duration_ticks: r.duration_ticks, pitch_midi: r.pitch_midi, velocity: r.velocity }));
    st.notes = notes;
    st.selected = new Set();
    st.pedals = pedal.parsePedals(parseJson(st.props.pedalsJson, []));
    st.pedalSelected = null;
    refreshPedalLabel();
    st.appliedPatchSeq = st.props.patchSeq;
    st.loadedAtMs = notes.size ? performance.now() : null;
    st.partDirty = true;
    st.dirty = true;
    if (notes.size && st.view.scrollYPx === 0) {
      // Start with the music in view rather than the top octave.
      let sum = 0;
      notes.forEach((n) => (sum += n.pitch_midi));
      const mean = sum / notes.size;
      const canvas = canvasRef.current;
      const visibleRows = canvas ? (layout().gridBottom - RULER_HEIGHT_PX) / st.view.keyHeightPx : 40;
      st.view.scrollYPx = Math.max(0, (HIGHEST_PITCH - mean - visibleRows / 2) * st.view.keyHeightPx);
    } else if (!notes.size && st.view.scrollYPx === 0) {
      st.view.scrollYPx = (HIGHEST_PITCH - 84) * st.view.keyHeightPx;
    }
    fitView();
  }, [loadRevision]);

  useEffect(() => {
    if (patchSeq === st.appliedPatchSeq) return;
    st.appliedPatchSeq = patchSeq;
    const patch = parseJson(patchJson, null);
    if (!patch) return;
    (patch.removed_ids || []).forEach((id) => {
      st.notes.delete(id);
      st.selected.delete(id);
    });
    (patch.upserts || []).forEach((r) => st.notes.set(r.id, { start_tick: r.start_tick, duration_ticks: r.duration_ticks, pitch_midi: r.pitch_midi, velocity: r.velocity }));
    if (Array.isArray(patch.select_ids)) st.selected = new Set(patch.select_ids);
    if (Array.isArray(patch.pedals)) {
      st.pedals = pedal.parsePedals(patch.pedals);
      st.pedalSelected = null;
      refreshPedalLabel();
    }
    st.partDirty = true;
    st.dirty = true;
  }, [patchSeq]);

  useEffect(() => {
    // "Saved" once edits are saved and a second passes with no new one (not after each).
    clearTimeout(st.savedTimer);
    if (!st.lastSentSeq || hasUnsaved()) return;
    st.savedTimer = setTimeout(() => {
      if (hasUnsaved() || st.announcedSaveSeq === st.lastSentSeq) return;
      st.announcedSaveSeq = st.lastSentSeq;
      announce("Saved");
    }, 1000);
  }, [savedSeq]);

  useEffect(() => {
    // Python echoed (or changed) the loop: its values replace the one being shown.
    if (!st.drag || st.drag.kind !== "loop") st.loopDraft = null;
    st.dirty = true;
  }, [loopEnabled, loopStartTick, loopEndTick]);

  useEffect(() => {
    syncAudio();
    applySpeed();
    if (st.player || transport().state === "started") applyTransportSettings();
    st.dirty = true;
  }, [tempoBpm, tempoMapJson, timeSignatureMapJson, beatsPerBar, beatUnit, loopEnabled, loopStartTick, loopEndTick, volumeDb, audioUrl, audioMuted, midiMuted, snapTicks, showNoteNames, metronome, practiceSpeed]);

  useEffect(() => {
    const canvas = canvasRef.current;
    canvas.addEventListener("wheel", onWheel, { passive: false });
    let frame = 0;
    const loop = () => {
      const t = transport();
      if (t.state === "started") {
        st.playheadTick = secondsToTick(clockNow() / CLOCK_TICKS_PER_SECOND, st.clockMap || tempoMap());
        // Keep the playhead on screen while playing.
        const g = geometry();
        const x = g.tickToX(st.playheadTick);
        // A view fitted to the notes already shows the whole piece: it stays put.
        if (!st.props.fitToNotes && (x > canvas.clientWidth - SCROLLBAR_PX - 40 || x < KEYBOARD_WIDTH_PX)) {
          st.view.scrollXPx = Math.max(0, (st.playheadTick * g.pxPerBeat) / TICKS_PER_QUARTER - 40);
        }
        st.dirty = true;
      }
      if (st.dirty) {
        st.dirty = false;
        draw();
      }
      frame = requestAnimationFrame(loop);
    };
    frame = requestAnimationFrame(loop);
    const ro = new ResizeObserver(() => {
      fitView();
      if (canvas.clientWidth !== st.fitWidthPx) showTwoBars();
      st.dirty = true;
    });
    // Space plays from anywhere on the page that is not a text field or a button.
    const onDocumentKey = (e) => {
      if (st.props.readOnly) return; // on a page of text Space scrolls: only the focused roll plays
      const target = e.target;
      const typing = target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(target.tagName));
      if (e.key === " " && !typing && !containerRef.current.contains(target)) {
        e.preventDefault();
        togglePlay();
      }
    };
    document.addEventListener("keydown", onDocumentKey);
    // Capture phase: these run before the page's own unload handlers close the socket, so a
    // gesture in progress is still sent. The browser asks before leaving only while an edit
    // has not been acknowledged as saved.
    const onBeforeUnload = (e) => {
      finishGesture();
      if (hasUnsaved()) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    const onPageHide = () => finishGesture();
    const onVisibility = () => {
      if (document.visibilityState === "hidden") finishGesture();
    };
    window.addEventListener("beforeunload", onBeforeUnload, { capture: true });
    window.addEventListener("pagehide", onPageHide, { capture: true });
    document.addEventListener("visibilitychange", onVisibility, { capture: true });
    document.addEventListener("pointerdown", warmUp, { capture: true });
    document.addEventListener("keydown", warmUp, { capture: true });
    ro.observe(canvas);
    window.keycraftPianoRoll = {
      transport: (action) => (action === "play" ? play() : action === "pause" ? pause() : action === "toggle" ? togglePlay() : stop()),
      zoom: (factor) => zoomBy(factor),
      focus: () => containerRef.current && containerRef.current.focus({ preventScroll: true }),
      startTake: () => startTake(),
      endTake: (rows) => endTake(rows),
      // Where the playhead is now, for taps the server reads (e.g. the first downbeat).
      playheadTick: () => Math.round(st.playheadTick),
    };
    window.__keycraftMounts = (window.__keycraftMounts || 0) + 1;
    window.__keycraft = {
      get mounts() {
        return window.__keycraftMounts;
      },
      get noteCount() {
        return st.notes.size;
      },
      get selectedCount() {
        return st.selected.size;
      },
      get transportState() {
        return transport().state;
      },
      get playheadTick() {
        return st.playheadTick;
      },
      get instrument() {
        return st.instrument;
      },
      get playLatencyMs() {
        return st.playLatencyMs;
      },
      get pxPerBeat() {
        return st.view.pxPerBeat;
      },
      get keyHeightPx() {
        return st.view.keyHeightPx;
      },
      get scrollXPx() {
        return st.view.scrollXPx;
      },
      get scrollYPx() {
        return st.view.scrollYPx;
      },
      // The grid's visible window: [first, last] tick across it, and the lowest and highest
      // pitch whose whole row is in it.
      get visibleTicks() {
        const g = geometry();
        return [g.xToTick(KEYBOARD_WIDTH_PX), g.xToTick(layout().gridRight)];
      },
      get visiblePitches() {
        const v = st.view;
        const viewHeightPx = layout().gridBottom - RULER_HEIGHT_PX;
        const topRow = Math.ceil(v.scrollYPx / v.keyHeightPx - 1e-6);
        const rowsEnd = Math.floor((v.scrollYPx + viewHeightPx) / v.keyHeightPx + 1e-6);
        return [HIGHEST_PITCH - rowsEnd + 1, HIGHEST_PITCH - topRow];
      },
      get tool() {
        return st.tool;
      },
      get cursor() {
        return st.cursor;
      },
      get loop() {
        return loopRegion();
      },
      get unsaved() {
        return hasUnsaved();
      },
      // Page coordinates of a velocity value above a tick in the lane, and of the thumbs.
      lanePointFor: (tick, velocity) => {
        const L = layout();
        const rect = canvasRef.current.getBoundingClientRect();
        const y = L.laneBottom - 4 - ((velocity - 1) / 126) * (VELOCITY_LANE_HEIGHT_PX - 8);
        return { x: rect.left + geometry().tickToX(tick) + 1, y: rect.top + y };
      },
      thumb: (axis) => {
        const L = layout();
        const rect = canvasRef.current.getBoundingClientRect();
        const bar = axis === "x" ? hScrollbar(L) : vScrollbar(L);
        const along = bar.thumbAt + bar.thumbPx / 2;
        return axis === "x" ? { x: rect.left + along, y: rect.top + L.laneBottom + SCROLLBAR_PX / 2 } : { x: rect.left + L.gridRight + SCROLLBAR_PX / 2, y: rect.top + along };
      },
      // The written tempo map (the practice speed does not change it).
      get tempoMap() {
        return tempoMap().map((c) => [c.tick, c.writtenBpm]);
      },
      get practiceSpeed() {
        return heardSpeed();
      },
      // The recording as it plays: which player is heard, its rate, its position (seconds of
      // the recording) and how far that is from the notes' position (ms; + is ahead).
      get recordingPlayback() {
        return recordingState();
      },
      get timeSignatureMap() {
        return meterMap().map((seg) => [seg.tick, seg.numerator, seg.denominator]);
      },
      secondsAtTick: (tick) => tickToSeconds(tick, tempoMap()),
      tickAtSeconds: (seconds) => secondsToTick(seconds, tempoMap()),
      barLines: (toTick) => barLinesBetween(meterMap(), 0, toTick),
      barStartTick: (bar) => barStartTick(bar, meterMap()),
      // The Transport's loop points and position in seconds of the piece (its clock is 1 kHz;
      // Tone's own loopEnd getter truncates to whole clock ticks).
      get transportLoopSeconds() {
        return st.loopClockTicks ? st.loopClockTicks.map((ticks) => ticks / CLOCK_TICKS_PER_SECOND) : null;
      },
      get transportSeconds() {
        return clockNow() / CLOCK_TICKS_PER_SECOND;
      },
      clickTicks: () => st.clickTicks.splice(0),
      // Pedal spans shown, the selected one's index, and each note the player scheduled with
      // the tick and second (of the piece) it is released at, the pedal included.
      get pedals() {
        return st.pedals.map((p) => ({ ...p }));
      },
      get pedalSelected() {
        return st.pedalSelected;
      },
      scheduledReleases: () => st.releases.splice(0),
      // Page coordinates of a tick in the middle of the pedal lane.
      pedalPointFor: (tick) => {
        const L = layout();
        const rect = canvasRef.current.getBoundingClientRect();
        return { x: rect.left + geometry().tickToX(tick), y: rect.top + L.pedalTop + pedal.PEDAL_LANE_HEIGHT_PX / 2 };
      },
      notes: () => Array.from(st.notes, ([id, n]) => rowOf(id, n)),
      get loadedAtMs() {
        return st.loadedAtMs;
      },
      get firstSoundMs() {
        return st.firstSoundMs;
      },
      get recording() {
        return st.audio ? (st.audio.loaded ? "loaded" : "loading") : "none";
      },
      drawTimes: () => st.drawTimes.splice(0),
      noteRect: (id) => {
        const n = st.notes.get(id);
        if (!n) return null;
        const g = geometry();
        const rect = canvasRef.current.getBoundingClientRect();
        return { x: rect.left + g.tickToX(n.start_tick), y: rect.top + g.pitchToY(n.pitch_midi), width: (n.duration_ticks * g.pxPerBeat) / TICKS_PER_QUARTER, height: g.keyHeightPx };
      },
      pointFor: (tick, pitch) => {
        const g = geometry();
        const rect = canvasRef.current.getBoundingClientRect();
        return { x: rect.left + g.tickToX(tick) + 1, y: rect.top + g.pitchToY(pitch) + g.keyHeightPx / 2 };
      },
    };
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      document.removeEventListener("keydown", onDocumentKey);
      window.removeEventListener("beforeunload", onBeforeUnload, { capture: true });
      window.removeEventListener("pagehide", onPageHide, { capture: true });
      document.removeEventListener("visibilitychange", onVisibility, { capture: true });
      document.removeEventListener("pointerdown", warmUp, { capture: true });
      document.removeEventListener("keydown", warmUp, { capture: true });
      canvas.removeEventListener("wheel", onWheel);
      transport().stop();
      if (st.schedulerId !== null) transport().clear(st.schedulerId);
      if (st.metronomeId !== null) transport().clear(st.metronomeId);
      if (st.loopListener !== null) transport().off("loop", st.loopListener);
      st.loopListener = null;
      if (st.audio) st.audio.dispose();
      if (st.grain) st.grain.dispose();
      clearTimeout(st.viewReportTimer);
      clearTimeout(st.savedTimer);
      st.grain = null;
      st.schedulerId = null;
      st.metronomeId = null;
      st.audio = null;
      st.audioUrl = "";
    };
  }, []);

  const swatch = (background, extra) => ({ display: "inline-block", width: 18, height: 10, borderRadius: 2, background, ...extra });
  // On a phone the legend keeps to one short line, so the roll keeps the screen.
  const compactLegend = Boolean(fillHeight);
  const legend = (
    <div data-testid="roll-legend" style={{ display: "flex", alignItems: "center", flexWrap: compactLegend ? "nowrap" : "wrap", gap: compactLegend ? 4 : 6, marginTop: compactLegend ? 4 : 6, fontSize: compactLegend ? 11 : 12, whiteSpace: "nowrap", overflow: "hidden", color: "var(--gray-11)" }}>
      <span>Velocity: soft</span>
      <span aria-hidden="true" style={swatch(`linear-gradient(to right, ${[1, 32, 64, 96, 127].map((v) => keys.VELOCITY_PALETTE[v]).join(", ")})`, { width: compactLegend ? 48 : 96 })} />
      <span>loud</span>
      <span aria-hidden="true" style={swatch(keys.SELECTED_FILL, { marginLeft: compactLegend ? 8 : 12, outline: "1px solid #0b0d12" })} />
      <span>selected</span>
      <span aria-hidden="true" style={swatch(keys.GRID_BACKGROUNDS[0], { marginLeft: compactLegend ? 8 : 12, border: `2px dashed ${CURSOR_COLOUR}` })} />
      <span>{compactLegend ? "cursor" : "keyboard cursor"}</span>
    </div>
  );
  return (
    <div style={fillHeight ? { width: "100%", height: "100%", display: "flex", flexDirection: "column" } : { width: "100%" }}>
      <div
        ref={containerRef}
        tabIndex={0}
        role="application"
        aria-label={readOnly ? "Piano roll, read-only: press Space to play or pause" : "Piano roll: arrows move the cursor, Enter adds a note, Tab walks the notes, ? lists every key"}
        aria-describedby={readOnly ? undefined : "piano-roll-status"}
        data-testid="piano-roll"
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={onBlur}
        style={{ width: "100%", height: fillHeight ? undefined : `${heightPx}px`, flex: fillHeight ? "1 1 0" : undefined, minHeight: 0, outline: "none", outlineOffset: 2, borderRadius: 8, overflow: "hidden", border: "1px solid var(--gray-a6)", position: "relative" }}
      >
        <canvas
          ref={canvasRef}
          onPointerDown={(e) => (e.pointerType === "touch" ? onTouchPointer(e) : onPointerDown(e))}
          onPointerMove={(e) => (e.pointerType === "touch" ? onTouchPointer(e) : onPointerMove(e))}
          onPointerUp={(e) => (e.pointerType === "touch" ? onTouchPointer(e) : onPointerUp(e))}
          onPointerCancel={(e) => (e.pointerType === "touch" ? onTouchPointer(e) : onPointerUp(e))}
          onContextMenu={(e) => st.touch.phase !== "idle" && e.preventDefault()}
          style={{ width: "100%", height: "100%", display: "block", touchAction: readOnly ? "auto" : "none" }}
        />
        {readOnly ? null : (
          // The pedal lane for the keyboard and screen readers: the canvas draws it, pointers
          // pass through to the canvas, and focus shows a ring around the strip.
          <div
            ref={pedalLaneRef}
            tabIndex={0}
            role="group"
            aria-label={pedal.laneLabel(st.pedals.length)}
            data-testid="pedal-lane"
            onKeyDown={onPedalLaneKey}
            onFocus={(e) => {
              e.stopPropagation();
              e.currentTarget.style.outline = FOCUS_RING;
              refreshPedalLabel();
            }}
            onBlur={(e) => {
              e.stopPropagation();
              e.currentTarget.style.outline = "none";
            }}
            style={{ position: "absolute", left: 0, right: SCROLLBAR_PX, bottom: SCROLLBAR_PX + VELOCITY_LANE_HEIGHT_PX, height: pedal.PEDAL_LANE_HEIGHT_PX, pointerEvents: "none", outline: "none", outlineOffset: -3 }}
          />
        )}
        {actionMenu && (
          <div role="menu" aria-label="Selection actions" data-testid="roll-actions" onKeyDown={onActionMenuKey} style={{ position: "absolute", left: actionMenu.x, top: actionMenu.y, display: "flex", flexDirection: "column", minWidth: 132, padding: 4, borderRadius: 8, background: "var(--color-panel-solid)", border: "1px solid var(--gray-a6)", boxShadow: "0 6px 20px rgba(0, 0, 0, 0.35)" }}>
            {CONTEXT_ACTIONS.map((action) => (
              <button key={action.id} type="button" role="menuitem" data-action={action.id} onClick={() => runAction(action)} style={{ minHeight: 36, padding: "0 12px", textAlign: "left", border: 0, borderRadius: 6, background: "transparent", color: "var(--gray-12)", font: "inherit", fontSize: 14 }}>
                {action.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <div id="piano-roll-status" ref={statusRef} style={VISUALLY_HIDDEN} data-testid="roll-status" />
      <div ref={announcerRef} aria-live="polite" aria-atomic="false" aria-relevant="additions" style={VISUALLY_HIDDEN} data-testid="roll-announcements" />
      {readOnly ? null : legend}
    </div>
  );
}

// The piano-roll canvas and Tone.js playback. Everything per-frame (drag, hover, playhead,
// sounding keys) lives here; Python receives coarse commits (onCommit, onCommand, onSelect).
import React, { useEffect, useRef, useState } from "react";
import { CONTEXT_ACTIONS, createTouchGestures, pxPerBeatShowingBars, shortcutEvent } from "./touch_gestures.js";
import * as Tone from "tone";
import * as keys from "./roll_keys.js";
import * as pedal from "./pedal_lane.js";
import { noteNamer } from "./note_names.js";
import { createGrandPiano } from "./grand_piano.js";
import {
  CLOCK_TICKS_PER_SECOND,
  TICKS_PER_QUARTER,
  barLinesBetween,
  barStartTick,
  beatsBetween,
  clockTicksAt,
  nearestBeatTick,
  parseTempoMap,
  parseTimeSignatureMap,
  secondsToTick,
  snap,
  tickAtClock,
  tickToSeconds,
} from "./timing.js";
import {
  HIGHEST_PITCH,
  KEYBOARD_WIDTH_PX,
  LOWEST_PITCH,
  MAX_KEY_HEIGHT_PX,
  MAX_PX_PER_BEAT,
  MIN_KEY_HEIGHT_PX,
  MIN_PX_PER_BEAT,
  RULER_HEIGHT_PX,
  SCROLLBAR_PX,
  VELOCITY_LANE_HEIGHT_PX,
  clamp,
  fittedView,
  gridWidthPx,
  maxScrollYPx as maxScrollYPxOf,
  rollLayout,
  ticksToPx as ticksToPxAt,
  viewMapping,
  zoomedX,
  zoomedY,
} from "./geometry.js";
import { drawScrollbars, horizontalScrollbar, scrollForThumbDrag, scrollbarAt as scrollbarUnder, startThumbDrag, thumbCentre, verticalScrollbar } from "./scrollbars.js";
import * as velocityLane from "./velocity_lane.js";
import * as noteDrags from "./note_drags.js";

// The Transport runs a fixed clock, not the piece's tempo: 480 pulses per quarter at 125 BPM
// is 1000 pulses a second, so a Transport tick is one millisecond of the piece, and the tempo
// map (tickToSeconds) turns note ticks into those milliseconds.
const CLOCK_BPM = 125;
const SCHEDULE_WINDOW_MS = 50;
const LOOP_EDGE_PX = 6;
const BLACK = new Set([1, 3, 6, 8, 10]);
// Rows at least this tall name every keyboard key; shorter ones name only the Cs.
const KEY_NAMES_FROM_PX = 14;

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

let localIdCounter = 0;
const newLocalId = () => `c${Date.now().toString(36)}${(localIdCounter++).toString(36)}`;

// The grand piano (grand_piano.js) plays the notes; the synth stands in for any note whose
// samples have not arrived yet, so the first Space sounds at once even on a cold cache.
// ``onStatus`` hears "samples" / "synth" and ``onPiano`` every change of the piano's state.
// ``lazySamples`` fetches no sample before the first note (the landing demo, which may only
// ever play its recording).
function createPlayer(sampleBaseUrl, onStatus, onPiano, lazySamples) {
  const output = new Tone.Volume(0).toDestination();
  const synth = new Tone.PolySynth(Tone.Synth, { envelope: { attack: 0.005, release: 0.6 } }).connect(output);
  synth.maxPolyphony = 64;
  const player = { output, synth, piano: null, click: null };
  try {
    player.piano = createGrandPiano(Tone, {
      baseUrl: sampleBaseUrl,
      output,
      fallback: synth,
      lazy: lazySamples,
      onChange: (state) => {
        if (state.status !== "loading") onStatus(state.status);
        onPiano(state);
      },
    });
  } catch (e) {
    onStatus("synth"); // playback never depends on samples loading
  }
  player.click = new Tone.MembraneSynth({ octaves: 2, envelope: { attack: 0.001, decay: 0.08, sustain: 0 } }).connect(output);
  player.click.volume.value = -10;
  // Play MIDI ``pitch`` at audio time ``time`` for ``durationS`` (key and pedal up) at ``velocity`` (1-127).
  player.play = (pitch, durationS, time, velocity) => {
    if (player.piano) player.piano.triggerAttackRelease(pitch, durationS, time, velocity);
    else synth.triggerAttackRelease(Tone.Frequency(pitch, "midi").toFrequency(), durationS, time, velocity / 127);
  };
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
    keyName = "C major",
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
  // Keyboard keys, note labels and announcements spell notes for the piece's key.
  const noteName = (pitch) => noteNamer(st.props.keyName)(pitch);
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
  // The converters for the view as it is now (geometry.js).
  const geometry = () => viewMapping(st.view);
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
  // What is heard, on the roll for tests and the curious: data-piano-voice ("grand" or
  // "synth", the last note started), data-piano-notes ("12 grand, 3 synth" since the page
  // loaded) and data-piano-samples ("loaded/total").
  const showPianoState = (piano) => {
    const el = containerRef.current;
    if (!el) return;
    if (piano.voice) el.dataset.pianoVoice = piano.voice;
    el.dataset.pianoNotes = `${piano.notes.grand} grand, ${piano.notes.synth} synth`;
    el.dataset.pianoSamples = `${piano.samplesLoaded}/${piano.samplesTotal}`;
  };
  const ensurePlayer = () => {
    if (!st.player) {
      // Tone's default 100 ms look-ahead is tuned for busy pages; 50 ms halves the delay
      // between Space and sound while leaving room for main-thread hiccups.
      Tone.getContext().lookAhead = 0.05;
      st.player = createPlayer(
        st.props.sampleBaseUrl || "/piano/",
        (status) => {
          st.instrument = status;
        },
        (piano) => showPianoState(piano),
        !!st.props.readOnly,
      );
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
      st.player.play(n.pitch_midi, releaseSeconds - startSeconds, at, n.velocity);
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
      ensurePlayer().play(pitch, 0.3, Tone.now(), velocity || 90);
    });
  };
  const zoomBy = (factor, anchorX) => {
    Object.assign(st.view, zoomedX(st.view, factor, anchorX));
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
    const region = loopRegion();
    const span = { endTick: region.enabled ? region.end : 0, lowPitch: HIGHEST_PITCH, highPitch: LOWEST_PITCH };
    st.notes.forEach((note) => {
      span.endTick = Math.max(span.endTick, note.start_tick + note.duration_ticks);
      span.lowPitch = Math.min(span.lowPitch, note.pitch_midi);
      span.highPitch = Math.max(span.highPitch, note.pitch_midi);
    });
    const fitted = fittedView(layout(), span);
    if (!fitted) return; // not laid out yet: the resize will call again
    Object.assign(st.view, fitted);
    st.dirty = true;
  };

  // ---------------------------------------------------------------- layout
  // Where the grid, lanes and scrollbars are on the canvas now (geometry.js). Everything
  // below reads this instead of the raw canvas size.
  const layout = () => {
    const canvas = canvasRef.current;
    return rollLayout(canvas ? canvas.clientWidth : 0, canvas ? canvas.clientHeight : 0, !!st.props.readOnly);
  };
  const maxScrollYPx = () => maxScrollYPxOf(st.view, layout());
  const ticksToPx = (ticks) => ticksToPxAt(st.view, ticks);
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
  // The bars themselves live in scrollbars.js.
  const scrollbarAt = (x, y) => scrollbarUnder(layout(), st.view, contentEndTick(), x, y);
  const dragScrollbar = (drag, x, y) => {
    const scroll = scrollForThumbDrag(drag, x, y);
    if (drag.bar.axis === "x") st.view.scrollXPx = scroll;
    else st.view.scrollYPx = clamp(scroll, 0, maxScrollYPx());
  };
  const zoomYBy = (factor, anchorY) => {
    Object.assign(st.view, zoomedY(st.view, factor, anchorY, layout()));
    reportView();
    st.dirty = true;
  };
  // Home and End move the playhead (and the view) to the start or the end of the music.
  const jumpTo = (tick) => {
    seek(tick);
    const viewPx = gridWidthPx(layout());
    st.view.scrollXPx = Math.max(0, ticksToPx(tick) - (tick > 0 ? viewPx * 0.75 : 0));
    st.dirty = true;
  };

  // ---------------------------------------------------------------- velocity lane
  // The rules and drawing live in velocity_lane.js; a finished drag is one commit.
  // Dragging a selected note's bar sets the whole selection; otherwise the drag paints
  // every bar it crosses.
  const startLaneDrag = (x, y) => {
    st.drag = { kind: "velocity", ...velocityLane.startVelocityDrag(st.notes, st.selected, st.view, layout(), x, y) };
  };
  const moveLaneDrag = (drag, x, y) => velocityLane.moveVelocityDrag(drag, st.notes, st.selected, st.view, layout(), x, y);
  const endLaneDrag = (drag) => commit(velocityLane.changedVelocityIds(drag, st.notes).map((id) => rowOf(id, st.notes.get(id))), []);

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
    const bar = scrollbarAt(x, y);
    if (bar) {
      // A click on the track jumps there, keeping the thumb centred under the pointer.
      st.drag = { kind: "scrollbar", ...startThumbDrag(bar, x, y) };
      dragScrollbar(st.drag, x, y);
      return true;
    }
    if (x >= L.gridRight || y >= L.laneBottom) return true;
    if (y >= L.pedalTop && y < L.laneTop) {
      if (x > KEYBOARD_WIDTH_PX) startPedalDrag(x);
      return true;
    }
    if (y >= L.laneTop) {
      if (x > KEYBOARD_WIDTH_PX) startLaneDrag(x, y);
      return true;
    }
    if (y < RULER_HEIGHT_PX && x > KEYBOARD_WIDTH_PX) return startLoopDrag(x, e.shiftKey);
    return false;
  };
  const chromePointerMove = (drag, x, y) => {
    if (drag.kind === "scrollbar") dragScrollbar(drag, x, y);
    else if (drag.kind === "velocity") moveLaneDrag(drag, x, y);
    else if (drag.kind === "pedal") movePedalDrag(drag, x);
    else if (drag.kind === "loop") moveLoopDrag(drag, x);
    else return false;
    st.dirty = true;
    return true;
  };
  const chromePointerUp = (drag) => {
    if (drag.kind === "velocity") endLaneDrag(drag);
    else if (drag.kind === "pedal") endPedalDrag(drag);
    else if (drag.kind === "loop") endLoopDrag(drag);
    else return drag.kind === "scrollbar";
    return true;
  };
  const chromeCursor = (x, y) => {
    const L = layout();
    if (scrollbarAt(x, y)) return "default";
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
  // {id, note, nearEnd} under the pointer, or null (note_drags.js).
  const noteAt = (x, y) => noteDrags.noteAt(st.notes, st.view, x, y);

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
      st.cursor = { tick: hit.note.start_tick, pitch: hit.note.pitch_midi, onNote: true };
      const origins = new Map();
      st.selected.forEach((id) => origins.set(id, { ...st.notes.get(id) }));
      st.drag = { kind: hit.nearEnd ? "resize" : "move", anchorId: hit.id, startTick: tick, startPitch: pitch, origins, moved: false, created: false };
      previewPitch(hit.note.pitch_midi, hit.note.velocity);
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
    const drag = st.drag;
    const g = geometry();
    if (drag && chromePointerMove(drag, x, y)) return;
    if (!drag) {
      const cursor = chromeCursor(x, y);
      if (cursor) {
        canvasRef.current.style.cursor = cursor;
        return;
      }
      const hit = x > KEYBOARD_WIDTH_PX && y > RULER_HEIGHT_PX ? noteAt(x, y) : null;
      canvasRef.current.style.cursor = hit ? (hit.nearEnd ? "ew-resize" : "move") : st.tool === "draw" ? "crosshair" : "default";
      return;
    }
    if (drag.kind === "seek") {
      seek(g.xToTick(x));
      return;
    }
    if (drag.kind === "band") {
      drag.x1 = x;
      drag.y1 = y;
      st.selected = noteDrags.bandSelection(st.notes, st.view, drag, drag.base);
      st.dirty = true;
      return;
    }
    const tick = g.xToTick(x);
    const anchor = drag.origins.get(drag.anchorId);
    const step = stepTicks();
    if (drag.kind === "move") {
      const { deltaTicks, deltaPitch } = noteDrags.moveOffsets(drag.origins, anchor, drag.startTick, drag.startPitch, tick, g.yToPitch(y), step);
      if (deltaPitch !== drag.lastDeltaPitch && deltaPitch !== 0) previewPitch(anchor.pitch_midi + deltaPitch, anchor.velocity);
      drag.lastDeltaPitch = deltaPitch;
      drag.origins.forEach((origin, id) => st.notes.set(id, { ...origin, start_tick: origin.start_tick + deltaTicks, pitch_midi: origin.pitch_midi + deltaPitch }));
      drag.moved = drag.moved || deltaTicks !== 0 || deltaPitch !== 0;
    } else {
      const deltaTicks = noteDrags.resizeDeltaTicks(anchor, tick, step);
      drag.origins.forEach((origin, id) => st.notes.set(id, noteDrags.resizedNote(origin, deltaTicks, step)));
      drag.moved = true;
    }
    st.dirty = true;
  };
  const onPointerUp = () => {
    const drag = st.drag;
    st.drag = null;
    if (st.previewKey !== null) {
      st.previewKey = null;
      st.dirty = true;
    }
    if (!drag) return;
    if (chromePointerUp(drag)) {
      st.dirty = true;
      return;
    }
    if (drag.kind === "band") {
      publishSelection();
    } else if (drag.kind === "move" || drag.kind === "resize") {
      const upserts = noteDrags.changedNoteIds(drag.origins, st.notes, drag.created).map((id) => rowOf(id, st.notes.get(id)));
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
    setActionMenu({ x: Math.max(0, Math.min(x, L.widthPx - 140)), y: Math.max(0, Math.min(y, L.heightPx - 40 * CONTEXT_ACTIONS.length)) });
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
    if (statusRef.current && !st.props.readOnly) statusRef.current.textContent = keys.statusText(st.notes, cursor(), st.selected.size, meterMap(), noteName);
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
      announce(`${keys.cursorText(st.notes, next, meterMap(), noteName)}. ${keys.selectionText(st.selected.size)}`);
    } else {
      st.extend = null;
      st.cursor = next;
      announce(keys.cursorText(st.notes, next, meterMap(), noteName));
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
    announce(keys.addedText(n, meterMap(), noteName));
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
    announce(`${keys.describeNote(n, meterMap(), noteName)}. Selected`);
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
      // Tall rows name every key as the piece's key spells it; short ones mark each C4-style
      // octave (C is C in every key's landmark, even where the key writes B♯).
      if (kh >= KEY_NAMES_FROM_PX) {
        ctx.fillStyle = BLACK.has(p % 12) ? "#eee" : "#333";
        ctx.fillText(noteName(p), 30, y + kh / 2);
      } else if (p % 12 === 0 && kh >= 8) {
        ctx.fillStyle = "#333";
        ctx.fillText(keys.noteName(p), 30, y + kh / 2);
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
    const staticKey = [pw, ph, dpr, v.scrollXPx, v.scrollYPx, v.pxPerBeat, v.keyHeightPx, P.snapTicks, P.beatsPerBar, P.beatUnit, P.timeSignatureMapJson, region.enabled, region.start, region.end, P.keyName].join("|");
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
      ctx.fillStyle = velocityLane.velocityColour(n.velocity, selected);
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
      pedal.drawPedalLane(ctx, { spans: st.pedals, selectedIndex: st.pedalSelected, top: L.pedalTop, width: L.widthPx, left: KEYBOARD_WIDTH_PX, right: L.gridRight, tickToX: g.tickToX });
      velocityLane.drawVelocityLane(ctx, L, st.view, st.notes, st.selected);
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
      drawScrollbars(ctx, L, st.view, contentEndTick(), st.drag && st.drag.kind === "scrollbar" ? st.drag.bar.axis : null);
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
    // Another key: the keyboard, the labels and the description name notes anew.
    updateStatus();
    st.dirty = true;
  }, [keyName]);

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
    // Tone's clock ticks from a Worker, which can take half a second to start on a busy
    // machine: a play before its first tick starts that late. Counted for window.__keycraft.
    const onClockTick = () => (st.clockTicks = (st.clockTicks || 0) + 1);
    Tone.getContext().on("tick", onClockTick);
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
      get clockTicks() {
        return st.clockTicks || 0;
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
        const rect = canvasRef.current.getBoundingClientRect();
        return { x: rect.left + geometry().tickToX(tick) + 1, y: rect.top + velocityLane.yForVelocity(layout(), velocity) };
      },
      thumb: (axis) => {
        const L = layout();
        const rect = canvasRef.current.getBoundingClientRect();
        const centre = thumbCentre(L, axis === "x" ? horizontalScrollbar(L, st.view, contentEndTick()) : verticalScrollbar(L, st.view));
        return { x: rect.left + centre.x, y: rect.top + centre.y };
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
      Tone.getContext().off("tick", onClockTick);
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

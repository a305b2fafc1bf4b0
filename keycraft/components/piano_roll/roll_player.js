// The roll's sound: Tone.js instruments, the Transport and its look-ahead scheduler, the
// metronome, loop playback, the recording in sync (stretched at practice speed) and
// MIDI-keyboard takes. What to schedule is decided in playback_schedule.js; this module only
// talks to Tone. ``createRollPlayer(roll)`` returns the functions the roll calls.
import * as Tone from "tone";
import { createGrandPiano } from "./grand_piano.js";
import { CLOCK_TICKS_PER_SECOND, TICKS_PER_QUARTER, clockTicksAt, parseTempoMap, secondsToTick, tickToSeconds } from "./timing.js";
import { CLOCK_BPM, SCHEDULE_WINDOW_MS, clicksToSchedule, countIn, headGap, notesToSchedule, sortedByStart, windowAtClock, wrappedClockTicks } from "./playback_schedule.js";
import { playStartTick, windowEndInLoop } from "./loop_region.js";
import { heardSpeed, noteOfRow } from "./roll_state.js";

// Scheduled releases and clicks kept for window.__keycraft.
const MEASUREMENTS_KEPT = 5000;

// The grand piano (grand_piano.js) plays the notes; the synth stands in for any note whose
// samples have not arrived yet, so the first Space sounds at once even on a cold cache.
// ``onStatus`` hears "samples" / "synth" and ``onPiano`` every change of the piano's state.
// ``lazySamples`` fetches no sample before the first note (the landing demo, which may only
// ever play its recording).
function createInstruments(sampleBaseUrl, onStatus, onPiano, lazySamples) {
  const output = new Tone.Volume(0).toDestination();
  const synth = new Tone.PolySynth(Tone.Synth, { envelope: { attack: 0.005, release: 0.6 } }).connect(output);
  synth.maxPolyphony = 64;
  const instruments = { output, synth, piano: null, click: null };
  try {
    instruments.piano = createGrandPiano(Tone, {
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
  instruments.click = new Tone.MembraneSynth({ octaves: 2, envelope: { attack: 0.001, decay: 0.08, sustain: 0 } }).connect(output);
  instruments.click.volume.value = -10;
  // Play MIDI ``pitch`` at audio time ``time`` for ``durationS`` (key and pedal up) at ``velocity`` (1-127).
  instruments.play = (pitch, durationS, time, velocity) => {
    if (instruments.piano) instruments.piano.triggerAttackRelease(pitch, durationS, time, velocity);
    else synth.triggerAttackRelease(Tone.Frequency(pitch, "midi").toFrequency(), durationS, time, velocity / 127);
  };
  return instruments;
}

export const transport = () => Tone.getTransport();

export function createRollPlayer(roll) {
  const { playback, score, selection, frame } = roll;
  const tempoMap = () => roll.viewControl.tempoMap();
  const loopRegion = () => roll.viewControl.loopRegion();

  // What is heard, on the roll for tests and the curious: data-piano-voice ("grand" or
  // "synth", the last note started), data-piano-notes ("12 grand, 3 synth" since the page
  // loaded) and data-piano-samples ("loaded/total").
  const showPianoState = (piano) => {
    const el = roll.dom.container.current;
    if (!el) return;
    if (piano.voice) el.dataset.pianoVoice = piano.voice;
    el.dataset.pianoNotes = `${piano.notes.grand} grand, ${piano.notes.synth} synth`;
    el.dataset.pianoSamples = `${piano.samplesLoaded}/${piano.samplesTotal}`;
  };
  const ensureInstruments = () => {
    if (!playback.instruments) {
      // Tone's default 100 ms look-ahead is tuned for busy pages; 50 ms halves the delay
      // between Space and sound while leaving room for main-thread hiccups.
      Tone.getContext().lookAhead = 0.05;
      playback.instruments = createInstruments(
        roll.props.sampleBaseUrl || "/piano/",
        (status) => (playback.instrumentStatus = status),
        showPianoState,
        !!roll.props.readOnly,
      );
    }
    return playback.instruments;
  };
  // Notes sorted by start, rebuilt lazily after edits; the scheduler binary-searches it.
  const sortedNotes = () => {
    if (playback.notesChanged || !playback.sortedNotes) {
      playback.sortedNotes = sortedByStart(score.notes);
      playback.notesChanged = false;
    }
    return playback.sortedNotes;
  };
  // Schedule the notes starting in [fromTick, toTick) against audio time ``time``, the moment
  // the piece is ``fromSeconds`` in.
  const scheduleNotes = (fromTick, toTick, time, fromSeconds) => {
    if (roll.props.midiMuted || !playback.instruments) return;
    const endTick = windowEndInLoop(fromTick, toTick, loopRegion(), !!playback.take);
    notesToSchedule(sortedNotes(), fromTick, endTick, time, fromSeconds, tempoMap(), score.pedals).forEach((event) => {
      const note = event.note;
      if (playback.firstSoundMs === null && playback.pressTime) {
        // When this note will be heard: now plus how far ahead it is scheduled.
        playback.firstSoundMs = performance.now() - playback.pressTime + Math.max(0, event.atS - Tone.immediate()) * 1000;
      }
      if (playback.releases.length < MEASUREMENTS_KEPT) playback.releases.push({ pitch_midi: note.pitch_midi, start_tick: note.start_tick, release_tick: event.releaseTick, release_s: event.releaseS });
      playback.instruments.play(note.pitch_midi, event.durationS, event.atS, note.velocity);
    });
  };
  // Clicks on the beats of the signature in force, with the metronome on or during a take.
  const scheduleClicks = (fromTick, toTick, time, fromSeconds) => {
    if (!(roll.props.metronome || playback.take) || !playback.instruments) return;
    const endTick = windowEndInLoop(fromTick, toTick, loopRegion(), !!playback.take);
    clicksToSchedule(roll.viewControl.meterMap(), fromTick, endTick, time, fromSeconds, tempoMap()).forEach((click) => {
      if (playback.clickTicks.length < MEASUREMENTS_KEPT) playback.clickTicks.push(click.tick);
      playback.instruments.click.triggerAttackRelease(click.downbeat ? "C6" : "G5", "32n", click.atS);
    });
  };
  // The window of the piece the Transport reaches at audio time ``time`` (a window boundary).
  const scheduleWindowAt = (time, schedule) => {
    const window = windowAtClock(Math.round(transport().getTicksAtTime(time)), tempoMap());
    schedule(window.fromTick, window.toTick, time, window.fromSeconds);
  };
  // The part of a window before the next boundary, from ``tick`` (a play or a loop start).
  const scheduleHeadGap = (tick, time, schedule) => {
    const gap = headGap(tick, tempoMap());
    if (gap) schedule(gap.fromTick, gap.toTick, time, gap.fromSeconds);
  };
  const ensureScheduler = () => {
    const t = transport();
    if (playback.schedulerId === null) {
      playback.schedulerId = t.scheduleRepeat((time) => scheduleWindowAt(time, scheduleNotes), `${SCHEDULE_WINDOW_MS}i`, 0);
    }
    if (playback.loopListener === null) {
      // A loop jumps back to a point between window boundaries: cover the gap to the next.
      playback.loopListener = (time) => {
        scheduleHeadGap(loopRegion().start, time, scheduleNotes);
        scheduleHeadGap(loopRegion().start, time, scheduleClicks);
      };
      t.on("loop", playback.loopListener);
    }
  };
  const scheduleMetronome = () => {
    const t = transport();
    if (playback.metronomeId !== null) {
      t.clear(playback.metronomeId);
      playback.metronomeId = null;
    }
    ensureInstruments();
    // Clicks ride the same windows as the notes.
    playback.metronomeId = t.scheduleRepeat((time) => scheduleWindowAt(time, scheduleClicks), `${SCHEDULE_WINDOW_MS}i`, 0);
  };
  // The first gesture unlocks audio and starts loading samples, so Space plays at once.
  // A read-only roll (the landing demo) loads nothing until its own play is pressed.
  const warmUp = () => {
    if (playback.warm || roll.props.readOnly) return;
    playback.warm = true;
    Tone.start().then(() => ensureInstruments());
  };
  // The Transport's position in clock ticks, never past the loop's end.
  const clockNow = () => {
    const t = transport();
    return wrappedClockTicks(t.ticks, t.loop, playback.loopClockTicks);
  };
  const applyTransportSettings = () => {
    const t = transport();
    t.PPQ = TICKS_PER_QUARTER;
    t.bpm.value = CLOCK_BPM;
    t.timeSignature = [roll.props.beatsPerBar || 4, roll.props.beatUnit || 4];
    const tempo = tempoMap();
    if (playback.clockMap && playback.clockMap !== tempo && t.state === "started") {
      // A new tempo or speed while playing: carry on from the same tick, now at its new time.
      playback.playheadTick = secondsToTick(clockNow() / CLOCK_TICKS_PER_SECOND, playback.clockMap);
      t.ticks = clockTicksAt(playback.playheadTick, tempo);
    }
    // The map the Transport's position is read in (the frame loop reads the playhead with it).
    playback.clockMap = tempo;
    const region = loopRegion();
    t.loop = region.enabled && !playback.take;
    if (region.end > region.start) {
      playback.loopClockTicks = [clockTicksAt(region.start, tempo), clockTicksAt(region.end, tempo)];
      t.loopStart = `${playback.loopClockTicks[0]}i`;
      t.loopEnd = `${playback.loopClockTicks[1]}i`;
    }
    if (playback.instruments) playback.instruments.output.volume.value = roll.props.volumeDb;
  };
  // The recording rides the Transport. At full speed a plain Player plays it untouched; slower,
  // a GrainPlayer on the same buffer stretches it without changing its pitch. Both stay synced
  // and only the one in use is heard, so changing speed never reloads anything.
  const syncAudio = () => {
    const url = roll.props.audioUrl || "";
    // Read-only: the recording is fetched by the first play, not when the page loads.
    if (url === playback.audioUrl || (roll.props.readOnly && !playback.instruments)) return;
    playback.audioUrl = url;
    if (playback.audio) {
      playback.audio.unsync().dispose();
      playback.audio = null;
    }
    if (playback.grain) {
      playback.grain.unsync().dispose();
      playback.grain = null;
    }
    if (url) {
      const instruments = ensureInstruments();
      playback.audio = new Tone.Player({ url, onerror: () => (playback.audio = null) }).connect(instruments.output);
      playback.audio.sync().start(0);
    }
    applySpeed();
  };
  const applySpeed = () => {
    const speed = heardSpeed(roll.props);
    const muted = !!roll.props.audioMuted;
    if (playback.audio && !playback.grain && speed < 1 && playback.audio.loaded) {
      const grain = new Tone.GrainPlayer({ url: playback.audio.buffer, grainSize: 0.1, overlap: 0.05 }).connect(playback.instruments.output);
      playback.grain = grain;
      // Transport seconds are heard seconds, so the recording must start ``elapsed × speed`` in.
      // GrainPlayer counts a start offset in grains of grainSize / playbackRate and so plays
      // from ``offset × playbackRate``: hand it the position divided by the rate. (Measured:
      // passing the position itself started a 50 % recording 1 s late after a seek to 2 s.)
      grain._getSyncedStartOffset = (offset, elapsed) => (offset + elapsed * grain.playbackRate) / grain.playbackRate;
      grain.sync().start(0);
    }
    if (playback.grain) {
      playback.grain.playbackRate = speed;
      playback.grain.mute = muted || speed >= 1;
    }
    if (playback.audio) playback.audio.mute = muted || (speed < 1 && !!playback.grain);
  };
  // Where the recording is now, in its own seconds, and which player is heard.
  const recordingState = () => {
    const { audio, grain } = playback;
    const active = heardSpeed(roll.props) < 1 ? grain : audio;
    if (!active || transport().state !== "started") return { engine: active === grain && active ? "grain" : active ? "player" : "none", rate: active ? active.playbackRate : null, seconds: null, driftMs: null };
    const now = Tone.now();
    const engine = active === grain ? "grain" : "player";
    // Until the synced start it schedules has come, the recording has no position.
    const started = active === grain ? active._clock.getStateAtTime(now) === "started" : active.state === "started";
    if (!started) return { engine, rate: active.playbackRate, seconds: null, driftMs: null };
    const heardSeconds = transport().getTicksAtTime(now) / CLOCK_TICKS_PER_SECOND;
    // A grain plays from ``clock ticks × grainSize``; a Player reports its own progress.
    const seconds = active === grain ? active._clock.getTicksAtTime(now) * active.grainSize : active._getProgressAtTime(now);
    // The notes are at piece time ``heard × speed`` (the tempo map is scaled by the speed).
    const pieceSeconds = tickToSeconds(secondsToTick(heardSeconds, tempoMap()), parseTempoMap(roll.props.tempoMapJson, roll.props.tempoBpm));
    return { engine, rate: active.playbackRate, seconds, driftMs: (seconds - pieceSeconds) * 1000 };
  };
  const clearHeadEvent = () => {
    if (playback.headEventId !== null) {
      transport().clear(playback.headEventId);
      playback.headEventId = null;
    }
  };
  // Start the Transport at ``when`` (audio time, or "+s") playing from ``from`` (ticks).
  const startTransport = (from, when) => {
    const t = transport();
    const fromMs = clockTicksAt(from, tempoMap());
    t.ticks = fromMs;
    // The repeating window fires on multiples of its length; cover the gap before the first.
    clearHeadEvent();
    if (fromMs % SCHEDULE_WINDOW_MS !== 0) {
      playback.headEventId = t.scheduleOnce((time) => {
        playback.headEventId = null;
        scheduleHeadGap(from, time, scheduleNotes);
        scheduleHeadGap(from, time, scheduleClicks);
      }, `${fromMs}i`);
    }
    t.start(when);
  };
  const play = async () => {
    // Called synchronously from the key or click handler, so this is the press time.
    playback.pressTime = performance.now();
    playback.firstSoundMs = null;
    await Tone.start();
    ensureInstruments();
    applyTransportSettings();
    syncAudio();
    // A recording still downloading would start late (or not at all): wait for it.
    if (playback.audio && !playback.audio.loaded) await Tone.loaded().catch(() => null);
    applySpeed();
    ensureScheduler();
    if (playback.metronomeId === null) scheduleMetronome();
    playback.playheadTick = playStartTick(playback.playheadTick, loopRegion());
    startTransport(Math.round(playback.playheadTick), "+0.02");
    playback.playLatencyMs = performance.now() - playback.pressTime;
    frame.dirty = true;
  };
  const pause = () => {
    clearHeadEvent();
    transport().pause();
    frame.dirty = true;
  };
  const stop = () => {
    clearHeadEvent();
    transport().stop();
    playback.playheadTick = loopRegion().enabled ? loopRegion().start : 0;
    frame.dirty = true;
  };
  const isPlaying = () => transport().state === "started";
  // The playhead where the Transport is now (the frame loop calls it while playing).
  const readPlayhead = () => {
    playback.playheadTick = secondsToTick(clockNow() / CLOCK_TICKS_PER_SECOND, playback.clockMap || tempoMap());
  };
  const togglePlay = () => (isPlaying() ? pause() : play());
  const seek = (tick) => {
    playback.playheadTick = Math.max(0, Math.round(tick));
    if (isPlaying()) transport().ticks = clockTicksAt(playback.playheadTick, tempoMap());
    frame.dirty = true;
  };
  const previewPitch = (pitch, velocity) => {
    if (roll.props.midiMuted) return;
    Tone.start().then(() => {
      ensureInstruments().play(pitch, 0.3, Tone.now(), velocity || 90);
    });
  };
  // The performance.now() time at which audio scheduled for ``audioTime`` is heard.
  const heardAtMs = (audioTime) => {
    const raw = Tone.getContext().rawContext;
    const stamp = typeof raw.getOutputTimestamp === "function" ? raw.getOutputTimestamp() : null;
    if (stamp && stamp.performanceTime) return stamp.performanceTime + (audioTime - stamp.contextTime) * 1000;
    return performance.now() + (audioTime - raw.currentTime) * 1000;
  };
  // A MIDI-keyboard take: one bar of count-in clicks (the metre at the playhead), then the
  // Transport plays from the playhead with the metronome on and the loop off. Returns the
  // take's clock: when its first tick is heard (performance.now() time, as MIDI events are
  // stamped) and how milliseconds after that map to ticks at the tempo map.
  const startTake = async () => {
    if (roll.props.readOnly) return null;
    await Tone.start();
    ensureInstruments();
    if (isPlaying()) pause();
    playback.take = { startedAt: performance.now() };
    applyTransportSettings();
    syncAudio();
    ensureScheduler();
    if (playback.metronomeId === null) scheduleMetronome();
    const tempo = tempoMap();
    const from = Math.round(playback.playheadTick);
    const count = countIn(roll.viewControl.meterMap(), tempo, from);
    const firstClick = Tone.immediate() + 0.1;
    for (let i = 0; i < count.beats; i++) {
      playback.instruments.click.triggerAttackRelease(i === 0 ? "C6" : "G5", "32n", firstClick + i * count.beatSeconds);
    }
    const startAt = firstClick + count.beats * count.beatSeconds;
    startTransport(from, startAt);
    frame.dirty = true;
    return {
      fromTick: from,
      startMs: heardAtMs(startAt),
      countInBeats: count.beats,
      beatMs: count.beatSeconds * 1000,
      tickAtMs: (ms) => secondsToTick(count.fromSeconds + ms / 1000, tempo),
    };
  };
  // Stop the take where it got to and add its notes (rows without ids) as one commit: one
  // step to undo. Returns how many notes were added.
  const endTake = (rows) => {
    if (!playback.take) return 0;
    playback.take = null;
    pause();
    applyTransportSettings();
    const upserts = [];
    const ids = new Set();
    (rows || []).forEach((row) => {
      const id = roll.edits.newLocalId();
      const note = noteOfRow(row);
      score.notes.set(id, note);
      ids.add(id);
      upserts.push(roll.edits.rowOf(id, note));
    });
    if (upserts.length) {
      selection.noteIds = ids;
      roll.edits.publishSelection();
      roll.edits.commit(upserts, []);
    }
    frame.dirty = true;
    return upserts.length;
  };
  // Everything the Transport and the recording hold, released when the roll unmounts.
  const dispose = () => {
    const t = transport();
    t.stop();
    if (playback.schedulerId !== null) t.clear(playback.schedulerId);
    if (playback.metronomeId !== null) t.clear(playback.metronomeId);
    if (playback.loopListener !== null) t.off("loop", playback.loopListener);
    playback.loopListener = null;
    if (playback.audio) playback.audio.dispose();
    if (playback.grain) playback.grain.dispose();
    playback.grain = null;
    playback.schedulerId = null;
    playback.metronomeId = null;
    playback.audio = null;
    playback.audioUrl = "";
  };
  // Tone's clock ticks from a Worker, which can take half a second to start on a busy
  // machine: a play before its first tick starts that late. Counted for window.__keycraft.
  const onClockTick = () => (playback.clockTicks += 1);
  const listenToClock = () => {
    Tone.getContext().on("tick", onClockTick);
    return () => Tone.getContext().off("tick", onClockTick);
  };

  return { applySpeed, applyTransportSettings, clockNow, dispose, endTake, isPlaying, listenToClock, pause, play, previewPitch, readPlayhead, recordingState, seek, startTake, stop, syncAudio, togglePlay, transportState: () => transport().state, warmUp };
}

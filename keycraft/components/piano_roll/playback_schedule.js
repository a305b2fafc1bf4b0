// What the player schedules, without Tone.js: the notes and metronome clicks of a window of
// the piece, when each sounds and for how long, and the Transport clock's windows. Notes are
// scheduled in short look-ahead windows rather than one Tone event per note, so starting
// playback of thousands of notes is instant. roll_player.js turns these into sound;
// playback_schedule.test.js runs them under `bun test`.
import { CLOCK_TICKS_PER_SECOND, beatsBetween, clockTicksAt, tickAtClock, tickToSeconds } from "./timing.js";
import { soundingEndTick } from "./pedal_lane.js";

// The Transport runs a fixed clock, not the piece's tempo: 480 pulses per quarter at 125 BPM
// is 1000 pulses a second, so a Transport tick is one millisecond of the piece.
export const CLOCK_BPM = 125;
// The scheduler's window in clock ticks (milliseconds of the piece).
export const SCHEDULE_WINDOW_MS = 50;

// ``notes`` (id -> note) sorted by start tick.
export const sortedByStart = (notes) => Array.from(notes.values()).sort((a, b) => a.start_tick - b.start_tick);

// The index of the first of ``sorted`` starting at or after ``tick``.
export function firstStartingAt(sorted, tick) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].start_tick < tick) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Each note of ``sorted`` starting in [fromTick, toTick) as {note, atS, durationS, releaseTick,
// releaseS}: ``atS`` is the audio time it starts, given that audio time ``time`` is the moment
// the piece is ``fromSeconds`` in. Held by a pedal span, a released key rings on until the
// pedal lifts: ``releaseTick`` is then the pedal's end.
export function notesToSchedule(sorted, fromTick, toTick, time, fromSeconds, tempoMap, pedals) {
  const events = [];
  for (let i = firstStartingAt(sorted, fromTick); i < sorted.length && sorted[i].start_tick < toTick; i++) {
    const note = sorted[i];
    const startS = tickToSeconds(note.start_tick, tempoMap);
    const releaseTick = soundingEndTick(pedals, note.start_tick + note.duration_ticks);
    const releaseS = tickToSeconds(releaseTick, tempoMap);
    events.push({ note, atS: time + startS - fromSeconds, durationS: releaseS - startS, releaseTick, releaseS });
  }
  return events;
}

// The metronome's clicks for the beats in [fromTick, toTick) as {tick, downbeat, atS}, timed
// as ``notesToSchedule``.
export function clicksToSchedule(meterMap, fromTick, toTick, time, fromSeconds, tempoMap) {
  return beatsBetween(meterMap, fromTick, toTick).map((beat) => ({ tick: beat.tick, downbeat: beat.downbeat, atS: time + tickToSeconds(beat.tick, tempoMap) - fromSeconds }));
}

// The window the Transport reaches at clock tick ``clockMs`` (a window boundary):
// [fromTick, toTick) and the piece's seconds at its start.
export function windowAtClock(clockMs, tempoMap) {
  return { fromTick: tickAtClock(clockMs, tempoMap), toTick: tickAtClock(clockMs + SCHEDULE_WINDOW_MS, tempoMap), fromSeconds: clockMs / CLOCK_TICKS_PER_SECOND };
}

// The part of a window from ``tick`` (a play or a loop start) to the next window boundary, or
// null when ``tick`` is on a boundary.
export function headGap(tick, tempoMap) {
  const fromMs = clockTicksAt(tick, tempoMap);
  const nextMs = Math.ceil(fromMs / SCHEDULE_WINDOW_MS) * SCHEDULE_WINDOW_MS;
  if (nextMs <= fromMs) return null;
  return { fromTick: tick, toTick: tickAtClock(nextMs, tempoMap), fromSeconds: fromMs / CLOCK_TICKS_PER_SECOND };
}

// The Transport position ``clockTicks`` kept inside the loop [startTicks, endTicks): read
// ahead of its own processing it can show a few ms past the loop end before it wraps.
export function wrappedClockTicks(clockTicks, looping, loopClockTicks) {
  const [startTicks, endTicks] = loopClockTicks || [0, 0];
  return looping && endTicks > startTicks && clockTicks >= endTicks ? startTicks + ((clockTicks - endTicks) % (endTicks - startTicks)) : clockTicks;
}

// A take's count-in from ``fromTick``: one bar of the metre in force there, ``beatSeconds``
// apart (at the tempo there).
export function countIn(meterMap, tempoMap, fromTick) {
  const meter = meterMap.filter((segment) => segment.tick <= fromTick).pop() || meterMap[0];
  const fromSeconds = tickToSeconds(fromTick, tempoMap);
  const beatSeconds = tickToSeconds(fromTick + meter.beatTicks, tempoMap) - fromSeconds;
  return { beats: meter.numerator, beatSeconds, fromSeconds };
}

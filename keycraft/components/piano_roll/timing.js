// The piece's clock without the DOM: tempo and metre maps, ticks to seconds and back, bar
// lines, beats and the Transport's millisecond clock. It mirrors
// keycraft/services/notes/timing.py (tick_to_seconds, seconds_to_tick, bar_lines, beat_ticks,
// bar_start_tick) and loop.py (snap_to_beat); change both together. piano_roll.jsx imports it;
// timing.test.js runs it under `bun test` and tests/unit/components/test_piano_roll_maps.py
// checks it against the Python on random maps.

export const TICKS_PER_QUARTER = 480;
// The Transport runs a fixed clock, not the piece's tempo: 480 pulses per quarter at 125 BPM
// is 1000 pulses a second, so a Transport tick is one millisecond of the piece, and the tempo
// map (tickToSeconds) turns note ticks into those milliseconds.
export const CLOCK_TICKS_PER_SECOND = 1000;

const parseRows = (json) => {
  try {
    const rows = json ? JSON.parse(json) : [];
    return Array.isArray(rows) ? rows : [];
  } catch (e) {
    return [];
  }
};

// ``tick`` on a grid of ``stepTicks`` (0: the nearest whole tick), never before 0.
export const snap = (tick, stepTicks) => (stepTicks > 0 ? Math.max(0, Math.round(tick / stepTicks) * stepTicks) : Math.max(0, Math.round(tick)));


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
export function parseTempoMap(json, fallbackBpm, speed = 1) {
  const rows = parseRows(json);
  const valid = rows.length > 0 && rows[0][0] === 0 && rows.every((r) => r[1] > 0);
  const changes = (valid ? rows : [[0, fallbackBpm > 0 ? fallbackBpm : 120]]).map(([tick, bpm]) => [tick, bpm * speed, bpm]);
  let seconds = 0;
  return changes.map(([tick, bpm, writtenBpm], i) => {
    if (i > 0) seconds += ((tick - changes[i - 1][0]) * 60) / (changes[i - 1][1] * TICKS_PER_QUARTER);
    return { tick, bpm, seconds, writtenBpm };
  });
}

export function tickToSeconds(tick, tempoMap) {
  const change = tempoMap[lastIndexWhere(tempoMap, (entry) => entry.tick <= tick)];
  return change.seconds + ((tick - change.tick) * 60) / (change.bpm * TICKS_PER_QUARTER);
}

export function secondsToTick(seconds, tempoMap) {
  const change = tempoMap[lastIndexWhere(tempoMap, (entry) => entry.seconds <= seconds)];
  return change.tick + ((seconds - change.seconds) * change.bpm * TICKS_PER_QUARTER) / 60;
}

// [[tick, numerator, denominator], ...] (first at tick 0) -> one segment per signature with its
// first bar number. A change starts a new bar, cutting short the bar it interrupts. Bar 1
// starts at ``firstBarTick`` (a transcription's first downbeat); the bars before it (the
// silence before the music, a pickup) count 0, -1..., as a score numbers an upbeat.
export function parseTimeSignatureMap(json, numerator, denominator, firstBarTick = 0) {
  const rows = parseRows(json);
  const valid = rows.length > 0 && rows[0][0] === 0 && rows.every((r) => r[1] > 0 && r[2] > 0);
  const changes = valid ? rows : [[0, numerator || 4, denominator || 4]];
  let bar = 1;
  const segments = changes.map(([tick, num, den], i) => {
    const beatTicks = (TICKS_PER_QUARTER * 4) / den;
    const endTick = i + 1 < changes.length ? changes[i + 1][0] : Infinity;
    const segment = { tick, numerator: num, denominator: den, beatTicks, barTicks: beatTicks * num, endTick, bar };
    if (endTick !== Infinity) bar += Math.ceil((endTick - tick) / segment.barTicks);
    return segment;
  });
  if (!(firstBarTick > 0)) return segments;
  const seg = segments[lastIndexWhere(segments, (e) => e.tick <= firstBarTick)];
  const before = seg.bar + Math.floor((firstBarTick - seg.tick) / seg.barTicks) - 1;
  return segments.map((segment) => ({ ...segment, bar: segment.bar - before }));
}

// Bars starting in [fromTick, toTick): [{tick, bar}].
export function barLinesBetween(meterMap, fromTick, toTick) {
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
export function beatsBetween(meterMap, fromTick, toTick) {
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
export function nearestBeatTick(tick, meterMap) {
  tick = Math.max(0, Math.round(tick));
  const seg = meterMap[lastIndexWhere(meterMap, (e) => e.tick <= tick)];
  const into = (tick - seg.tick) % seg.barTicks;
  const barStart = tick - into;
  const before = barStart + Math.floor(into / seg.beatTicks) * seg.beatTicks;
  if (before === tick) return tick;
  const after = Math.min(before + seg.beatTicks, seg.endTick);
  return tick - before < after - tick ? before : after;
}

export function barStartTick(bar, meterMap) {
  for (const seg of meterMap) {
    const tick = seg.tick + (bar - seg.bar) * seg.barTicks;
    if (tick < seg.endTick) return tick;
  }
  return 0;
}

// The Transport position of a tick: whole clock ticks, rounded down so events on it still
// fire, after forgiving float noise (5.8 s summed as 5.7999999 is still 5800 ms).
export const clockTicksAt = (tick, tempoMap) => Math.floor(tickToSeconds(tick, tempoMap) * CLOCK_TICKS_PER_SECOND + 1e-6);
// The tick at a Transport position. Rounded to a millionth of a tick so float noise never puts
// a window boundary just past a note or beat that starts exactly on it.
export const tickAtClock = (clockTicks, tempoMap) => Math.round(secondsToTick(clockTicks / CLOCK_TICKS_PER_SECOND, tempoMap) * 1e6) / 1e6;

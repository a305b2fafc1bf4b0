// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import {
  CLOCK_TICKS_PER_SECOND,
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

// 120 BPM for two bars of 4/4, then 60 BPM; 4/4 for two bars, then 3/4.
const TEMPO = parseTempoMap(JSON.stringify([[0, 120], [3840, 60]]), 100);
const METER = parseTimeSignatureMap(JSON.stringify([[0, 4, 4], [3840, 3, 4]]), 2, 2);

describe("tempo maps", () => {
  test("each tempo starts at the seconds the earlier ones add up to", () => {
    expect(TEMPO.map((change) => [change.tick, change.bpm, change.seconds])).toEqual([[0, 120, 0], [3840, 60, 4]]);
  });

  test("a missing, malformed or non-zero-start map is one tempo at the fallback", () => {
    for (const json of ["", "not json", "5", "[]", "[[10, 120]]", "[[0, -3]]"]) {
      expect(parseTempoMap(json, 90).map((change) => [change.tick, change.bpm])).toEqual([[0, 90]]);
    }
    expect(parseTempoMap("", 0)[0].bpm).toBe(120);
  });

  test("ticks and seconds convert both ways across a tempo change", () => {
    expect(tickToSeconds(960, TEMPO)).toBe(1);
    expect(tickToSeconds(3840 + 480, TEMPO)).toBe(5);
    expect(secondsToTick(5, TEMPO)).toBe(4320);
    for (const tick of [0, 1, 479, 3839, 3840, 9999]) expect(secondsToTick(tickToSeconds(tick, TEMPO), TEMPO)).toBeCloseTo(tick, 9);
  });

  test("the practice speed stretches every tempo, keeping the written one", () => {
    const half = parseTempoMap(JSON.stringify([[0, 120], [3840, 60]]), 100, 0.5);
    expect(half.map((change) => [change.bpm, change.writtenBpm])).toEqual([[60, 120], [30, 60]]);
    expect(tickToSeconds(3840 + 480, half)).toBe(10);
  });
});

describe("metre maps", () => {
  test("a change starts a new bar; the fallback signature fills a bad map", () => {
    expect(METER.map((seg) => [seg.tick, seg.barTicks, seg.bar])).toEqual([[0, 1920, 1], [3840, 1440, 3]]);
    expect(parseTimeSignatureMap("[[0, 0, 4]]", 6, 8)[0]).toMatchObject({ numerator: 6, denominator: 8, beatTicks: 240, barTicks: 1440 });
  });

  test("a change mid-bar cuts that bar short and still counts it", () => {
    const cut = parseTimeSignatureMap(JSON.stringify([[0, 4, 4], [2400, 3, 8]]), 4, 4);
    expect(barLinesBetween(cut, 0, 3600)).toEqual([{ tick: 0, bar: 1 }, { tick: 1920, bar: 2 }, { tick: 2400, bar: 3 }, { tick: 3120, bar: 4 }]);
  });

  test("bar lines and beats in a window, with the downbeats marked", () => {
    expect(barLinesBetween(METER, 1000, 6000).map((line) => line.bar)).toEqual([2, 3, 4]);
    expect(beatsBetween(METER, 3360, 5280)).toEqual([
      { tick: 3360, downbeat: false },
      { tick: 3840, downbeat: true },
      { tick: 4320, downbeat: false },
      { tick: 4800, downbeat: false },
    ]);
  });

  test("a bar number finds its first tick in the signature it falls in", () => {
    expect([1, 2, 3, 4].map((bar) => barStartTick(bar, METER))).toEqual([0, 1920, 3840, 5280]);
  });

  test("bar 1 starts on the first downbeat; the pickup and the silence before count 0, -1", () => {
    // A transcription: one beat of silence and a one-beat pickup (a 2/4 bar), then 3/4 from tick 960.
    const heard = JSON.stringify([[0, 2, 4], [960, 3, 4]]);
    const numbered = parseTimeSignatureMap(heard, 4, 4, 960);
    expect(barLinesBetween(numbered, 0, 4000)).toEqual([{ tick: 0, bar: 0 }, { tick: 960, bar: 1 }, { tick: 2400, bar: 2 }, { tick: 3840, bar: 3 }]);
    expect([0, 1, 2].map((bar) => barStartTick(bar, numbered))).toEqual([0, 960, 2400]);
    // Bar 1 two bars in: the bars before are 0 and -1; bar 1 at tick 0 changes nothing.
    expect(barLinesBetween(parseTimeSignatureMap(heard, 4, 4, 2400), 0, 2500).map((line) => line.bar)).toEqual([-1, 0, 1]);
    expect(parseTimeSignatureMap(heard, 4, 4, 0)).toEqual(parseTimeSignatureMap(heard, 4, 4));
    expect(parseTimeSignatureMap(heard, 4, 4, -1)).toEqual(parseTimeSignatureMap(heard, 4, 4));
  });

  test("the nearest beat, ties going later, never past a bar cut short", () => {
    expect(nearestBeatTick(239, METER)).toBe(0);
    expect(nearestBeatTick(240, METER)).toBe(480);
    expect(nearestBeatTick(-50, METER)).toBe(0);
    const cut = parseTimeSignatureMap(JSON.stringify([[0, 4, 4], [2000, 3, 4]]), 4, 4);
    expect(nearestBeatTick(1990, cut)).toBe(2000);
  });
});

describe("the Transport clock and the grid", () => {
  test("a clock tick is a millisecond of the piece", () => {
    expect(CLOCK_TICKS_PER_SECOND).toBe(1000);
    expect(clockTicksAt(3840 + 480, TEMPO)).toBe(5000);
    expect(tickAtClock(5000, TEMPO)).toBe(4320);
  });

  test("float noise never pushes a clock position off an exact millisecond", () => {
    const odd = parseTempoMap(JSON.stringify([[0, 97]]), 120);
    for (let tick = 0; tick < 20000; tick += 97) {
      const ms = clockTicksAt(tick, odd);
      expect(ms).toBe(Math.floor(tickToSeconds(tick, odd) * 1000 + 1e-6));
      expect(tickAtClock(ms, odd)).toBeLessThanOrEqual(tick + 1e-6);
    }
  });

  test("snap rounds to the grid, or to a whole tick with no grid, never below 0", () => {
    expect(snap(179, 120)).toBe(120);
    expect(snap(180, 120)).toBe(240);
    expect(snap(12.6, 0)).toBe(13);
    expect(snap(-70, 120)).toBe(0);
  });
});

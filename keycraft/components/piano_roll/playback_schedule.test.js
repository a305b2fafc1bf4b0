// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { SCHEDULE_WINDOW_MS, clicksToSchedule, countIn, firstStartingAt, headGap, notesToSchedule, sortedByStart, windowAtClock, wrappedClockTicks } from "./playback_schedule.js";
import { parseTempoMap, parseTimeSignatureMap } from "./timing.js";

const AT_120 = parseTempoMap("", 120);
// 120 BPM for a bar of 4/4, then 60 BPM.
const SLOWING = parseTempoMap("[[0, 120], [1920, 60]]", 120);
const FOUR_FOUR = parseTimeSignatureMap("", 4, 4);
const note = (start_tick, duration_ticks, pitch_midi = 60, velocity = 90) => ({ start_tick, duration_ticks, pitch_midi, velocity });
const notesById = (...notes) => new Map(notes.map((n, i) => [`n${i}`, n]));

describe("the notes of a window", () => {
  test("notes are sorted by start and found from a tick by binary search", () => {
    const sorted = sortedByStart(notesById(note(960, 120), note(0, 120), note(480, 120)));
    expect(sorted.map((n) => n.start_tick)).toEqual([0, 480, 960]);
    expect(firstStartingAt(sorted, 0)).toBe(0);
    expect(firstStartingAt(sorted, 1)).toBe(1);
    expect(firstStartingAt(sorted, 480)).toBe(1);
    expect(firstStartingAt(sorted, 2000)).toBe(3);
  });

  test("only notes starting in [from, to) are scheduled, at audio time relative to the window", () => {
    const sorted = sortedByStart(notesById(note(0, 480), note(480, 240, 64, 70), note(960, 480)));
    // The window starts half a second in (tick 480 at 120 BPM), heard at audio time 10 s.
    const events = notesToSchedule(sorted, 480, 960, 10, 0.5, AT_120, []);
    expect(events).toHaveLength(1);
    expect(events[0].note.pitch_midi).toBe(64);
    expect(events[0].atS).toBeCloseTo(10);
    expect(events[0].durationS).toBeCloseTo(0.25);
    expect(events[0].releaseTick).toBe(720);
    expect(events[0].releaseS).toBeCloseTo(0.75);
  });

  test("a note released under a pedal span rings until the pedal lifts", () => {
    const sorted = sortedByStart(notesById(note(0, 480)));
    const [event] = notesToSchedule(sorted, 0, 480, 0, 0, AT_120, [{ start_tick: 240, end_tick: 1920 }]);
    expect(event.releaseTick).toBe(1920);
    expect(event.durationS).toBeCloseTo(2);
  });

  test("a tempo change stretches notes after it", () => {
    const sorted = sortedByStart(notesById(note(1920, 480)));
    const [event] = notesToSchedule(sorted, 1920, 2400, 0, 2, SLOWING, []);
    // Bar 2 starts 2 s in; a quarter at 60 BPM lasts a second.
    expect(event.atS).toBeCloseTo(0);
    expect(event.durationS).toBeCloseTo(1);
  });

  test("an empty window or piece schedules nothing", () => {
    expect(notesToSchedule([], 0, 1000, 0, 0, AT_120, [])).toEqual([]);
    expect(notesToSchedule(sortedByStart(notesById(note(0, 10))), 10, 20, 0, 0, AT_120, [])).toEqual([]);
  });
});

describe("metronome clicks", () => {
  test("every beat in the window clicks, the bar's first as a downbeat", () => {
    const clicks = clicksToSchedule(FOUR_FOUR, 0, 1920, 5, 0, AT_120);
    expect(clicks.map((c) => c.tick)).toEqual([0, 480, 960, 1440]);
    expect(clicks.map((c) => c.downbeat)).toEqual([true, false, false, false]);
    expect(clicks.map((c) => c.atS)).toEqual([5, 5.5, 6, 6.5]);
  });

  test("a 6/8 bar clicks on eighths", () => {
    const clicks = clicksToSchedule(parseTimeSignatureMap("", 6, 8), 0, 1440, 0, 0, AT_120);
    expect(clicks).toHaveLength(6);
    expect(clicks[1].tick).toBe(240);
  });
});

describe("the Transport's clock windows", () => {
  test("a window is fifty clock milliseconds of the piece", () => {
    expect(SCHEDULE_WINDOW_MS).toBe(50);
    const window = windowAtClock(500, AT_120);
    expect(window.fromTick).toBeCloseTo(480);
    expect(window.toTick).toBeCloseTo(528);
    expect(window.fromSeconds).toBeCloseTo(0.5);
  });

  test("the gap from a play between boundaries to the next boundary is scheduled once", () => {
    // Tick 500 is 520.8 ms in: the gap runs to the 550 ms boundary.
    const gap = headGap(500, AT_120);
    expect(gap.fromTick).toBe(500);
    expect(gap.toTick).toBeCloseTo(528);
    expect(gap.fromSeconds).toBeCloseTo(0.52);
    expect(headGap(480, AT_120)).toBeNull();
  });

  test("a position read past the loop's end wraps into the loop", () => {
    expect(wrappedClockTicks(2010, true, [0, 2000])).toBe(10);
    expect(wrappedClockTicks(2010, false, [0, 2000])).toBe(2010);
    expect(wrappedClockTicks(1990, true, [1000, 2000])).toBe(1990);
    expect(wrappedClockTicks(123, true, null)).toBe(123);
  });

  test("a take counts in one bar of the metre at its start", () => {
    const meter = parseTimeSignatureMap("[[0, 4, 4], [1920, 3, 4]]", 4, 4);
    expect(countIn(meter, AT_120, 0)).toEqual({ beats: 4, beatSeconds: 0.5, fromSeconds: 0 });
    const later = countIn(meter, SLOWING, 1920);
    expect(later.beats).toBe(3);
    expect(later.beatSeconds).toBeCloseTo(1);
    expect(later.fromSeconds).toBeCloseTo(2);
  });
});

// Run with `bun test keycraft/components/recorder` (tests/unit/components/test_midi_take.py runs it).
import { describe, expect, test } from "bun:test";
import { createTake, parseMidiMessage } from "./midi_take.js";

// 120 BPM, 480 ticks per quarter: 1 ms is 0.96 ticks; the take starts at tick 1920 (bar 2).
const FROM_TICK = 1920;
const tickAtMs = (ms) => FROM_TICK + (ms / 1000) * 2 * 480;
const START_MS = 10_000;
const at = (ms) => START_MS + ms;

describe("parseMidiMessage", () => {
  test("note-on, note-off and note-on with velocity 0 on any channel", () => {
    expect(parseMidiMessage([0x90, 60, 100])).toEqual({ kind: "on", pitch: 60, velocity: 100 });
    expect(parseMidiMessage(new Uint8Array([0x9f, 61, 1]))).toEqual({ kind: "on", pitch: 61, velocity: 1 });
    expect(parseMidiMessage([0x83, 60, 64])).toEqual({ kind: "off", pitch: 60 });
    expect(parseMidiMessage([0x90, 60, 0])).toEqual({ kind: "off", pitch: 60 });
  });

  test("the sustain pedal, and nothing else", () => {
    expect(parseMidiMessage([0xb0, 64, 127])).toEqual({ kind: "pedal", down: true });
    expect(parseMidiMessage([0xb2, 64, 10])).toEqual({ kind: "pedal", down: false });
    expect(parseMidiMessage([0xb0, 7, 100])).toBeNull(); // volume
    expect(parseMidiMessage([0xe0, 0, 64])).toBeNull(); // pitch bend
    expect(parseMidiMessage([0xf8])).toBeNull(); // clock
    expect(parseMidiMessage([0x90, 60])).toBeNull(); // truncated
  });
});

describe("createTake", () => {
  test("notes land on ticks at the tempo, with their velocities", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    take.receive([0x90, 60, 90], at(0));
    take.receive([0x90, 64, 50], at(500));
    take.receive([0x80, 60, 0], at(500));
    take.receive([0x90, 64, 0], at(1000));
    expect(take.finish(at(2000))).toEqual([
      { start_tick: 1920, duration_ticks: 480, pitch_midi: 60, velocity: 90 },
      { start_tick: 2400, duration_ticks: 480, pitch_midi: 64, velocity: 50 },
    ]);
  });

  test("keys still down at the end last until the end", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    take.receive([0x90, 67, 80], at(250));
    expect(take.sounding).toBe(1);
    expect(take.finish(at(1250))).toEqual([{ start_tick: 2160, duration_ticks: 960, pitch_midi: 67, velocity: 80 }]);
  });

  test("the count-in: a key held into the start begins there, one released before is dropped", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    take.receive([0x90, 60, 80], at(-300));
    take.receive([0x80, 60, 0], at(-100));
    take.receive([0x90, 62, 80], at(-40));
    take.receive([0x80, 62, 0], at(500));
    expect(take.finish(at(1000))).toEqual([{ start_tick: 1920, duration_ticks: 480, pitch_midi: 62, velocity: 80 }]);
  });

  test("the sustain pedal holds released keys until it lifts", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    take.receive([0xb0, 64, 127], at(0));
    take.receive([0x90, 60, 80], at(0));
    take.receive([0x80, 60, 0], at(250));
    expect(take.sounding).toBe(1);
    take.receive([0xb0, 64, 0], at(1000));
    take.receive([0x90, 62, 80], at(1000));
    take.receive([0x80, 62, 0], at(1250));
    expect(take.finish(at(2000))).toEqual([
      { start_tick: 1920, duration_ticks: 960, pitch_midi: 60, velocity: 80 },
      { start_tick: 2880, duration_ticks: 240, pitch_midi: 62, velocity: 80 },
    ]);
  });

  test("a key struck again ends its previous note, even under the pedal", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    take.receive([0xb0, 64, 127], at(0));
    take.receive([0x90, 60, 80], at(0));
    take.receive([0x80, 60, 0], at(100));
    take.receive([0x90, 60, 100], at(500));
    take.receive([0x80, 60, 0], at(600));
    expect(take.finish(at(1000))).toEqual([
      { start_tick: 1920, duration_ticks: 480, pitch_midi: 60, velocity: 80 },
      { start_tick: 2400, duration_ticks: 480, pitch_midi: 60, velocity: 100 },
    ]);
  });

  test("keys outside the piano, stray note-offs and other messages change nothing", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    expect(take.receive([0x90, 20, 80], at(0))).toBe(false);
    expect(take.receive([0x90, 109, 80], at(0))).toBe(false);
    expect(take.receive([0x80, 60, 0], at(0))).toBe(false);
    expect(take.receive([0xc0, 1, 0], at(0))).toBe(false);
    expect(take.finish(at(1000))).toEqual([]);
  });

  test("a very short tap lasts at least one tick; notes come sorted by start, then pitch", () => {
    const take = createTake({ startMs: START_MS, tickAtMs });
    take.receive([0x90, 72, 80], at(100));
    take.receive([0x90, 48, 80], at(100));
    take.receive([0x80, 72, 0], at(100.2));
    take.receive([0x90, 60, 80], at(0));
    expect(take.finish(at(200)).map((n) => [n.start_tick, n.pitch_midi, n.duration_ticks])).toEqual([
      [1920, 60, 192],
      [2016, 48, 96],
      [2016, 72, 1],
    ]);
  });
});

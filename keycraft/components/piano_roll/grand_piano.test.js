// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import {
  LAYERS,
  MIDDLE_HIGH,
  MIDDLE_LOW,
  SAMPLE_PITCHES,
  createGrandPiano,
  fadeOutTail,
  keepSeconds,
  layerFor,
  loadOrder,
  noteUrl,
  pitchName,
  recordedLayer,
  releaseUrl,
  standIn,
  voiceFor,
} from "./grand_piano.js";

const loadedSet = (...pairs) => {
  const set = new Set(pairs.map(([layer, pitch]) => `${layer}:${pitch}`));
  return (layer, pitch) => set.has(`${layer}:${pitch}`);
};

describe("file names", () => {
  test("sharps are spelt s, octaves as in scientific pitch", () => {
    expect(pitchName(21)).toBe("A0");
    expect(pitchName(60)).toBe("C4");
    expect(pitchName(63)).toBe("Ds4");
    expect(pitchName(108)).toBe("C8");
    expect(noteUrl("/piano/", 10, 66)).toBe("/piano/v10/Fs4v10.mp3");
  });

  test("release noises are numbered from A0", () => {
    expect(releaseUrl("/piano/", 21)).toBe("/piano/release/rel1.mp3");
    expect(releaseUrl("/piano/", 108)).toBe("/piano/release/rel88.mp3");
  });

  test("the samples are every minor third from A0 to C8", () => {
    expect(SAMPLE_PITCHES.length).toBe(30);
    expect(SAMPLE_PITCHES[0]).toBe(21);
    expect(SAMPLE_PITCHES.at(-1)).toBe(108);
  });
});

describe("velocity layers", () => {
  test("eight velocities per recorded layer", () => {
    expect(recordedLayer(1)).toBe(1);
    expect(recordedLayer(8)).toBe(1);
    expect(recordedLayer(9)).toBe(2);
    expect(recordedLayer(80)).toBe(10);
    expect(recordedLayer(127)).toBe(16);
    expect(recordedLayer(0)).toBe(1);
  });

  test("a velocity plays the nearest loaded layer, loudness corrected", () => {
    expect(layerFor(80)).toEqual({ layer: 10, gainDb: 0 });
    expect(layerFor(127).layer).toBe(14);
    expect(layerFor(127).gainDb).toBeCloseTo(2.4);
    expect(layerFor(1).layer).toBe(2);
    expect(layerFor(1).gainDb).toBeCloseTo(-1.2);
    expect(layerFor(50).layer).toBe(6); // recorded layer 7
  });

  test("ties go to the softer layer, turned up", () => {
    // Recorded layer 4 sits between 2 and 6.
    const { layer, gainDb } = layerFor(30);
    expect(layer).toBe(2);
    expect(gainDb).toBeCloseTo(2.4);
  });

  test("louder velocities never play a softer layer", () => {
    let previous = 0;
    for (let v = 1; v <= 127; v++) {
      const { layer } = layerFor(v);
      expect(layer).toBeGreaterThanOrEqual(previous);
      previous = layer;
    }
  });
});

describe("load order", () => {
  const order = loadOrder();

  test("every layer's samples and every key's release noise, once each", () => {
    expect(order.length).toBe(LAYERS.length * 30 + 88);
    expect(new Set(order.map((i) => `${i.kind}${i.layer}:${i.pitch}`)).size).toBe(order.length);
  });

  test("the first layer's middle register comes first, from middle C outwards", () => {
    const first = order.slice(0, 13);
    expect(first.every((i) => i.kind === "note" && i.layer === 10)).toBe(true);
    expect(first[0].pitch).toBe(60);
    expect(new Set(first.map((i) => i.pitch))).toEqual(new Set(SAMPLE_PITCHES.filter((p) => p >= MIDDLE_LOW && p <= MIDDLE_HIGH)));
  });

  test("every layer's middle register loads before any outer sample", () => {
    const inMiddle = (i) => i.pitch >= MIDDLE_LOW && i.pitch <= MIDDLE_HIGH;
    const lastMiddle = order.findLastIndex(inMiddle);
    const firstOuter = order.findIndex((i) => !inMiddle(i));
    expect(lastMiddle).toBeLessThan(firstOuter);
  });

  test("after the first layer, the nearer layers come first", () => {
    const layers = [...new Set(order.filter((i) => i.kind === "note").map((i) => i.layer))];
    expect(layers).toEqual([10, 14, 6, 2]);
  });
});

describe("stand-ins while samples load", () => {
  test("the note's own sample when it is there", () => {
    expect(standIn(60, 10, loadedSet([10, 60], [6, 60]))).toEqual({ layer: 10, samplePitch: 60 });
  });

  test("another layer's sample at the same pitch before a repitched one", () => {
    expect(standIn(60, 10, loadedSet([6, 60], [10, 63]))).toEqual({ layer: 6, samplePitch: 60 });
  });

  test("the nearest loaded pitch, a sample above before one below", () => {
    expect(standIn(61, 10, loadedSet([10, 60], [10, 62]))).toEqual({ layer: 10, samplePitch: 62 });
    expect(standIn(40, 10, loadedSet([10, 48]))).toEqual({ layer: 10, samplePitch: 48 });
  });

  test("nothing within an octave: the synth plays", () => {
    expect(standIn(30, 10, loadedSet([10, 60]))).toBeNull();
    expect(voiceFor(30, 80, loadedSet([10, 60]))).toMatchObject({ voice: "synth", layer: null, gain: 80 / 127 });
  });

  test("a stand-in from another layer is turned up or down for its distance", () => {
    const voice = voiceFor(60, 80, loadedSet([14, 60]));
    expect(voice).toMatchObject({ voice: "grand", layer: 14, samplePitch: 60 });
    expect(20 * Math.log10(voice.gain)).toBeCloseTo(-4.8);
  });
});

describe("decoded samples are shortened", () => {
  test("bass samples keep longer than the rest", () => {
    expect(keepSeconds(21)).toBe(8);
    expect(keepSeconds(45)).toBe(8);
    expect(keepSeconds(48)).toBe(6);
    expect(keepSeconds(108)).toBe(6);
  });

  test("the tail fades smoothly to silence and the rest is untouched", () => {
    const left = new Float32Array(10).fill(1);
    const right = new Float32Array(10).fill(-0.5);
    fadeOutTail([left, right], 4);
    expect(Array.from(left.slice(0, 6))).toEqual([1, 1, 1, 1, 1, 1]);
    expect(left[9]).toBeCloseTo(0);
    expect(right[9]).toBeCloseTo(0);
    for (let i = 6; i < 10; i++) expect(left[i]).toBeLessThan(left[i - 1]);
    expect(right[7]).toBeCloseTo(-0.5 * left[7]);
  });

  test("a sample shorter than the fade fades across its whole length", () => {
    const data = new Float32Array(3).fill(1);
    fadeOutTail([data], 10);
    expect(data[2]).toBeCloseTo(0);
    expect(data[0]).toBeLessThan(1);
  });
});

// A Tone.js stand-in that records calls: enough to drive the player's wiring.
function fakeTone(files) {
  const calls = [];
  class Node {
    connect() {
      return this;
    }
    dispose() {}
  }
  class Sampler extends Node {
    constructor() {
      super();
      this.buffers = new Map();
    }
    add(pitch, buffer) {
      this.buffers.set(pitch, buffer);
    }
    triggerAttackRelease(...args) {
      calls.push(["sampler", ...args]);
    }
  }
  class ToneAudioBuffer {
    constructor(duration = 20) {
      this.duration = duration;
    }
    load(url) {
      calls.push(["load", url]);
      return files.has(url) ? Promise.resolve(this) : Promise.reject(new Error(`404 ${url}`));
    }
    slice(start, end) {
      calls.push(["slice", start, end]);
      const kept = new ToneAudioBuffer(end - start);
      kept.get = () => ({ numberOfChannels: 2, sampleRate: 10, getChannelData: () => new Float32Array(60).fill(1) });
      return kept;
    }
  }
  class ToneBufferSource extends Node {
    start(...args) {
      calls.push(["release", ...args]);
    }
  }
  return {
    calls,
    Sampler,
    Gain: Node,
    ToneAudioBuffer,
    ToneBufferSource,
    Frequency: (pitch) => ({ toFrequency: () => 440 * 2 ** ((pitch - 69) / 12) }),
  };
}

// A player on the fake, and a promise settled once every sample has loaded or failed.
function playerOn(Tone, fallback) {
  const states = [];
  let done;
  const everyTried = new Promise((resolve) => (done = resolve));
  const piano = createGrandPiano(Tone, {
    baseUrl: "/p/",
    output: {},
    fallback,
    startDelayMs: 0,
    onChange: (state) => {
      states.push(state);
      if (state.samplesLoaded + state.failed === state.samplesTotal) done();
    },
  });
  return { piano, states, everyTried };
}

describe("the player", () => {
  test("plays the synth until samples arrive, then the grand with its release noise", async () => {
    const files = new Set([noteUrl("/p/", 10, 60), releaseUrl("/p/", 60)]);
    const Tone = fakeTone(files);
    const synthCalls = [];
    const { piano, states, everyTried } = playerOn(Tone, { triggerAttackRelease: (...args) => synthCalls.push(args) });
    expect(piano.triggerAttackRelease(60, 1, 5, 80).voice).toBe("synth");
    expect(synthCalls.length).toBe(1);
    await everyTried;
    expect(piano.state.samplesLoaded).toBe(2);
    expect(piano.state.status).toBe("samples");
    expect(piano.state.failed).toBe(piano.state.samplesTotal - 2);
    // The 20 s note sample was shortened to 6 s; the release noise kept whole.
    expect(Tone.calls.filter((c) => c[0] === "slice")).toEqual([["slice", 0, 6]]);
    expect(Tone.calls.filter((c) => c[0] === "load").length).toBe(piano.state.samplesTotal);
    Tone.calls.length = 0;
    expect(piano.triggerAttackRelease(60, 1, 5, 80).voice).toBe("grand");
    expect(Tone.calls[0][0]).toBe("sampler");
    expect(Tone.calls[0].slice(2, 4)).toEqual([1, 5]);
    // The damper falls when the key (or pedal) lets the note go.
    expect(Tone.calls[1][0]).toBe("release");
    expect(Tone.calls[1][1]).toBe(6);
    expect(states.at(-1).voice).toBe("grand");
  });

  test("a lazy player fetches nothing before its first note", async () => {
    const Tone = fakeTone(new Set([noteUrl("/p/", 10, 60)]));
    let done;
    const everyTried = new Promise((resolve) => (done = resolve));
    const onChange = (state) => state.samplesLoaded + state.failed === state.samplesTotal && done();
    const piano = createGrandPiano(Tone, { baseUrl: "/p/", output: {}, fallback: { triggerAttackRelease: () => {} }, startDelayMs: 0, lazy: true, onChange });
    // A load started on creation would have begun by this timer (both wait 0 ms, it first).
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Tone.calls.filter((c) => c[0] === "load")).toEqual([]);
    expect(piano.triggerAttackRelease(60, 1, 0, 80).voice).toBe("synth");
    await everyTried;
    expect(piano.state.samplesLoaded).toBe(1);
    expect(piano.triggerAttackRelease(60, 1, 0, 80).voice).toBe("grand");
  });

  test("with no sample at all it says so and keeps the synth", async () => {
    const Tone = fakeTone(new Set());
    const { piano, everyTried } = playerOn(Tone, { triggerAttackRelease: () => {} });
    await everyTried;
    expect(piano.state.status).toBe("synth");
    expect(piano.triggerAttackRelease(60, 1, 0, 80).voice).toBe("synth");
  });
});

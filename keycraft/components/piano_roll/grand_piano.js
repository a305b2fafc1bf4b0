// The roll's sampled grand: Salamander Grand Piano V3 (Alexander Holm, CC-BY 3.0), four
// velocity layers and the key-release noises, loaded middle register first.
//
// The pure parts (which layer a velocity plays, the order samples load in, which loaded sample
// stands in for one still missing) are tested by grand_piano.test.js under bun. The player
// takes Tone.js as an argument, so this module imports nothing and runs anywhere.

// The Salamander layers the browser loads, of the 16 recorded (scripts/setup.sh copies them to
// assets/piano/v<layer>/). Four is the knee measured in tools/grand-piano/README.md: the
// timbre error of standing in for the 12 missing layers falls from 153 cents of spectral
// centroid (3 layers) to 116 (4), then only to 69 with 8 layers at twice the download.
export const LAYERS = [2, 6, 10, 14];
export const RECORDED_LAYERS = 16;
// Loudness between neighbouring recorded layers, measured on C2, C4 and C6 (first 300 ms):
// about 14 dB from layer 2 to layer 14. A velocity between two loaded layers plays the nearer
// one, turned up or down by this much per missing layer step.
export const DB_PER_LAYER = 1.2;
// Salamander samples every minor third, A0 to C8: 30 pitches per layer.
export const SAMPLE_PITCHES = Array.from({ length: 30 }, (_, i) => 21 + 3 * i);
export const LOWEST_PITCH = 21;
export const HIGHEST_PITCH = 108;
// The middle register loads first: C3 to C6, where most piano music sits.
export const MIDDLE_LOW = 48;
export const MIDDLE_HIGH = 84;
// The layer loaded first: velocity 80 (mezzo-forte, transcriptions' commonest) plays it.
export const FIRST_LAYER = 10;
// How far a loaded sample may be repitched to stand in for a missing one; beyond, the synth.
export const MAX_STAND_IN_SEMITONES = 12;
// Note-off: the string is damped over this long (an exponential fade), and the damper's own
// noise (the release sample) plays this loud relative to the note.
export const RELEASE_S = 0.35;
export const RELEASE_NOISE_GAIN = 0.5;
// Samples fetched and decoded at once. Decoding is CPU work off the main thread, but on two
// cores four at once starved it: 100-600 ms long tasks while loading (Chromium, measured),
// which delay the Transport's scheduling. Two keep the main thread responsive.
export const LOAD_CONCURRENCY = 2;
// Loading starts this long after the player is made, so the first notes of the play that made
// it are scheduled on an idle main thread (they sound on the synth on a cold cache anyway).
export const LOAD_START_DELAY_MS = 150;
// Decoded, the samples would take 649 MB (1,690 s of stereo float at 48 kHz: A0 alone rings
// 26 s). Kept to 6 s (8 s below C3, where strings ring longest), the last second faded out,
// they take about 300 MB. At 6 s a middle-register note is 32 to 37 dB down, a bass note 17
// to 25 dB: a key held longer fades a little early.
export const KEEP_S = 6;
export const KEEP_BASS_S = 8;
export const TAIL_FADE_S = 1;

const NAMES = ["C", "Cs", "D", "Ds", "E", "F", "Fs", "G", "Gs", "A", "As", "B"];

/** The file stem of a pitch as scripts/setup.sh copies it: ``Ds4`` for D#4 (MIDI 63). */
export function pitchName(pitchMidi) {
  return `${NAMES[pitchMidi % 12]}${Math.floor(pitchMidi / 12) - 1}`;
}

/** The URL of one note sample under ``baseUrl``: ``/piano/v10/Ds4v10.mp3``. */
export function noteUrl(baseUrl, layer, pitchMidi) {
  return `${baseUrl}v${layer}/${pitchName(pitchMidi)}v${layer}.mp3`;
}

/** The URL of one key's release noise: ``rel1.mp3`` is A0 (MIDI 21), ``rel88.mp3`` C8. */
export function releaseUrl(baseUrl, pitchMidi) {
  return `${baseUrl}release/rel${pitchMidi - LOWEST_PITCH + 1}.mp3`;
}

/** How many seconds of a sample at ``pitchMidi`` are kept once decoded. */
export function keepSeconds(pitchMidi) {
  return pitchMidi < MIDDLE_LOW ? KEEP_BASS_S : KEEP_S;
}

/**
 * Fade the last ``fadeFrames`` of each channel to silence, in place (a cosine curve, so the
 * cut end of a shortened sample makes no click).
 *
 * @param {Float32Array[]} channels the sample's channels, all the same length.
 */
export function fadeOutTail(channels, fadeFrames) {
  if (!channels.length) return;
  const span = Math.min(fadeFrames, channels[0].length);
  const curve = new Float32Array(span);
  for (let i = 0; i < span; i++) curve[i] = 0.5 + 0.5 * Math.cos((Math.PI * (i + 1)) / span);
  for (const data of channels) {
    const from = data.length - span;
    for (let i = 0; i < span; i++) data[from + i] *= curve[i];
  }
}

/** The recorded layer (1 to 16) a MIDI velocity (1 to 127) belongs to: eight velocities each. */
export function recordedLayer(velocity) {
  return Math.min(RECORDED_LAYERS, Math.max(1, Math.ceil(velocity / 8)));
}

/**
 * The loaded layer a velocity plays, and the gain (dB) that stands in for the distance.
 *
 * @param {number} velocity MIDI velocity, 1 to 127.
 * @param {number[]} layers the layers available, ascending.
 * @returns {{layer: number, gainDb: number}} ties go to the softer layer, turned up.
 */
export function layerFor(velocity, layers = LAYERS) {
  const wanted = recordedLayer(velocity);
  let layer = layers[0];
  for (const candidate of layers) {
    if (Math.abs(candidate - wanted) < Math.abs(layer - wanted)) layer = candidate;
  }
  return { layer, gainDb: (wanted - layer) * DB_PER_LAYER };
}

/** The layers nearest ``layer`` first (ties: the louder first). */
export function layersByCloseness(layer, layers = LAYERS) {
  return [...layers].sort((a, b) => Math.abs(a - layer) - Math.abs(b - layer) || b - a);
}

/** Sample pitches of [low, high], the one nearest ``centre`` first. */
function fromCentre(pitches, centre) {
  return [...pitches].sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre) || a - b);
}

/**
 * Every sample in the order it is fetched: the middle register (C3 to C6) first, the first
 * layer from middle C outwards, then its release noises and the other layers' middle; the
 * outer registers after, each layer's nearest the middle first, then their release noises.
 *
 * @returns {{kind: "note" | "release", layer: number | null, pitch: number}[]}
 */
export function loadOrder(layers = LAYERS, firstLayer = FIRST_LAYER) {
  const inMiddle = (p) => p >= MIDDLE_LOW && p <= MIDDLE_HIGH;
  const middle = fromCentre(SAMPLE_PITCHES.filter(inMiddle), 60);
  const outer = fromCentre(SAMPLE_PITCHES.filter((p) => !inMiddle(p)), 66);
  const keys = Array.from({ length: HIGHEST_PITCH - LOWEST_PITCH + 1 }, (_, i) => LOWEST_PITCH + i);
  const order = layersByCloseness(firstLayer, layers);
  const notes = (layer, pitches) => pitches.map((pitch) => ({ kind: "note", layer, pitch }));
  const releases = (pitches) => pitches.map((pitch) => ({ kind: "release", layer: null, pitch }));
  return [
    ...notes(order[0], middle),
    ...releases(fromCentre(keys.filter(inMiddle), 60)),
    ...order.slice(1).flatMap((layer) => notes(layer, middle)),
    ...order.flatMap((layer) => notes(layer, outer)),
    ...releases(fromCentre(keys.filter((p) => !inMiddle(p)), 66)),
  ];
}

/**
 * The loaded sample that plays ``pitch`` at ``layer``: the nearest in pitch (a sample above
 * before one below, as Tone's Sampler searches), in the nearest layer at that distance;
 * ``null`` when none is within ``maxSemitones`` (the synth plays).
 *
 * @param {(layer: number, pitch: number) => boolean} isLoaded
 * @returns {{layer: number, samplePitch: number} | null}
 */
export function standIn(pitch, layer, isLoaded, layers = LAYERS, maxSemitones = MAX_STAND_IN_SEMITONES) {
  const order = layersByCloseness(layer, layers);
  for (let distance = 0; distance <= maxSemitones; distance++) {
    for (const candidate of order) {
      if (isLoaded(candidate, pitch + distance)) return { layer: candidate, samplePitch: pitch + distance };
      if (distance && isLoaded(candidate, pitch - distance)) return { layer: candidate, samplePitch: pitch - distance };
    }
  }
  return null;
}

/**
 * The voice a note plays with: the layer and sample, the linear gain (velocity and layer
 * distance together), and ``synth`` when no sample is near enough.
 */
export function voiceFor(pitch, velocity, isLoaded, layers = LAYERS) {
  const { layer } = layerFor(velocity, layers);
  const sample = standIn(pitch, layer, isLoaded, layers);
  if (!sample) return { voice: "synth", layer: null, samplePitch: null, gain: velocity / 127 };
  const gainDb = (recordedLayer(velocity) - sample.layer) * DB_PER_LAYER;
  return { voice: "grand", layer: sample.layer, samplePitch: sample.samplePitch, gain: Math.min(2, 10 ** (gainDb / 20)) };
}

/**
 * The grand piano player on Tone.js: one Tone.Sampler per layer, filled as samples arrive.
 *
 * @param {object} Tone the Tone.js namespace.
 * @param {object} options ``baseUrl`` (folder of v<layer>/ and release/), ``output`` (a Tone
 *   node), ``fallback`` (an instrument with ``triggerAttackRelease`` that plays while samples
 *   are missing), ``onChange(state)``, called as samples load and notes start, and
 *   ``startDelayMs`` (when loading begins; default ``LOAD_START_DELAY_MS``) and ``lazy``
 *   (fetch nothing before the first note: a page that may only ever play a recording).
 * @returns the player: ``triggerAttackRelease(pitch, durationS, time, velocity)``, ``state``
 *   (``voice`` of the last note, ``notes`` started per voice, ``samplesLoaded``,
 *   ``samplesTotal``, ``failed``, ``status``: loading / samples / synth), ``dispose()``.
 */
export function createGrandPiano(Tone, { baseUrl, output, fallback, onChange = () => {}, startDelayMs = LOAD_START_DELAY_MS, lazy = false }) {
  const samplers = new Map();
  LAYERS.forEach((layer) => {
    const sampler = new Tone.Sampler({ urls: {}, release: RELEASE_S, curve: "exponential" });
    sampler.connect(output);
    samplers.set(layer, sampler);
  });
  const releaseBus = new Tone.Gain(RELEASE_NOISE_GAIN).connect(output);
  const releaseBuffers = new Map();
  const loaded = new Set();
  const isLoaded = (layer, pitch) => loaded.has(`${layer}:${pitch}`);
  const queue = loadOrder();
  const middleCount = queue.findIndex((item) => item.kind === "release");
  // ``notes`` counts the notes each voice has started (a play on a warm cache adds only grand).
  const state = { voice: null, notes: { grand: 0, synth: 0 }, samplesLoaded: 0, samplesTotal: queue.length, failed: 0, status: "loading" };
  let disposed = false;
  const changed = () => !disposed && onChange({ ...state, notes: { ...state.notes } });

  const fetchOne = async (item) => {
    const url = item.kind === "note" ? noteUrl(baseUrl, item.layer, item.pitch) : releaseUrl(baseUrl, item.pitch);
    try {
      const decoded = await new Tone.ToneAudioBuffer().load(url);
      if (disposed) return;
      const buffer = item.kind === "note" ? shortened(decoded, keepSeconds(item.pitch)) : decoded;
      if (item.kind === "note") {
        samplers.get(item.layer).add(item.pitch, buffer);
        loaded.add(`${item.layer}:${item.pitch}`);
      } else {
        releaseBuffers.set(item.pitch, buffer);
      }
      state.samplesLoaded += 1;
    } catch (e) {
      state.failed += 1;
    }
    // The piano is the instrument once the first layer's middle register is in (or tried).
    if (state.status === "loading" && state.samplesLoaded + state.failed >= middleCount) {
      state.status = state.samplesLoaded > 0 ? "samples" : "synth";
    }
    changed();
  };
  // A copy of the first ``seconds`` of ``decoded`` (the whole decoded file is let go).
  const shortened = (decoded, seconds) => {
    if (decoded.duration <= seconds) return decoded;
    const kept = decoded.slice(0, seconds);
    const audio = kept.get();
    const channels = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
    fadeOutTail(channels, Math.round(TAIL_FADE_S * audio.sampleRate));
    return kept;
  };
  let next = 0;
  const worker = async () => {
    while (!disposed && next < queue.length) await fetchOne(queue[next++]);
  };
  let loading = false;
  // Begin fetching (once): at once when made, or with ``lazy`` at the first note.
  const load = () => {
    if (loading) return;
    loading = true;
    setTimeout(() => {
      for (let i = 0; i < LOAD_CONCURRENCY; i++) worker();
    }, startDelayMs);
  };
  if (!lazy) load();

  const playRelease = (pitch, time, gain) => {
    const buffer = releaseBuffers.get(pitch);
    if (!buffer) return; // the damper's noise is a detail: no stand-in
    const source = new Tone.ToneBufferSource({ url: buffer }).connect(releaseBus);
    source.start(time, 0, undefined, gain);
  };

  return {
    state,
    isLoaded,
    /** Play ``pitch`` (MIDI) from audio time ``time`` for ``durationS`` (the key and pedal up). */
    triggerAttackRelease(pitch, durationS, time, velocity) {
      load();
      const voice = voiceFor(pitch, velocity, isLoaded);
      if (voice.voice === "synth") {
        fallback.triggerAttackRelease(Tone.Frequency(pitch, "midi").toFrequency(), durationS, time, voice.gain);
      } else {
        samplers.get(voice.layer).triggerAttackRelease(Tone.Frequency(pitch, "midi").toFrequency(), durationS, time, voice.gain);
        playRelease(pitch, time + durationS, Math.min(1, velocity / 127));
      }
      state.voice = voice.voice;
      state.notes[voice.voice] += 1;
      changed();
      return voice;
    },
    dispose() {
      disposed = true;
      samplers.forEach((sampler) => sampler.dispose());
      releaseBus.dispose();
    },
  };
}

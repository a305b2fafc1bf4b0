// Web MIDI messages -> notes of a take on the roll's tick grid. Pure (no browser API), so
// `bun test` checks it: no MIDI keyboard can be attached to a headless browser.

export const LOWEST_PITCH = 21;
export const HIGHEST_PITCH = 108;
const SUSTAIN_CONTROLLER = 64;

// One MIDI message (a Uint8Array or array of bytes) -> {kind: "on"|"off", pitch, velocity}
// or {kind: "pedal", down}; null for anything a take ignores. Every channel counts.
export function parseMidiMessage(data) {
  if (!data || data.length < 3) return null;
  const status = data[0] & 0xf0;
  if (status === 0x90) {
    // A note-on with velocity 0 is a note-off (running-status keyboards send these).
    return data[2] > 0 ? { kind: "on", pitch: data[1], velocity: data[2] } : { kind: "off", pitch: data[1] };
  }
  if (status === 0x80) return { kind: "off", pitch: data[1] };
  if (status === 0xb0 && data[1] === SUSTAIN_CONTROLLER) return { kind: "pedal", down: data[2] >= 64 };
  return null;
}

// A take started at ``startMs`` (the performance.now() time of its first tick).
// ``tickAtMs(ms)`` maps milliseconds since the start to a (fractional) tick at the current
// tempo map. Notes held into the start (played during the count-in) begin at the start;
// notes over before it are dropped. The sustain pedal holds released notes until it lifts.
export function createTake({ startMs, tickAtMs }) {
  const held = new Map(); // pitch -> { onMs, velocity }: key down
  const sustained = new Map(); // pitch -> { onMs, velocity }: key up, pedal down
  const notes = [];
  let pedalDown = false;

  const close = (pitch, info, endMs) => {
    if (endMs <= startMs) return;
    const startTick = Math.max(0, Math.round(tickAtMs(Math.max(0, info.onMs - startMs))));
    const endTick = Math.round(tickAtMs(endMs - startMs));
    notes.push({
      start_tick: startTick,
      duration_ticks: Math.max(1, endTick - startTick),
      pitch_midi: pitch,
      velocity: Math.min(127, Math.max(1, info.velocity)),
    });
  };
  const end = (pitch, atMs) => {
    for (const pool of [held, sustained]) {
      const info = pool.get(pitch);
      if (info) {
        pool.delete(pitch);
        close(pitch, info, atMs);
      }
    }
  };

  return {
    // Feed one message received at ``timeStampMs``; true when it changed the take.
    receive(data, timeStampMs) {
      const m = parseMidiMessage(data);
      if (!m) return false;
      if (m.kind === "pedal") {
        pedalDown = m.down;
        if (!pedalDown) {
          for (const [pitch, info] of Array.from(sustained)) {
            sustained.delete(pitch);
            close(pitch, info, timeStampMs);
          }
        }
        return true;
      }
      if (m.pitch < LOWEST_PITCH || m.pitch > HIGHEST_PITCH) return false;
      if (m.kind === "on") {
        end(m.pitch, timeStampMs); // the same key struck again ends its previous note
        held.set(m.pitch, { onMs: timeStampMs, velocity: m.velocity });
        return true;
      }
      const info = held.get(m.pitch);
      if (!info) return false;
      held.delete(m.pitch);
      if (pedalDown) sustained.set(m.pitch, info);
      else close(m.pitch, info, timeStampMs);
      return true;
    },
    // Keys still down (or held by the pedal).
    get sounding() {
      return held.size + sustained.size;
    },
    get count() {
      return notes.length + held.size + sustained.size;
    },
    // End every sounding note at ``endMs``; the take's notes, by start then pitch.
    finish(endMs) {
      for (const pitch of Array.from(new Set([...held.keys(), ...sustained.keys()]))) end(pitch, endMs);
      return notes.slice().sort((a, b) => a.start_tick - b.start_tick || a.pitch_midi - b.pitch_midi);
    },
  };
}

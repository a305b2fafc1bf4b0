// Record a take from a MIDI keyboard (Web MIDI) into the editor's roll: a bar of count-in,
// the metronome, then every key played becomes a note at the tempo; Stop adds the take
// through the roll's own commit (one undo step). The message rules live in midi_take.js.
import React, { useEffect, useRef, useState } from "react";
import { buttonStyle } from "./button_style.js";
import { createTake } from "./midi_take.js";

const MESSAGES = {
  unsupported: "This browser cannot use MIDI keyboards (Web MIDI). Chrome, Edge and Opera can.",
  refused: "MIDI access was refused. Allow MIDI devices for this site in the browser's settings.",
  none: "No MIDI keyboard is connected. Connect one and press Record MIDI again.",
  noRoll: "The piano roll is not ready yet.",
};


const inputsOf = (access) => Array.from(access.inputs.values()).filter((i) => i.state !== "disconnected");

export function MidiRecorder() {
  const [phase, setPhase] = useState("idle"); // idle | starting | counting | recording
  const [message, setMessage] = useState("");
  const [noteCount, setNoteCount] = useState(0);
  const [beatsLeft, setBeatsLeft] = useState(0);
  const [device, setDevice] = useState("");
  const live = useRef({ access: null, take: null, clock: null, timer: 0, handler: null });

  const listen = (access, handler) => inputsOf(access).forEach((input) => (input.onmidimessage = handler));

  const finish = (addNotes) => {
    const L = live.current;
    clearInterval(L.timer);
    if (L.access) listen(L.access, null);
    const roll = window.keycraftPianoRoll;
    const rows = L.take && addNotes ? L.take.finish(performance.now()) : [];
    const added = roll && roll.endTake ? roll.endTake(rows) : 0;
    L.take = null;
    L.clock = null;
    setPhase("idle");
    return added;
  };

  const start = async () => {
    setMessage("");
    if (typeof navigator.requestMIDIAccess !== "function") {
      setMessage(MESSAGES.unsupported);
      return;
    }
    const roll = window.keycraftPianoRoll;
    if (!roll || !roll.startTake) {
      setMessage(MESSAGES.noRoll);
      return;
    }
    setPhase("starting");
    const L = live.current;
    try {
      L.access = L.access || (await navigator.requestMIDIAccess());
    } catch (error) {
      setPhase("idle");
      setMessage(error && error.name === "NotSupportedError" ? MESSAGES.unsupported : MESSAGES.refused);
      return;
    }
    const inputs = inputsOf(L.access);
    if (!inputs.length) {
      setPhase("idle");
      setMessage(MESSAGES.none);
      return;
    }
    setDevice(inputs.map((i) => i.name || "MIDI keyboard").join(", "));
    const clock = await roll.startTake();
    if (!clock) {
      setPhase("idle");
      setMessage(MESSAGES.noRoll);
      return;
    }
    L.clock = clock;
    L.take = createTake({ startMs: clock.startMs, tickAtMs: clock.tickAtMs });
    setNoteCount(0);
    setPhase("counting");
    // Keys played during the count-in count too: one held into the first beat starts there.
    L.handler = (event) => {
      if (L.take && L.take.receive(event.data, event.timeStamp)) setNoteCount(L.take.count);
    };
    listen(L.access, L.handler);
    setBeatsLeft(clock.countInBeats);
    L.timer = setInterval(() => {
      if (!L.clock) return;
      const leftMs = L.clock.startMs - performance.now();
      if (leftMs <= 0) setPhase("recording");
      else setBeatsLeft(Math.min(L.clock.countInBeats, Math.ceil(leftMs / L.clock.beatMs)));
    }, 50);
    // A keyboard plugged in mid-take is heard from then on.
    L.access.onstatechange = () => {
      if (L.take) listen(L.access, L.handler);
    };
  };

  const stop = () => {
    const added = finish(true);
    setMessage(
      added
        ? `Added ${added} note${added === 1 ? "" : "s"} from the take. Undo removes the whole take.`
        : "No notes were played in that take.",
    );
  };

  useEffect(() => () => live.current.take && finish(false), []);

  const taking = phase === "counting" || phase === "recording";
  return (
    <div role="group" aria-label="Record from a MIDI keyboard" data-testid="midi-recorder" style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 8 }}>
      <button
        type="button"
        onClick={taking ? stop : start}
        disabled={phase === "starting"}
        aria-pressed={taking}
        style={buttonStyle(taking ? "red" : "accent", taking)}
        data-testid={taking ? "stop-midi-take" : "record-midi"}
      >
        <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: taking ? 2 : "50%", background: taking ? "white" : "var(--red-9)" }} />
        {taking ? "Stop take" : "Record MIDI"}
      </button>
      {taking ? (
        <span role="status" data-testid="midi-take-status" style={{ fontSize: "var(--font-size-2)" }}>
          {phase === "counting" ? `Count-in… ${beatsLeft}` : `Recording from ${device}: ${noteCount} notes`}
        </span>
      ) : null}
      {message && !taking ? (
        <span role="status" data-testid="midi-recorder-message" style={{ fontSize: "var(--font-size-2)", color: "var(--gray-11)" }}>
          {message}
        </span>
      ) : null}
    </div>
  );
}

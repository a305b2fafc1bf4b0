// Record the microphone with MediaRecorder, show a level meter and the elapsed time, stop at
// the transcriber's limit, then hand the take to the panel's upload input: the recording
// follows exactly the path of an uploaded file (same handler, same checks, same model).
import React, { useEffect, useRef, useState } from "react";
import { buttonStyle } from "./button_style.js";

// Containers the transcriber decodes, in order of preference; the first the browser can
// record is used (Chrome/Edge/Firefox: WebM or Ogg with Opus, Safari: MP4).
const FORMATS = [
  { mime: "audio/webm;codecs=opus", type: "audio/webm", suffix: "webm" },
  { mime: "audio/webm", type: "audio/webm", suffix: "webm" },
  { mime: "audio/ogg;codecs=opus", type: "audio/ogg", suffix: "ogg" },
  { mime: "audio/mp4", type: "audio/mp4", suffix: "m4a" },
];
const BITS_PER_SECOND = 128000;
const CHUNK_MS = 1000;
const TICK_MS = 200;
// Stop this much before the limit: the container's length may run a few frames past the
// moment Stop is called, and a take over the limit would be refused.
const LIMIT_MARGIN_S = 0.5;
// The meter shows -60..0 dBFS as 0..100.
const METER_FLOOR_DB = -60;

const MESSAGES = {
  unsupported: "This browser cannot record audio. Upload a recording instead.",
  refused:
    "Microphone access was refused. Allow the microphone for this site in the browser's address bar or settings, or upload a recording instead.",
  missing: "No microphone was found. Connect one and try again, or upload a recording instead.",
  busy: "The microphone is in use by another app or could not be started.",
  failed: "The microphone could not be started. Try again, or upload a recording instead.",
};

export const formatClock = (seconds) => {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = String(whole % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
};

const messageFor = (error) => {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") return MESSAGES.refused;
  if (name === "NotFoundError" || name === "OverconstrainedError") return MESSAGES.missing;
  if (name === "NotReadableError" || name === "AbortError") return MESSAGES.busy;
  return MESSAGES.failed;
};

const pickFormat = () => FORMATS.find((f) => window.MediaRecorder.isTypeSupported(f.mime)) || null;

const takeName = (suffix) => {
  const d = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `Recording ${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}.${two(d.getMinutes())}.${suffix}`;
};


export function AudioRecorder(props) {
  const { maxSeconds = 1800, uploadInputId = "", disabled = false } = props;
  const [phase, setPhase] = useState("idle"); // idle | starting | recording | review
  const [elapsedS, setElapsedS] = useState(0);
  const [message, setMessage] = useState("");
  const [take, setTake] = useState(null); // { file, url, seconds }
  const live = useRef({ stream: null, recorder: null, audio: null, frame: 0, timer: 0, limit: 0, startedMs: 0, limitHit: false });
  const meterRef = useRef(null);
  const barRef = useRef(null);
  const limitS = Math.max(1, Number(maxSeconds) - LIMIT_MARGIN_S);

  const release = () => {
    const L = live.current;
    cancelAnimationFrame(L.frame);
    clearInterval(L.timer);
    clearTimeout(L.limit);
    if (L.stream) L.stream.getTracks().forEach((t) => t.stop());
    if (L.audio) L.audio.close().catch(() => null);
    L.stream = null;
    L.audio = null;
  };
  const showLevel = (percent) => {
    if (meterRef.current) meterRef.current.setAttribute("aria-valuenow", String(percent));
    if (barRef.current) barRef.current.style.width = `${percent}%`;
  };
  // The level is drawn straight into the DOM each frame: no React render per frame.
  const watchLevel = (stream) => {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    const audio = new Context();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 2048;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    live.current.audio = audio;
    const frame = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
      const db = 10 * Math.log10(sum / samples.length + 1e-12);
      showLevel(Math.round(Math.min(100, Math.max(0, ((db - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100))));
      live.current.frame = requestAnimationFrame(frame);
    };
    frame();
  };

  const start = async () => {
    setMessage("");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.MediaRecorder) {
      setMessage(MESSAGES.unsupported);
      return;
    }
    const format = pickFormat();
    if (!format) {
      setMessage(MESSAGES.unsupported);
      return;
    }
    setPhase("starting");
    let stream;
    try {
      // A piano, not a call: voice processing would flatten and gate the music.
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
    } catch (error) {
      setPhase("idle");
      setMessage(messageFor(error));
      return;
    }
    const L = live.current;
    L.stream = stream;
    L.limitHit = false;
    const chunks = [];
    const recorder = new MediaRecorder(stream, { mimeType: format.mime, audioBitsPerSecond: BITS_PER_SECOND });
    L.recorder = recorder;
    recorder.ondataavailable = (e) => e.data && e.data.size && chunks.push(e.data);
    recorder.onstart = () => {
      L.startedMs = performance.now();
      setPhase("recording");
      setElapsedS(0);
      L.timer = setInterval(() => setElapsedS((performance.now() - L.startedMs) / 1000), TICK_MS);
      L.limit = setTimeout(() => {
        L.limitHit = true;
        stop();
      }, limitS * 1000);
    };
    recorder.onstop = () => {
      const seconds = (performance.now() - L.startedMs) / 1000;
      release();
      showLevel(0);
      L.recorder = null;
      const file = new File(chunks, takeName(format.suffix), { type: format.type });
      setTake({ file, url: URL.createObjectURL(file), seconds });
      setElapsedS(seconds);
      setPhase("review");
      if (L.limitHit) {
        setMessage(`Recording stopped at ${formatClock(maxSeconds)}, the longest recording the transcriber accepts.`);
      }
    };
    recorder.onerror = () => {
      release();
      setPhase("idle");
      setMessage(MESSAGES.failed);
    };
    watchLevel(stream);
    recorder.start(CHUNK_MS);
  };

  const stop = () => {
    const recorder = live.current.recorder;
    if (recorder && recorder.state !== "inactive") recorder.stop();
  };

  const discard = () => {
    setTake(null); // its preview URL is revoked by the effect below
    setPhase("idle");
    setMessage("");
    setElapsedS(0);
  };

  // The take goes through the panel's own file input: react-dropzone sees a chosen file and
  // calls the same upload handler as a picked or dropped one.
  const transcribe = () => {
    const input = uploadInputId ? document.getElementById(uploadInputId) : null;
    if (!take || !input) {
      setMessage("The recording could not be sent. Reload the page and try again.");
      return;
    }
    const files = new DataTransfer();
    files.items.add(take.file);
    input.files = files.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    discard();
  };

  useEffect(() => () => {
    const recorder = live.current.recorder;
    if (recorder && recorder.state !== "inactive") {
      recorder.onstop = null;
      recorder.stop();
    }
    release();
  }, []);
  useEffect(() => () => take && URL.revokeObjectURL(take.url), [take]);

  const limitText = formatClock(maxSeconds);
  const recording = phase === "recording";
  return (
    <div role="group" aria-label="Record with the microphone" data-testid="audio-recorder" style={{ display: "flex", flexWrap: "wrap", alignItems: "center", gap: 12 }}>
      {phase === "review" && take ? (
        <>
          <audio controls src={take.url} aria-label="Your recording" data-testid="recording-preview" style={{ height: 32 }} />
          <span style={{ fontSize: "var(--font-size-2)", color: "var(--gray-11)" }}>{formatClock(take.seconds)} recorded</span>
          <button type="button" onClick={transcribe} disabled={disabled} style={buttonStyle("accent", true)} data-testid="transcribe-recording">
            Transcribe this recording
          </button>
          <button type="button" onClick={discard} style={buttonStyle("gray", false)} data-testid="discard-recording">
            Discard
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            onClick={recording ? stop : start}
            disabled={phase === "starting" || (disabled && !recording)}
            aria-pressed={recording}
            style={buttonStyle(recording ? "red" : "accent", recording)}
            data-testid={recording ? "stop-recording" : "record-audio"}
          >
            <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: recording ? 2 : "50%", background: recording ? "white" : "var(--red-9)" }} />
            {recording ? "Stop" : phase === "starting" ? "Waiting for the microphone…" : "Record"}
          </button>
          {recording ? (
            <>
              <div
                ref={meterRef}
                role="meter"
                aria-label="Input level"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={0}
                data-testid="input-level"
                style={{ width: 120, height: 8, borderRadius: 4, background: "var(--gray-a4)", overflow: "hidden" }}
              >
                <div ref={barRef} style={{ width: "0%", height: "100%", background: "var(--green-9)", transition: "width 60ms linear" }} />
              </div>
              <span role="timer" aria-label="Recording time" data-testid="recording-elapsed" style={{ fontVariantNumeric: "tabular-nums", fontSize: "var(--font-size-2)" }}>
                {formatClock(elapsedS)} / {limitText}
              </span>
            </>
          ) : (
            <span style={{ fontSize: "var(--font-size-2)", color: "var(--gray-11)" }}>Up to {limitText}</span>
          )}
        </>
      )}
      {message ? (
        <span role="alert" data-testid="recorder-message" style={{ fontSize: "var(--font-size-2)", color: phase === "review" ? "var(--gray-11)" : "var(--red-11)" }}>
          {message}
        </span>
      ) : null}
    </div>
  );
}

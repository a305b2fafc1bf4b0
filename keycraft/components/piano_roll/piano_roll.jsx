// The piano-roll canvas and Tone.js playback. Everything per-frame (drag, hover, playhead,
// sounding keys) lives in the browser; Python receives coarse commits (onCommit, onCommand,
// onSelect). This component holds the React side: props, the DOM, effects and the frame loop.
// The roll's state is one ``roll`` of named parts (roll_state.js) that the modules beside this
// file share: roll_view (maps, layout, zoom), roll_edits (server in and out, announcements),
// roll_player (Tone.js), pointer_gestures, lane_edits, roll_keyboard, roll_touch,
// roll_drawing and roll_inspect (window hooks).
import React, { useEffect, useRef, useState } from "react";
import { CONTEXT_ACTIONS } from "./touch_gestures.js";
import * as keys from "./roll_keys.js";
import { PEDAL_LANE_HEIGHT_PX, laneLabel } from "./pedal_lane.js";
import { MAX_KEY_HEIGHT_PX, MAX_PX_PER_BEAT, MIN_KEY_HEIGHT_PX, MIN_PX_PER_BEAT, SCROLLBAR_PX, VELOCITY_LANE_HEIGHT_PX, clamp } from "./geometry.js";
import { createRollState } from "./roll_state.js";
import { createViewControl } from "./roll_view.js";
import { createEdits } from "./roll_edits.js";
import { createRollPlayer } from "./roll_player.js";
import { createLaneEdits } from "./lane_edits.js";
import { createPointerGestures } from "./pointer_gestures.js";
import { FOCUS_RING, createRollKeyboard } from "./roll_keyboard.js";
import { createRollTouch } from "./roll_touch.js";
import { CURSOR_COLOUR, createPainter } from "./roll_drawing.js";
import { rollControls, rollInspector } from "./roll_inspect.js";

const VISUALLY_HIDDEN = { position: "absolute", width: 1, height: 1, padding: 0, margin: -1, overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap", border: 0 };
// "Saved" is said once edits are saved and this long passes with no new one.
const SAVED_ANNOUNCE_DELAY_MS = 1000;

// The roll's state and the modules working on it, made once per mount.
function createRoll(tool, patchSeq, dom) {
  const roll = createRollState({ tool, patchSeq, nowMs: Date.now() });
  roll.dom = dom;
  roll.callbacks = {};
  roll.ui = { setActionMenu: () => {} };
  roll.viewControl = createViewControl(roll);
  roll.edits = createEdits(roll);
  roll.player = createRollPlayer(roll);
  roll.lanes = createLaneEdits(roll);
  roll.pointer = createPointerGestures(roll);
  roll.keys = createRollKeyboard(roll);
  roll.touch = createRollTouch(roll);
  roll.painter = createPainter(roll);
  return roll;
}

function Legend({ compact }) {
  const swatch = (background, extra) => ({ display: "inline-block", width: 18, height: 10, borderRadius: 2, background, ...extra });
  return (
    <div data-testid="roll-legend" style={{ display: "flex", alignItems: "center", flexWrap: compact ? "nowrap" : "wrap", gap: compact ? 4 : 6, marginTop: compact ? 4 : 6, fontSize: compact ? 11 : 12, whiteSpace: "nowrap", overflow: "hidden", color: "var(--gray-11)" }}>
      <span>Velocity: soft</span>
      <span aria-hidden="true" style={swatch(`linear-gradient(to right, ${[1, 32, 64, 96, 127].map((v) => keys.VELOCITY_PALETTE[v]).join(", ")})`, { width: compact ? 48 : 96 })} />
      <span>loud</span>
      <span aria-hidden="true" style={swatch(keys.SELECTED_FILL, { marginLeft: compact ? 8 : 12, outline: "1px solid #0b0d12" })} />
      <span>selected</span>
      <span aria-hidden="true" style={swatch(keys.GRID_BACKGROUNDS[0], { marginLeft: compact ? 8 : 12, border: `2px dashed ${CURSOR_COLOUR}` })} />
      <span>{compact ? "cursor" : "keyboard cursor"}</span>
    </div>
  );
}

function ActionMenu({ at, onKeyDown, onAction }) {
  return (
    <div role="menu" aria-label="Selection actions" data-testid="roll-actions" onKeyDown={onKeyDown} style={{ position: "absolute", left: at.x, top: at.y, display: "flex", flexDirection: "column", minWidth: 132, padding: 4, borderRadius: 8, background: "var(--color-panel-solid)", border: "1px solid var(--gray-a6)", boxShadow: "0 6px 20px rgba(0, 0, 0, 0.35)" }}>
      {CONTEXT_ACTIONS.map((action) => (
        <button key={action.id} type="button" role="menuitem" data-action={action.id} onClick={() => onAction(action)} style={{ minHeight: 36, padding: "0 12px", textAlign: "left", border: 0, borderRadius: 6, background: "transparent", color: "var(--gray-12)", font: "inherit", fontSize: 14 }}>
          {action.label}
        </button>
      ))}
    </div>
  );
}

export function PianoRoll(props) {
  const {
    notesJson = "[]",
    loadRevision = 0,
    patchJson = "",
    patchSeq = 0,
    tempoBpm = 120,
    beatsPerBar = 4,
    beatUnit = 4,
    tempoMapJson = "",
    timeSignatureMapJson = "",
    snapTicks = 120,
    tool = "draw",
    showNoteNames = false,
    keyName = "C major",
    metronome = false,
    loopEnabled = false,
    loopStartTick = 0,
    loopEndTick = 7680,
    firstDownbeatTick = -1,
    volumeDb = -6,
    audioUrl = "",
    midiMuted = false,
    audioMuted = false,
    practiceSpeed = 1,
    pxPerBeat = 96,
    keyHeightPx = 12,
    viewRevision = 0,
    heightPx = 560,
    fillHeight = false,
    savedSeq = 0,
    readOnly = false,
    onCommit,
    onPedalChange,
    onCommand,
    onSelect,
    onToolChange,
    onLoopChange,
    onFirstDownbeat,
    onViewChange,
  } = props;

  const containerRef = useRef(null);
  const canvasRef = useRef(null);
  // Screen-reader text: what the roll shows (its description) and what just changed (polite).
  const statusRef = useRef(null);
  const announcerRef = useRef(null);
  const pedalLaneRef = useRef(null);
  const [actionMenu, setActionMenu] = useState(null);
  // Everything mutable lives in one ``roll`` so event handlers and the frame loop share it
  // without re-rendering React on every pointer move.
  const rollRef = useRef(null);
  if (rollRef.current === null) {
    rollRef.current = createRoll(tool, patchSeq, { container: containerRef, canvas: canvasRef, status: statusRef, announcer: announcerRef, pedalLane: pedalLaneRef });
  }
  const roll = rollRef.current;
  const { view, frame, gesture, saving, timers, playback } = roll;
  roll.props = props;
  roll.callbacks = { onCommit, onPedalChange, onCommand, onSelect, onToolChange, onLoopChange, onFirstDownbeat, onViewChange };
  roll.ui.setActionMenu = setActionMenu;
  // The toolbar's tool wins whenever it changes; a shortcut changes gesture.tool in between.
  // Read during render, like the props, so a click right after the change sees it.
  if (gesture.toolProp !== tool) {
    gesture.toolProp = tool;
    gesture.tool = tool;
  }

  useEffect(() => {
    // The zoom the project was left with, once per open (before the notes scroll into view).
    if (!viewRevision || roll.props.fitToNotes) return;
    view.pxPerBeat = clamp(Number(pxPerBeat) || 96, MIN_PX_PER_BEAT, MAX_PX_PER_BEAT);
    view.keyHeightPx = clamp(Number(keyHeightPx) || 12, MIN_KEY_HEIGHT_PX, MAX_KEY_HEIGHT_PX);
    view.scrollYPx = 0;
    roll.viewControl.showTwoBars();
    frame.dirty = true;
  }, [viewRevision]);

  useEffect(() => {
    roll.edits.loadScore(notesJson, roll.props.pedalsJson);
  }, [loadRevision]);

  useEffect(() => {
    roll.edits.applyPatch(patchSeq, patchJson);
  }, [patchSeq]);

  useEffect(() => {
    // "Saved" once edits are saved and a second passes with no new one (not after each).
    clearTimeout(timers.saved);
    if (!saving.lastSentSeq || roll.edits.hasUnsaved()) return;
    timers.saved = setTimeout(() => {
      if (roll.edits.hasUnsaved() || saving.announcedSaveSeq === saving.lastSentSeq) return;
      saving.announcedSaveSeq = saving.lastSentSeq;
      roll.edits.announce("Saved");
    }, SAVED_ANNOUNCE_DELAY_MS);
  }, [savedSeq]);

  useEffect(() => {
    // Python echoed (or changed) the loop: its values replace the one being shown.
    if (!gesture.drag || gesture.drag.kind !== "loop") roll.loop.draft = null;
    frame.dirty = true;
  }, [loopEnabled, loopStartTick, loopEndTick]);

  useEffect(() => {
    // Another key: the keyboard, the labels and the description name notes anew.
    roll.edits.updateStatus();
    frame.dirty = true;
  }, [keyName]);

  useEffect(() => {
    // Python moved bar 1 (a drop, the panel's buttons, a tap, undo): the handle and the bar
    // numbers follow, and the description names the cursor's bar anew.
    roll.edits.updateStatus();
    frame.dirty = true;
  }, [firstDownbeatTick]);

  useEffect(() => {
    roll.player.syncAudio();
    roll.player.applySpeed();
    if (playback.instruments || roll.player.isPlaying()) roll.player.applyTransportSettings();
    frame.dirty = true;
  }, [tempoBpm, tempoMapJson, timeSignatureMapJson, beatsPerBar, beatUnit, loopEnabled, loopStartTick, loopEndTick, volumeDb, audioUrl, audioMuted, midiMuted, snapTicks, showNoteNames, metronome, practiceSpeed]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const { player, pointer, viewControl } = roll;
    canvas.addEventListener("wheel", pointer.onWheel, { passive: false });
    let frameId = 0;
    const onFrame = () => {
      if (player.isPlaying()) {
        player.readPlayhead();
        viewControl.followPlayhead();
        frame.dirty = true;
      }
      if (frame.dirty) {
        frame.dirty = false;
        roll.painter.draw();
      }
      frameId = requestAnimationFrame(onFrame);
    };
    frameId = requestAnimationFrame(onFrame);
    const resizeObserver = new ResizeObserver(() => {
      viewControl.fitView();
      if (canvas.clientWidth !== frame.fitWidthPx) viewControl.showTwoBars();
      frame.dirty = true;
    });
    // Capture phase: these run before the page's own unload handlers close the socket, so a
    // gesture in progress is still sent. The browser asks before leaving only while an edit
    // has not been acknowledged as saved.
    const onBeforeUnload = (e) => {
      pointer.finishGesture();
      if (roll.edits.hasUnsaved()) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    const onPageHide = () => pointer.finishGesture();
    const onVisibility = () => {
      if (document.visibilityState === "hidden") pointer.finishGesture();
    };
    document.addEventListener("keydown", roll.keys.onDocumentKey);
    window.addEventListener("beforeunload", onBeforeUnload, { capture: true });
    window.addEventListener("pagehide", onPageHide, { capture: true });
    document.addEventListener("visibilitychange", onVisibility, { capture: true });
    document.addEventListener("pointerdown", player.warmUp, { capture: true });
    document.addEventListener("keydown", player.warmUp, { capture: true });
    resizeObserver.observe(canvas);
    const stopListeningToClock = player.listenToClock();
    window.keycraftPianoRoll = rollControls(roll);
    window.__keycraftMounts = (window.__keycraftMounts || 0) + 1;
    window.__keycraft = rollInspector(roll);
    return () => {
      cancelAnimationFrame(frameId);
      stopListeningToClock();
      resizeObserver.disconnect();
      document.removeEventListener("keydown", roll.keys.onDocumentKey);
      window.removeEventListener("beforeunload", onBeforeUnload, { capture: true });
      window.removeEventListener("pagehide", onPageHide, { capture: true });
      document.removeEventListener("visibilitychange", onVisibility, { capture: true });
      document.removeEventListener("pointerdown", player.warmUp, { capture: true });
      document.removeEventListener("keydown", player.warmUp, { capture: true });
      canvas.removeEventListener("wheel", pointer.onWheel);
      player.dispose();
      clearTimeout(timers.viewReport);
      clearTimeout(timers.saved);
    };
  }, []);

  // Mouse and pen go to the pointer module, fingers to the touch one.
  const onCanvasPointer = (handler) => (e) => (e.pointerType === "touch" ? roll.touch.onTouchPointer(e) : handler(e));
  return (
    <div style={fillHeight ? { width: "100%", height: "100%", display: "flex", flexDirection: "column" } : { width: "100%" }}>
      <div
        ref={containerRef}
        tabIndex={0}
        role="application"
        aria-label={readOnly ? "Piano roll, read-only: press Space to play or pause" : "Piano roll: arrows move the cursor, Enter adds a note, Tab walks the notes, ? lists every key"}
        aria-describedby={readOnly ? undefined : "piano-roll-status"}
        data-testid="piano-roll"
        onKeyDown={roll.keys.onKeyDown}
        onFocus={roll.keys.onFocus}
        onBlur={roll.keys.onBlur}
        style={{ width: "100%", height: fillHeight ? undefined : `${heightPx}px`, flex: fillHeight ? "1 1 0" : undefined, minHeight: 0, outline: "none", outlineOffset: 2, borderRadius: 8, overflow: "hidden", border: "1px solid var(--gray-a6)", position: "relative" }}
      >
        <canvas
          ref={canvasRef}
          onPointerDown={onCanvasPointer(roll.pointer.onPointerDown)}
          onPointerMove={onCanvasPointer(roll.pointer.onPointerMove)}
          onPointerUp={onCanvasPointer(roll.pointer.onPointerUp)}
          onPointerCancel={onCanvasPointer(roll.pointer.onPointerUp)}
          onContextMenu={(e) => roll.touch.touchActive() && e.preventDefault()}
          style={{ width: "100%", height: "100%", display: "block", touchAction: readOnly ? "auto" : "none" }}
        />
        {readOnly ? null : (
          // The pedal lane for the keyboard and screen readers: the canvas draws it, pointers
          // pass through to the canvas, and focus shows a ring around the strip.
          <div
            ref={pedalLaneRef}
            tabIndex={0}
            role="group"
            aria-label={laneLabel(roll.score.pedals.length)}
            data-testid="pedal-lane"
            onKeyDown={roll.lanes.onPedalLaneKey}
            onFocus={(e) => {
              e.stopPropagation();
              e.currentTarget.style.outline = FOCUS_RING;
              roll.lanes.refreshPedalLabel();
            }}
            onBlur={(e) => {
              e.stopPropagation();
              e.currentTarget.style.outline = "none";
            }}
            style={{ position: "absolute", left: 0, right: SCROLLBAR_PX, bottom: SCROLLBAR_PX + VELOCITY_LANE_HEIGHT_PX, height: PEDAL_LANE_HEIGHT_PX, pointerEvents: "none", outline: "none", outlineOffset: -3 }}
          />
        )}
        {actionMenu && <ActionMenu at={actionMenu} onKeyDown={roll.touch.onActionMenuKey} onAction={roll.touch.runAction} />}
      </div>
      <div id="piano-roll-status" ref={statusRef} style={VISUALLY_HIDDEN} data-testid="roll-status" />
      <div ref={announcerRef} aria-live="polite" aria-atomic="false" aria-relevant="additions" style={VISUALLY_HIDDEN} data-testid="roll-announcements" />
      {readOnly ? null : <Legend compact={Boolean(fillHeight)} />}
    </div>
  );
}

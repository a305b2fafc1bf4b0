// The recorders' buttons: a Radix-like pill in an accent colour, solid while it acts
// (recording) and soft otherwise. Shared by the microphone and the MIDI recorder.
export const buttonStyle = (accent, solid) => ({
  display: "inline-flex",
  alignItems: "center",
  gap: 6,
  height: 32,
  padding: "0 12px",
  borderRadius: "max(var(--radius-2), var(--radius-full))",
  border: "none",
  cursor: "pointer",
  font: "inherit",
  fontSize: "var(--font-size-2)",
  fontWeight: "var(--font-weight-medium)",
  color: solid ? "white" : `var(--${accent}-11)`,
  background: solid ? `var(--${accent}-9)` : `var(--${accent}-a3)`,
});

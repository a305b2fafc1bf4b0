"""Pure note maths for the editor: timing, snapping, edits, undo and MIDI files."""

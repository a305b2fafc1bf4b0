"""KeyCraft: record or upload piano, get MIDI, fix it in the browser, play it back."""

// Note names spelled for a key: F♯4 in D major, G♭4 in D♭ major, G♯4 (the leading tone) in
// A minor. piano_roll.jsx names keyboard keys, note labels and announcements with it;
// note_names.test.js runs it under `bun test`. Key names are keycraft/services/notes/key.py's.

const LETTERS = ["C", "D", "E", "F", "G", "A", "B"];
const LETTER_PC = [0, 2, 4, 5, 7, 9, 11];
const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];
const NATURAL_MINOR_STEPS = [0, 2, 3, 5, 7, 8, 10];
// Doubled signs, not 𝄪 and 𝄫: few fonts draw those, and the canvas would show empty boxes.
const ACCIDENTALS = { "-2": "♭♭", "-1": "♭", 0: "", 1: "♯", 2: "♯♯" };
const WHITE_PCS = new Set(LETTER_PC);
// Chromatic black keys in C major and A minor, as most often written there.
const C_MAJOR_BLACK_KEYS = { 1: ["C", 1], 3: ["E", -1], 6: ["F", 1], 8: ["G", 1], 10: ["B", -1] };

export const DEFAULT_KEY = "C major";

// "D major", "F# minor", "B♭ minor" → { letter: 1, accidental: -1, mode: "minor" }; null if not a key.
export function parseKey(name) {
  const match = /^\s*([A-Ga-g])\s*(#|♯|b|♭)?\s+(major|minor)\s*$/i.exec(String(name || ""));
  if (!match) return null;
  const accidental = !match[2] ? 0 : match[2] === "#" || match[2] === "♯" ? 1 : -1;
  return { letter: LETTERS.indexOf(match[1].toUpperCase()), accidental, mode: match[3].toLowerCase() };
}

const pcOf = (letter, accidental) => (((LETTER_PC[letter] + accidental) % 12) + 12) % 12;
// The accidental that makes ``letter`` sound as pitch class ``pc`` (-6 to 5).
const accidentalFor = (letter, pc) => ((((pc - LETTER_PC[letter]) % 12) + 18) % 12) - 6;

// The twelve pitch classes spelled for ``keyName`` as [letter index, accidental] pairs.
// The key's own notes keep their letters; in a minor key its raised sixth and seventh too;
// any other white key is a natural; other black keys are sharps in sharp keys, flats in flat
// keys, and in C major and A minor C♯, E♭, F♯, G♯, B♭. An unknown key reads as C major.
export function keySpelling(keyName) {
  const key = parseKey(keyName) || parseKey(DEFAULT_KEY);
  const tonicPc = pcOf(key.letter, key.accidental);
  const minor = key.mode === "minor";
  const steps = minor ? NATURAL_MINOR_STEPS : MAJOR_STEPS;
  const spelled = new Array(12).fill(null);
  let side = 0;
  steps.forEach((step, degree) => {
    const letter = (key.letter + degree) % 7;
    const pc = (tonicPc + step) % 12;
    const accidental = accidentalFor(letter, pc);
    side = side || Math.sign(accidental);
    spelled[pc] = [letter, accidental];
  });
  if (minor) {
    for (const [degree, step] of [[5, 9], [6, 11]]) {
      const letter = (key.letter + degree) % 7;
      const pc = (tonicPc + step) % 12;
      spelled[pc] = [letter, accidentalFor(letter, pc)];
    }
  }
  for (let pc = 0; pc < 12; pc++) {
    if (spelled[pc]) continue;
    if (WHITE_PCS.has(pc)) spelled[pc] = [LETTER_PC.indexOf(pc), 0];
    else if (side > 0) spelled[pc] = [LETTER_PC.indexOf(pc - 1), 1];
    else if (side < 0) spelled[pc] = [LETTER_PC.indexOf((pc + 1) % 12), -1];
    else {
      const [letter, accidental] = C_MAJOR_BLACK_KEYS[pc];
      spelled[pc] = [LETTERS.indexOf(letter), accidental];
    }
  }
  return spelled;
}

// "F♯4": the name of MIDI ``pitch`` under a spelling; the octave is the letter's (B♯3 is C4).
export function spellPitch(pitch, spelling) {
  const [letter, accidental] = spelling[((pitch % 12) + 12) % 12];
  const octave = Math.floor((pitch - accidental - LETTER_PC[letter]) / 12) - 1;
  return `${LETTERS[letter]}${ACCIDENTALS[accidental]}${octave}`;
}

// A namer for one key: (pitch) → "G♭4". Spellings are built once per key name.
const namers = new Map();
export function noteNamer(keyName) {
  const name = parseKey(keyName) ? keyName : DEFAULT_KEY;
  if (!namers.has(name)) {
    const spelling = keySpelling(name);
    namers.set(name, (pitch) => spellPitch(pitch, spelling));
  }
  return namers.get(name);
}

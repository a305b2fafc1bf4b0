// Run with `bun test keycraft/components/piano_roll` (tests/unit/components/test_bun_suites.py runs it).
import { describe, expect, test } from "bun:test";
import { DEFAULT_KEY, keySpelling, noteNamer, parseKey, spellPitch } from "./note_names.js";

const names = (keyName, pitches) => pitches.map(noteNamer(keyName));
const OCTAVE_FROM_C4 = [60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71];

describe("parseKey", () => {
  test("reads stored and shown key names", () => {
    expect(parseKey("D major")).toEqual({ letter: 1, accidental: 0, mode: "major" });
    expect(parseKey("F# minor")).toEqual({ letter: 3, accidental: 1, mode: "minor" });
    expect(parseKey("B♭ minor")).toEqual({ letter: 6, accidental: -1, mode: "minor" });
    expect(parseKey("Db major")).toEqual({ letter: 1, accidental: -1, mode: "major" });
  });
  test("anything else is not a key", () => {
    for (const text of ["", null, undefined, "estimated", "H major", "D dorian", "D"]) expect(parseKey(text)).toBeNull();
  });
});

describe("spelled for the key", () => {
  test("D major spells F♯4 and C♯5", () => {
    expect(noteNamer("D major")(66)).toBe("F♯4");
    expect(noteNamer("D major")(73)).toBe("C♯5");
  });
  test("D♭ major spells G♭4, and its other keys as naturals", () => {
    expect(noteNamer("Db major")(66)).toBe("G♭4");
    expect(noteNamer("D♭ major")(66)).toBe("G♭4");
    expect(names("Db major", OCTAVE_FROM_C4)).toEqual(["C4", "D♭4", "D4", "E♭4", "E4", "F4", "G♭4", "G4", "A♭4", "A4", "B♭4", "B4"]);
  });
  test("C major is the default, with C♯, E♭, F♯, G♯ and B♭", () => {
    const expected = ["C4", "C♯4", "D4", "E♭4", "E4", "F4", "F♯4", "G4", "G♯4", "A4", "B♭4", "B4"];
    expect(names("C major", OCTAVE_FROM_C4)).toEqual(expected);
    expect(names("", OCTAVE_FROM_C4)).toEqual(expected);
    expect(names("not a key", OCTAVE_FROM_C4)).toEqual(expected);
    expect(DEFAULT_KEY).toBe("C major");
  });
  test("sharp keys use sharps, flat keys flats, for notes outside the key", () => {
    expect(names("E major", [63, 65, 70])).toEqual(["D♯4", "F4", "A♯4"]);
    expect(names("Eb major", [61, 66, 71])).toEqual(["D♭4", "G♭4", "B4"]);
  });
  test("minor keys spell their raised sixth and seventh", () => {
    expect(names("A minor", [66, 68, 72])).toEqual(["F♯4", "G♯4", "C5"]);
    expect(names("D minor", [61, 70, 71])).toEqual(["C♯4", "B♭4", "B4"]);
    expect(names("C minor", [63, 68, 70, 71])).toEqual(["E♭4", "A♭4", "B♭4", "B4"]);
    expect(names("F# minor", [61, 65, 66])).toEqual(["C♯4", "E♯4", "F♯4"]);
    expect(names("G# minor", [67, 68])).toEqual(["F♯♯4", "G♯4"]);
  });
  test("the octave number is the written letter's: C♭ and E♯ across the octave line", () => {
    expect(noteNamer("Eb minor")(59)).toBe("C♭4");
    expect(noteNamer("Eb minor")(71)).toBe("C♭5");
    expect(noteNamer("F# major")(77)).toBe("E♯5");
    expect(noteNamer("C# minor")(72)).toBe("B♯4");
  });
  test("every key names all twelve pitch classes, each with its own spelling", () => {
    const tonics = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B", "C#", "G#"];
    for (const tonic of tonics) {
      for (const mode of ["major", "minor"]) {
        const spelling = keySpelling(`${tonic} ${mode}`);
        expect(spelling.every(Boolean)).toBe(true);
        const seen = new Set(OCTAVE_FROM_C4.map((p) => spellPitch(p, spelling).replace(/-?\d+$/, "")));
        expect(seen.size).toBe(12);
      }
    }
  });
  test("the lowest and highest piano keys", () => {
    expect(noteNamer("C major")(21)).toBe("A0");
    expect(noteNamer("C major")(108)).toBe("C8");
    expect(noteNamer("Db major")(22)).toBe("B♭0");
  });
});

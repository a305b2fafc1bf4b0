"""The sampled piano renders a score the same way every time it is asked."""

from __future__ import annotations

import numpy as np

from transcriber.evaluation.pieces import ScoreNote
from transcriber.evaluation.sampled_piano import RATE_HZ, load_bank, render_notes


def test_a_damped_note_leaves_the_shared_sample_untouched() -> None:
    bank = load_bank()
    # Middle C is one of the recorded pitches, so it is played from the sample unshifted;
    # its damper is applied to the note's own sound, never to the sample the next note uses.
    short = (ScoreNote(0.1, 0.3, 60, 80),)
    first = render_notes(short, bank, tail_s=1.0)
    again = render_notes(short, bank, tail_s=1.0)
    np.testing.assert_array_equal(first, again)
    # A long note after a short one sounds as long as it would alone.
    long_alone = render_notes((ScoreNote(0.1, 1.5, 60, 80),), bank, tail_s=0.5)
    after_short = render_notes((*short, ScoreNote(2.0, 3.4, 60, 80)), bank, tail_s=0.5)
    offset = int(round(1.9 * RATE_HZ))
    window = slice(int(0.8 * RATE_HZ), int(1.4 * RATE_HZ))
    later = after_short[offset:][window]
    np.testing.assert_allclose(later, long_alone[window], atol=1e-6)

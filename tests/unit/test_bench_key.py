"""The key bench labels every piece it reads, and the editor's profile keeps its figures."""

from bench.key_bench import WRITTEN_KEYS, cases, score, signature
from keycraft.services.notes.key import DEFAULT_PROFILE, MusicalKey


def test_every_piece_has_a_written_key_and_notes() -> None:
    bench = cases()
    assert sorted(case.name for case in bench) == sorted(WRITTEN_KEYS)
    assert all(sum(case.weights) > 0 for case in bench)
    assert {case.key.mode for case in bench} == {"major", "minor"}


def test_relative_keys_share_a_signature() -> None:
    assert signature(MusicalKey(9, "minor")) == signature(MusicalKey(0, "major"))
    assert signature(MusicalKey(2, "minor")) != signature(MusicalKey(2, "major"))


def test_the_editors_profile_names_21_of_22_keys_and_every_signature() -> None:
    figures = score(DEFAULT_PROFILE, cases())
    assert figures["correct"] == 21 and figures["pieces"] == 22
    assert figures["signature_accuracy"] == 1.0

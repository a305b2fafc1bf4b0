"""Assignment is weighted, deterministic, sticky, and independent across experiments."""

from __future__ import annotations

import dataclasses
import uuid

from scipy.stats import chisquare

from keycraft.services.experiments.assignment import (
    assign,
    is_bot,
    is_visitor_id,
    new_visitor_id,
    parse_override,
)
from keycraft.services.experiments.catalog import EXPERIMENTS, HERO_HEADLINE
from keycraft.services.experiments.model import Metric, Status, Variant
from keycraft.services.experiments.service import choose_variant, visitor_id_from_cookie_header

THREE_WAY = dataclasses.replace(
    HERO_HEADLINE,
    key="three_way",
    variants=(Variant("control", 50), Variant("b", 30), Variant("c", 20)),
)


def _visitors(count: int, seed: int) -> list[str]:
    # uuid5 gives reproducible but hash-unrelated ids, so the test never flakes.
    namespace = uuid.UUID(int=seed)
    return [uuid.uuid5(namespace, str(i)).hex for i in range(count)]


def test_assignment_follows_the_weights_within_chi_square_tolerance() -> None:
    visitors = _visitors(5000, seed=1)
    counts = {key: 0 for key in THREE_WAY.variant_keys}
    for visitor in visitors:
        counts[assign(THREE_WAY, visitor)] += 1
    expected = [len(visitors) * v.weight / 100 for v in THREE_WAY.variants]
    result = chisquare(list(counts.values()), expected)
    assert result.pvalue > 0.001, counts
    # A broken hash (e.g. everyone in one arm) is far outside the tolerance.
    assert chisquare([5000, 0, 0], expected).pvalue < 1e-9


def test_assignment_is_sticky_for_a_visitor() -> None:
    for visitor in _visitors(200, seed=2):
        first = assign(THREE_WAY, visitor)
        assert all(assign(THREE_WAY, visitor) == first for _ in range(3))


def test_experiments_and_versions_split_visitors_independently() -> None:
    visitors = _visitors(2000, seed=3)
    other = dataclasses.replace(THREE_WAY, key="other_test")
    bumped = dataclasses.replace(THREE_WAY, version=2)
    same_other = sum(assign(THREE_WAY, v) == assign(other, v) for v in visitors)
    same_bumped = sum(assign(THREE_WAY, v) == assign(bumped, v) for v in visitors)
    # Independent 50/30/20 splits agree with probability .25 + .09 + .04 = .38.
    assert 0.33 < same_other / len(visitors) < 0.43
    assert 0.33 < same_bumped / len(visitors) < 0.43


def test_fingerprint_changes_with_weights_and_version_only() -> None:
    reweighted = dataclasses.replace(
        THREE_WAY, variants=(Variant("control", 40), *THREE_WAY.variants[1:])
    )
    assert reweighted.fingerprint() != THREE_WAY.fingerprint()
    assert dataclasses.replace(THREE_WAY, version=2).fingerprint() != THREE_WAY.fingerprint()
    assert dataclasses.replace(THREE_WAY, status=Status.STOPPED).fingerprint() == (
        THREE_WAY.fingerprint()
    )


def test_visitor_ids_are_32_hex_digits() -> None:
    assert is_visitor_id(new_visitor_id())
    assert new_visitor_id() != new_visitor_id()
    for bad in ("", "abc", "G" * 32, new_visitor_id() + "0", "../" + "a" * 29):
        assert not is_visitor_id(bad)


def test_bots_and_scripts_are_recognised_but_browsers_are_not() -> None:
    chrome = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36"
    )
    iphone = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
    )
    assert not is_bot(chrome)
    assert not is_bot(iphone)
    for bot in (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "python-requests/2.32",
        "curl/8.5.0",
        "",
    ):
        assert is_bot(bot), bot


def test_override_accepts_only_declared_experiments_and_variants() -> None:
    assert parse_override("hero_headline:outcome", EXPERIMENTS) == {"hero_headline": "outcome"}
    assert parse_override("hero_headline:outcome,pricing_cta:try_free", EXPERIMENTS) == {
        "hero_headline": "outcome",
        "pricing_cta": "try_free",
    }
    assert parse_override("hero_headline:nope,missing:control,garbage", EXPERIMENTS) == {}


def test_choice_counts_only_running_experiments_for_real_visitors() -> None:
    visitor = new_visitor_id()
    assert choose_variant(HERO_HEADLINE, visitor, bot=False).counted
    assert choose_variant(HERO_HEADLINE, visitor, bot=False).variant == assign(
        HERO_HEADLINE, visitor
    )
    bot = choose_variant(HERO_HEADLINE, visitor, bot=True)
    assert (bot.variant, bot.counted) == ("control", False)
    draft = dataclasses.replace(HERO_HEADLINE, status=Status.DRAFT)
    assert choose_variant(draft, visitor, bot=False).counted is False
    staff = choose_variant(HERO_HEADLINE, visitor, bot=False, override="outcome")
    assert (staff.variant, staff.counted) == ("outcome", False)


def test_every_declared_experiment_is_valid_and_unique() -> None:
    assert len({e.key for e in EXPERIMENTS}) == len(EXPERIMENTS)
    for experiment in EXPERIMENTS:
        assert experiment.problems() == []
        assert experiment.metric in Metric


def test_invalid_declarations_are_reported() -> None:
    bad = dataclasses.replace(
        HERO_HEADLINE, key="Bad Key", variants=(Variant("a", 0), Variant("a", 1)), version=0
    )
    assert len(bad.problems()) == 4


def test_the_visitor_id_is_read_from_a_cookie_header() -> None:
    visitor = new_visitor_id()
    assert visitor_id_from_cookie_header(f"kc_session=abc; kc_vid={visitor}") == visitor
    assert visitor_id_from_cookie_header("kc_vid=not-an-id") == ""
    assert visitor_id_from_cookie_header("") == ""
    assert visitor_id_from_cookie_header('kc_vid="unterminated') == ""

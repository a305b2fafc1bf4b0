"""Which settings are safe to serve with: development defaults only on localhost."""

from __future__ import annotations

import pytest

from keycraft.config import Settings, deployment_problems

STRONG = "k" * 40


def _settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type, call-arg]


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"APP_URL": "http://127.0.0.1:3000"},
        {"APP_URL": "http://keycraft.localhost:3000"},
        {"KEYCRAFT_ENV": "prod", "SECRET_KEY": STRONG, "APP_URL": "https://keycraft.org"},
        {"KEYCRAFT_ENV": "prod", "SECRET_KEY": STRONG},
    ],
)
def test_local_development_and_a_configured_production_are_fine(values: dict[str, str]) -> None:
    assert deployment_problems(_settings(**values)) == []


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"KEYCRAFT_ENV": "prod"}, "development default"),
        ({"KEYCRAFT_ENV": "prod", "APP_URL": "https://keycraft.org"}, "development default"),
        ({"KEYCRAFT_ENV": "prod", "SECRET_KEY": "short"}, "shorter than 32"),
        ({"APP_URL": "https://keycraft.org", "SECRET_KEY": STRONG}, "KEYCRAFT_ENV is dev"),
        ({"APP_URL": "https://localhost.evil.example"}, "development default"),
    ],
)
def test_defaults_off_localhost_are_refused(values: dict[str, str], problem: str) -> None:
    found = deployment_problems(_settings(**values))
    assert any(problem in p for p in found), found

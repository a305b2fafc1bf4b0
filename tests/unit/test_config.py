"""Settings the browser recorder depends on."""

import pytest
from pydantic import ValidationError

from keycraft.config import Settings


def test_the_transcribers_duration_limit_is_read_from_its_own_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TRANSCRIBER_MAX_DURATION_S", raising=False)
    assert Settings(_env_file=None).transcriber_max_duration_s == 1800.0  # type: ignore[call-arg]
    monkeypatch.setenv("TRANSCRIBER_MAX_DURATION_S", "90")
    assert Settings(_env_file=None).transcriber_max_duration_s == 90.0  # type: ignore[call-arg]
    monkeypatch.setenv("TRANSCRIBER_MAX_DURATION_S", "0")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]

"""Helpers for staff journeys: the manage command against a served app, fresh visitors."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, BrowserContext, Page, expect

from keycraft.config import PROJECT_ROOT
from keycraft.services.experiments.catalog import find_experiment
from keycraft.services.experiments.lifecycle import declared_lifecycle
from keycraft.services.experiments.live import stored_lifecycles
from keycraft.services.experiments.model import Experiment
from keycraft.services.repository.port import Repository
from tests.support.app_server import RunningApp
from tests.support.visitors import set_visitor_cookie, visitor_context


def manage(app: RunningApp, *args: str) -> str:
    """Run ``python -m keycraft.manage ARGS`` with the served app's settings; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "keycraft.manage", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **app.env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def shown_variant(page: Page, experiment: Experiment) -> str:
    """The variant of ``experiment`` the page renders (once assigned)."""
    slot = page.locator(f'[data-experiment="{experiment.key}"]')
    expect(slot).to_have_count(1)
    return slot.get_attribute("data-variant") or ""


class Visitors:
    """Fresh visitor browsers, kept open until :meth:`close` so their exposures get sent."""

    def __init__(self, browser: Browser, app: RunningApp) -> None:
        self._browser, self._app = browser, app
        self._contexts: list[BrowserContext] = []

    def pricing(self, visitor_id: str, experiment: Experiment) -> str:
        """A visitor with this id opens the home page, clicks Pricing; the variant they see."""
        context = visitor_context(self._browser)
        self._contexts.append(context)
        set_visitor_cookie(context, self._app, visitor_id)
        page = context.new_page()
        page.goto(self._app.url)
        page.get_by_role("banner").get_by_role("link", name="Pricing").first.click()
        page.wait_for_url("**/pricing")
        return shown_variant(page, experiment)

    def close(self) -> None:
        """Close every visitor's browser."""
        for context in self._contexts:
            context.close()
        self._contexts.clear()


def until(check: Callable[[], bool], timeout_s: float = 15.0) -> float:
    """Poll ``check()`` until true; return the seconds it took (AssertionError on timeout)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"not true within {timeout_s} s")


@contextmanager
def restored_after(repo: Repository, key: str) -> Iterator[None]:
    """Put the experiment back to its declaration (as a new draft version) afterwards.

    The served app is shared by the whole run, and other journeys expect the catalog's
    starting state; a fresh version keeps this journey's counts apart from theirs.
    """
    try:
        yield
    finally:
        experiment = find_experiment(key)
        assert experiment is not None
        current = stored_lifecycles(repo, fresh=True).get(key)
        if current is not None:
            reset = dataclasses.replace(
                declared_lifecycle(experiment),
                version=current.version + 1,
                revision=current.revision + 1,
            )
            repo.save_experiment_lifecycle(reset)

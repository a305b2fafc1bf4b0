"""Staff actions on experiments: start, pause, resume, stop, split, ramp, declare a winner."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import Conflict, DomainError, NotFound
from keycraft.services.experiments import admin
from keycraft.services.experiments.lifecycle import LifecycleRefused
from keycraft.state.experiment_results import ExperimentResultsState
from keycraft.state.staff_admin import StaffAdminState, error_message
from keycraft.state.staff_guard import acting_staff

DONE = {
    "start": "{key} is running.",
    "pause": "{key} is paused: new visitors see the control and are not counted.",
    "resume": "{key} is running again.",
    "stop": "{key} is stopped: everyone sees the control.",
    "split": "{key} has a new split, counted as a new version.",
    "ramp": "{key} now lets in {percent}% of visitors.",
    "winner": "{variant} is now served to everyone who sees {key}.",
}
CONFLICT = "Someone else changed this experiment just now. The page shows the latest; try again."
SRM_BLOCKED = "No winner can be declared while the sample ratio mismatch warning is shown."
BAD_NUMBER = "Enter whole numbers."


def _whole(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


class ExperimentAdminState(rx.State):
    """Runs one staff action at a time; weight changes and winners are confirmed first."""

    notice: str = ""
    error: str = ""
    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    _pending: dict[str, Any] = {}

    async def _run(self, action: str, key: str, **args: Any) -> None:
        self.notice = self.error = ""
        repo = get_services().repository
        try:
            actor = await acting_staff(self)
            if action == "split":
                await asyncio.to_thread(admin.reweigh, repo, actor, key, args["weights"], utc_now())
            elif action == "ramp":
                await asyncio.to_thread(admin.ramp, repo, actor, key, args["percent"], utc_now())
            elif action == "winner":
                await asyncio.to_thread(
                    admin.declare_winner, repo, actor, key, args["variant"], utc_now()
                )
            else:
                change = getattr(admin, action)
                await asyncio.to_thread(change, repo, actor, key, utc_now())
            self.notice = DONE[action].format(key=key, **args)
        except LifecycleRefused as exc:
            self.error = exc.user_message
        except admin.SampleRatioMismatch:
            self.error = SRM_BLOCKED
        except Conflict:
            self.error = CONFLICT
        except NotFound:
            self.error = "There is no such experiment."
        except DomainError as exc:
            self.error = error_message(exc)
        await (await self.get_state(ExperimentResultsState)).refresh()
        await (await self.get_state(StaffAdminState)).refresh()

    @rx.event
    async def start(self, key: str) -> None:
        """Start (or restart) an experiment."""
        await self._run("start", key)

    @rx.event
    async def pause(self, key: str) -> None:
        """Pause a running experiment."""
        await self._run("pause", key)

    @rx.event
    async def resume(self, key: str) -> None:
        """Resume a paused experiment."""
        await self._run("resume", key)

    @rx.event
    async def stop(self, key: str) -> None:
        """Stop an experiment without a winner."""
        await self._run("stop", key)

    @rx.event
    async def set_ramp(self, form_data: dict[str, Any]) -> None:
        """Let a share of visitors into the experiment (no new version)."""
        percent = _whole(form_data.get("percent"))
        if percent is None:
            self.notice, self.error = "", BAD_NUMBER
            return
        await self._run("ramp", str(form_data.get("experiment", "")), percent=percent)

    @rx.event
    async def ask_split(self, form_data: dict[str, Any]) -> None:
        """Check a new split and ask for confirmation: it starts a new, separate count."""
        key = str(form_data.get("experiment", ""))
        prefix = "weight:"
        weights = {
            name.removeprefix(prefix): _whole(value)
            for name, value in form_data.items()
            if name.startswith(prefix)
        }
        if not weights or any(w is None for w in weights.values()):
            self.notice, self.error = "", BAD_NUMBER
            return
        results = await self.get_state(ExperimentResultsState)
        summary = results.summaries.get(key, {})
        split = " / ".join(f"{name} {weight}" for name, weight in weights.items())
        self._pending = {"action": "split", "key": key, "weights": weights}
        self.confirm_title = f"Change the split of {key} to {split}?"
        self.confirm_text = (
            f"This starts version {summary.get('next_version', 'next')}: visitors are assigned "
            "afresh and counted apart from the current version, whose results stay as they are."
            if summary.get("status") != "draft"
            else "Nobody has been counted yet, so the split simply changes."
        )
        self.confirm_open = True

    @rx.event
    async def ask_winner(self, key: str, variant: str) -> None:
        """Ask for confirmation before serving ``variant`` to everyone."""
        self._pending = {"action": "winner", "key": key, "variant": variant}
        self.confirm_title = f"Declare {variant} the winner of {key}?"
        self.confirm_text = (
            f"The experiment stops and every visitor sees {variant} from now on, with no "
            "deploy. The decision and the numbers behind it go into the audit log."
        )
        self.confirm_open = True

    @rx.event
    async def confirm(self) -> None:
        """Carry out the confirmed change."""
        pending, self._pending, self.confirm_open = self._pending, {}, False
        if not pending:
            return
        action, key = pending.pop("action"), pending.pop("key")
        await self._run(action, key, **pending)

    @rx.event
    def cancel(self) -> None:
        """Drop the change waiting for confirmation."""
        self._pending, self.confirm_open = {}, False

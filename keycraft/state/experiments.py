"""Which experiment variants this visitor sees, and recording that they saw them."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from keycraft.services.auth.staff import is_staff
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.experiments.assignment import (
    OVERRIDE_PARAM,
    VISITOR_COOKIE,
    VISITOR_COOKIE_MAX_AGE_S,
    is_bot,
    is_visitor_id,
    new_visitor_id,
    parse_override,
)
from keycraft.services.experiments.catalog import EXPERIMENTS
from keycraft.services.experiments.live import live_experiments
from keycraft.services.experiments.model import Experiment, Status
from keycraft.services.experiments.service import (
    Choice,
    choose_variant,
    earlier_variants,
    record_exposure,
    visitor_for_user,
)
from keycraft.services.repository.port import Repository
from keycraft.state.auth import AuthState

logger = logging.getLogger(__name__)


def _running_now(
    repo: Repository, visitor_id: str
) -> tuple[tuple[Experiment, ...], dict[tuple[str, int], str]]:
    # Staff decisions (cached for seconds), plus this visitor's earlier variants, which only
    # matter while an experiment is paused (or ramped down): one extra read then.
    experiments = live_experiments(repo)
    needs_history = any(e.status is Status.PAUSED or e.ramp_percent < 100 for e in experiments)
    earlier = earlier_variants(repo, visitor_id) if needs_history else {}
    return experiments, earlier


class ExperimentsState(rx.State):
    """The anonymous visitor id cookie and the variant of each declared experiment."""

    visitor_id: str = rx.Cookie(
        "", name=VISITOR_COOKIE, max_age=VISITOR_COOKIE_MAX_AGE_S, same_site="lax"
    )
    variants: dict[str, str] = {}
    assigned: bool = False
    _choices: dict[str, Choice] = {}
    _exposed: set[str] = set()
    _linked_user_id: str = ""

    async def _overrides(self, user_id: str) -> dict[str, str]:
        # Only staff may force a variant; everyone else's ?kc_variant= is ignored.
        requested = parse_override(
            self.router.url.query_parameters.get(OVERRIDE_PARAM, ""), EXPERIMENTS
        )
        if not requested or not user_id:
            return {}
        staff = await asyncio.to_thread(is_staff, get_services().repository, user_id)
        return requested if staff else {}

    async def _link(self, user_id: str) -> None:
        if not user_id or self._linked_user_id == user_id or not is_visitor_id(self.visitor_id):
            return
        try:
            adopted = await asyncio.to_thread(
                visitor_for_user, get_services().repository, self.visitor_id, user_id, utc_now()
            )
        except DomainError:
            logger.warning("could not link visitor to user")
            return
        # A signed-in user carries their first visitor id to every device they use.
        self.visitor_id = adopted
        self._linked_user_id = user_id

    @rx.event
    async def load_variants(self) -> None:
        """On page load: set the visitor cookie, link a signed-in user, pick every variant."""
        bot = is_bot(self.router.headers.user_agent)
        if not bot and not is_visitor_id(self.visitor_id):
            self.visitor_id = new_visitor_id()
        auth = await self.get_state(AuthState)
        await self._link(auth.user_id)
        overrides = await self._overrides(auth.user_id)
        try:
            experiments, earlier = await asyncio.to_thread(
                _running_now, get_services().repository, self.visitor_id
            )
        except DomainError:
            # Without the staff decisions, show everyone the control and count nobody.
            logger.warning("experiment lifecycles unavailable")
            experiments, earlier = (), {}
        chosen = {
            experiment.key: choose_variant(
                experiment,
                self.visitor_id,
                bot=bot,
                override=overrides.get(experiment.key),
                earlier=earlier.get((experiment.key, experiment.version)),
            )
            for experiment in experiments
        }
        self._choices = {
            key: chosen.get(key, Choice(key, control, counted=False))
            for key, control in ((e.key, e.control) for e in EXPERIMENTS)
        }
        self.variants = {key: choice.variant for key, choice in self._choices.items()}
        self.assigned = True

    @rx.event
    async def expose(self, experiment_key: str) -> None:
        """A variant actually rendered: record the exposure (once per visitor)."""
        choice = self._choices.get(experiment_key)
        if choice is None or not choice.counted or experiment_key in self._exposed:
            return
        self._exposed = self._exposed | {experiment_key}
        try:
            await asyncio.to_thread(
                record_exposure, get_services().repository, choice, self.visitor_id, utc_now()
            )
        except DomainError:
            # An unavailable store or a refused (edited) experiment must never break a page.
            logger.warning("exposure not recorded for %s", experiment_key)

"""Editor states run without a browser: a state tree in memory over the in-memory repository."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from keycraft.config import Settings
from keycraft.services.container import Services, build_services, override_services
from keycraft.services.domain import Project, User
from keycraft.state.auth import AuthState
from keycraft.state.editor import EditorState
from tests.support.factories import make_project, make_user

S = TypeVar("S", bound=rx.State)


def run(handler: Any, *args: Any) -> Any:
    """Call an event handler of a state instance as Reflex would; return what it returns."""
    result = handler(*args)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


@dataclass
class OpenEditor:
    """One tab's state tree with a signed-in user and the editor page's URL."""

    root: rx.State
    services: Services
    user: User
    project: Project

    def state(self, cls: type[S]) -> S:
        """The tree's instance of ``cls``."""
        found = self.root.get_substate(cls.get_full_name().split(".")[1:])
        assert isinstance(found, cls)
        return found

    @property
    def editor(self) -> EditorState:
        """The editor state of this tab."""
        return self.state(EditorState)

    def stored(self) -> Project:
        """The project as storage has it now."""
        project = self.services.repository.get_project(self.user.id, self.project.id)
        assert project is not None
        return project


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    settings = Settings(
        REPOSITORY="memory", MEDIA_DIR=tmp_path / "media", APP_URL="http://testserver"
    )
    built = build_services(settings)
    override_services(built)
    yield built
    override_services(None)


@pytest.fixture
def tab(services: Services) -> OpenEditor:
    """A signed-in user on the editor page of their three-note project (not loaded yet)."""
    user = services.repository.create_user(make_user())
    project = services.repository.create_project(make_project(user, title="Prelude"))
    root = rx.State()  # allowed under pytest; a server builds it via its state manager
    path = f"/editor/{project.id}"
    root.router = RouterData.from_router_data({"pathname": path, "asPath": path})
    opened = OpenEditor(root, services, user, project)
    opened.state(AuthState).user_id = user.id
    return opened

"""One module per page; ``PAGES`` pairs every route with its component."""

from collections.abc import Callable
from typing import Any

import reflex as rx

from keycraft.pages.editor import editor_page
from keycraft.pages.home import home_page
from keycraft.pages.projects import projects_page
from keycraft.routes import EDITOR, HOME, PROJECTS, PageRoute
from keycraft.state.auth import AuthState
from keycraft.state.editor import EditorState
from keycraft.state.projects import ProjectsState

PAGES: dict[PageRoute, Callable[[], rx.Component]] = {
    HOME: home_page,
    PROJECTS: projects_page,
    EDITOR: editor_page,
}

ON_LOAD: dict[PageRoute, list[Any]] = {
    # Private pages resolve the user first; their loaders do nothing for signed-out visitors.
    PROJECTS: [AuthState.require_user, ProjectsState.load],
    EDITOR: [AuthState.require_user, EditorState.load],
}
"""Events each page runs when it opens, in order."""

"""The HTTP endpoints find their user, check CSRF and run blocking calls one way each."""

from __future__ import annotations

import ast
from pathlib import Path

import keycraft.api

API = Path(keycraft.api.__file__).parent

# Each concern's one home; any other endpoint module must call the helper there.
ONE_HOME = {
    "run_in_threadpool": "request_user.py",
    "resolve_session": "request_user.py",
    "token_from_cookie_header": "request_user.py",
    "origin_allowed": "auth_http.py",
}


# ``asyncio.to_thread`` would be a second way to run blocking calls (``blocking`` is the one).
NOWHERE = {"to_thread"}


def _called_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Name):
            names.add(node.id)
    return names


def test_each_concern_is_used_only_in_its_home_module() -> None:
    strays = []
    for path in sorted(API.glob("*.py")):
        used = _called_names(ast.parse(path.read_text(), filename=str(path)))
        strays += [
            f"{path.name} uses {n}"
            for n, home in ONE_HOME.items()
            if n in used and path.name != home
        ]
    assert strays == []


def test_the_homes_still_hold_what_they_are_home_to() -> None:
    # Guards the test above against a rename that would let it pass on nothing.
    for name, home in ONE_HOME.items():
        assert name in _called_names(ast.parse((API / home).read_text())), (name, home)

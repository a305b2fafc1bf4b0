"""Which paths are staff pages, and the page sent to everyone else."""

from __future__ import annotations

import pytest

from keycraft.api.staff_pages import is_staff_page, refusal_page


@pytest.mark.parametrize(
    "path", ["/admin", "/admin/", "/admin/experiments", "/admin/experiments/", "/admin.html"]
)
def test_admin_and_everything_below_it_are_staff_pages(path: str) -> None:
    assert is_staff_page(path)


@pytest.mark.parametrize(
    "path", ["/", "/administrator", "/api/admin/experiments/x.csv", "/pricing", "/admins/x"]
)
def test_other_paths_are_not(path: str) -> None:
    assert not is_staff_page(path)


def test_the_refusal_is_an_uncached_html_page_with_a_way_home() -> None:
    response = refusal_page(403, "Staff only", "For <staff>.", "/admin/experiments")
    body = bytes(response.body).decode()
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert 'href="/">Go to the home page</a>' in body
    assert 'href="/sign-in?next=%2Fadmin%2Fexperiments"' in body
    assert "For &lt;staff&gt;." in body


@pytest.mark.parametrize(
    "path", ["//admin/experiments", "///admin", "/./admin/x", "/x/../admin/", "/Admin/Experiments"]
)
def test_other_spellings_of_staff_paths_are_staff_pages(path: str) -> None:
    assert is_staff_page(path)

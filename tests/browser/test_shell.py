"""Smoke tests of the browser fixtures: Chromium starts, reaches the live server, takes pictures."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.django_db(transaction=True)

# TODO: the login page (core/login.html) was still being written when these tests were; once
# /login/ renders, open `live_server.url + "/login/"` instead and assert that
# `page.locator("html").get_attribute("lang")` starts with "zh" and that the page shows the
# Chinese text of the login heading (e.g. `expect(page.get_by_role("heading", level=1))
# .to_contain_text(...)`).
STYLESHEET = "/static/core/css/jingban.css"


def test_live_server_serves_the_stylesheet(live_server, page: Page) -> None:
    response = page.goto(live_server.url + STYLESHEET)
    assert response is not None
    assert response.status == 200
    assert "text/css" in (response.header_value("content-type") or "")


def test_a_screenshot_can_be_taken(live_server, page: Page) -> None:
    page.goto(live_server.url + STYLESHEET)
    picture = page.screenshot(full_page=True)
    assert picture.startswith(b"\x89PNG")
    assert len(picture) > 1000

"""Smoke tests of the browser fixtures: Chromium starts, reaches the live server, takes pictures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/login/"
STYLESHEET = "/static/core/css/jingban.css"


def test_login_page_is_in_chinese(live_server, page: Page) -> None:
    response = page.goto(live_server.url + LOGIN)
    assert response is not None
    assert response.status == 200
    lang = page.locator("html").get_attribute("lang") or ""
    assert lang.startswith("zh"), f"<html lang={lang!r}>"
    # "Sign in to Jingban" in the zh_Hans catalog.
    expect(
        page.locator("h1"),
        "the login heading is not in Chinese: is the zh_Hans catalog there and compiled "
        "(jingban i18n compile)?",
    ).to_have_text(re.compile("登录"))


def test_live_server_serves_the_stylesheet(live_server, page: Page) -> None:
    response = page.goto(live_server.url + STYLESHEET)
    assert response is not None
    assert response.status == 200
    assert "text/css" in (response.header_value("content-type") or "")


def test_a_screenshot_can_be_taken(live_server, page: Page) -> None:
    page.goto(live_server.url + LOGIN)
    picture = page.screenshot(full_page=True)
    assert picture.startswith(b"\x89PNG")
    assert len(picture) > 1000

"""The API documentation renders from the application's own files under its strict CSP.

Swagger UI is a third-party page, so it is not held to the suite's accessibility checks (this
test opens its own browser context, without the axe watcher); what is checked is that it works
offline and that the Content-Security-Policy refuses nothing it needs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LOCALE, TIMEZONE
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_renders_offline_under_the_csp(
    live_server, browser: Browser, personas: Personas
) -> None:
    context = browser.new_context(locale=LOCALE, timezone_id=TIMEZONE)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(urlsplit(request.url).netloc))
    try:
        page.goto(live_server.url + "/login/")
        page.locator("#id_username").fill("wang")
        page.locator("#id_password").fill(personas.world.passwords["wang"])
        page.locator("form.login-form button[type=submit]").click()
        page.wait_for_url(live_server.url + "/")
        response = page.goto(live_server.url + "/api/v1/docs")
        assert response is not None and response.status == 200
        expect(page.locator(".opblock").first).to_be_visible()
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("jingban API")
    finally:
        context.close()
    assert refused == []
    assert origins == {urlsplit(live_server.url).netloc}

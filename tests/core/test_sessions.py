"""The idle timeout, and the cookie and HSTS settings of an HTTPS deployment."""

from __future__ import annotations

import os
import subprocess
import sys

from django.urls import reverse

from jingban.core.models import ActionLog
from jingban.core.security import IDLE_KEY
from tests.personas import Personas


def _idle_for(client, seconds: int) -> None:
    session = client.session
    session[IDLE_KEY] = session[IDLE_KEY] - seconds
    session.save()


def test_an_idle_session_expires(personas: Personas, settings) -> None:
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client = personas.client("wang")
    assert client.get(reverse("registry:person_list")).status_code == 200
    _idle_for(client, 29 * 60)
    assert client.get(reverse("registry:person_list")).status_code == 200  # still active
    _idle_for(client, 31 * 60)
    page = client.get(reverse("registry:person_list"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("core:login"))
    row = ActionLog.objects.get(action="core.session.expired")
    assert row.actor == personas.user("wang")
    # Signed out for good: the next request is anonymous too.
    assert client.get(reverse("core:home")).status_code == 302


def test_an_idle_session_gets_401_from_the_api(personas: Personas) -> None:
    client = personas.client("sun")
    assert client.get("/api/v1/me").status_code == 200
    _idle_for(client, 31 * 60)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_activity_keeps_a_session_alive(personas: Personas) -> None:
    client = personas.client("zhao")
    client.get("/")
    for _ in range(3):
        _idle_for(client, 20 * 60)  # 60 minutes in all, never 30 in a row
        assert client.get("/").status_code == 200


def _settings_with(env: dict[str, str]) -> str:
    """Some settings as a fresh process reads them from this environment."""
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='jingban.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER, s.SESSION_IDLE_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_https_turns_on_secure_cookies_and_hsts_and_proxies_decide_the_scheme() -> None:
    plain = {"JINGBAN_HTTPS": "false", "JINGBAN_TRUSTED_PROXIES": ""}
    assert _settings_with(plain) == "False False 0 None 1800"
    https = {"JINGBAN_HTTPS": "true", "JINGBAN_TRUSTED_PROXIES": ""}
    assert _settings_with(https) == "True True 31536000 None 1800"
    proxied = {
        "JINGBAN_HTTPS": "true",
        "JINGBAN_TRUSTED_PROXIES": "10.0.0.0/8",
        "JINGBAN_SESSION_IDLE_MINUTES": "10",
    }
    assert _settings_with(proxied) == "True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') 600"


def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(
    personas: Personas, settings
) -> None:
    from jingban.core import network

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SECURE_SSL_REDIRECT = True
    network.trusted_networks.cache_clear()
    try:
        client = personas.client("wang")
        spoofed = client.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_PROTO="https")
        assert spoofed.status_code == 301  # not believed: still plain HTTP, sent to https
        proxied = client.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_PROTO="https")
        assert proxied.status_code == 200
    finally:
        network.trusted_networks.cache_clear()

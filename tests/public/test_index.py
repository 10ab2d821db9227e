"""The public index lists the pages the apps declare for anyone, and needs no sign-in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jingban.core import plugins


@pytest.mark.django_db
def test_index_lists_every_declared_public_page_without_sign_in() -> None:
    response = Client().get("/public/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    body = response.content.decode()
    declared = plugins.public_pages()
    assert declared, "no app declares a public page"
    with translation.override("zh-hans"):
        for page in declared:
            assert f'href="{reverse(page.url_name)}">{page.label}</a>' in body
    assert 'href="/public/verify/">文书核验</a>' in body


@pytest.mark.django_db
def test_a_public_page_carries_the_public_navigation() -> None:
    body = Client().get("/public/verify/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'aria-label="公共服务"' in body
    assert 'href="/public/"' in body
    assert 'href="/public/verify/" aria-current="page"' in body


def _csrf(body: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match
    return match.group(1)


@pytest.mark.django_db
def test_an_anonymous_visitors_care_and_language_choices_persist_across_public_pages() -> None:
    client = Client(enforce_csrf_checks=True)
    body = client.get("/public/").content.decode()
    assert '<body class="care">' not in body
    response = client.post("/care-mode/", {"csrfmiddlewaretoken": _csrf(body), "next": "/public/"})
    assert response.status_code == 302
    assert response["Location"] == "/public/"
    for url in ("/public/", "/public/policy/", "/public/verify/"):
        page = client.get(url).content.decode()
        assert '<body class="care">' in page, url
        assert (
            'class="header-btn care-toggle" type="submit"\n                  aria-pressed="true"'
            in page
        )
    body = client.get("/public/policy/").content.decode()
    client.post(
        "/language/",
        {"csrfmiddlewaretoken": _csrf(body), "language": "en", "next": "/public/policy/"},
    )
    page = client.get("/public/").content.decode()
    assert '<html lang="en">' in page and '<body class="care">' in page
    assert ">Policy explained</a>" in page
    # An external "next" is never followed.
    response = client.post(
        "/care-mode/", {"csrfmiddlewaretoken": _csrf(page), "next": "https://example.com/"}
    )
    assert response["Location"] == "/"
    assert '<body class="care">' not in client.get("/public/").content.decode()

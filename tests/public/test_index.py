"""The public index lists the pages the apps declare for anyone, and needs no sign-in."""

from __future__ import annotations

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

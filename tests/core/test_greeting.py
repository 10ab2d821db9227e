"""The home page greets a person by their name, never by the login name."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account


def _home(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("core:home")).content.decode()


def test_the_greeting_uses_the_name_not_the_login_name(db, settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    named = create_account(
        username="wangfang01",
        password="pass-1234-abcd",
        role=Role.OPERATOR,
        display_name="王芳",
        acting_user=None,
    )
    assert "<h1>王芳，您好</h1>" in _home(named)

    full = create_account(
        username="lilei02", password="pass-1234-abcd", role=Role.OPERATOR, acting_user=None
    )
    User.objects.filter(pk=full.pk).update(first_name="雷", last_name="李")
    full.refresh_from_db()
    page = _home(full)
    assert "<h1>雷 李，您好</h1>" in page or "<h1>李 雷，您好</h1>" in page
    assert "lilei02，您好" not in page

    bare = create_account(
        username="ops03", password="pass-1234-abcd", role=Role.OPERATOR, acting_user=None
    )
    page = _home(bare)
    assert "<h1>您好</h1>" in page
    assert "ops03，您好" not in page

"""API tokens expire, are listed and revoked (logged); expired or revoked ones get 401."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jingban.core.errors import NotFound, ValidationFailed
from jingban.core.models import ActionLog, ApiToken
from jingban.core.services.accounts import issue_api_token, revoke_api_token
from tests.personas import Personas


def _me(raw: str):
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_expires_after_its_days(personas: Personas) -> None:
    raw = issue_api_token(personas.user("wang"), name="short", acting_user=None, days=3)
    token = ApiToken.objects.get(prefix=raw[:8])
    expected = timezone.now() + dt.timedelta(days=3)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert _me(raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = _me(raw)
    assert expired.status_code == 401
    assert set(expired.json()) == {"code", "message", "fields"}
    assert expired.json()["code"] == "unauthenticated"


def test_the_default_lifetime_is_90_days_and_the_bounds_are_checked(personas: Personas) -> None:
    raw = issue_api_token(personas.user("wang"), name="default", acting_user=None)
    token = ApiToken.objects.get(prefix=raw[:8])
    assert (token.expires_at - token.created_at).days in {89, 90}
    for days in (0, 367):
        with pytest.raises(ValidationFailed):
            issue_api_token(personas.user("wang"), name="bad", acting_user=None, days=days)


def test_a_revoked_token_gets_401_and_the_revocation_is_logged(personas: Personas) -> None:
    wang = personas.user("wang")
    raw = issue_api_token(wang, name="mine", acting_user=None)
    token = ApiToken.objects.get(prefix=raw[:8])
    revoke_api_token(token.pk, acting_user=wang)
    response = _me(raw)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    row = ActionLog.objects.get(action="core.api_token.revoked")
    assert row.actor == wang and row.object_id == str(token.pk)
    revoke_api_token(token.pk, acting_user=wang)  # again: nothing changes, nothing logged
    assert ActionLog.objects.filter(action="core.api_token.revoked").count() == 1


def test_only_the_owner_or_an_administrator_revokes(personas: Personas) -> None:
    raw = issue_api_token(personas.user("wang"), name="mine", acting_user=None)
    token = ApiToken.objects.get(prefix=raw[:8])
    with pytest.raises(NotFound):
        revoke_api_token(token.pk, acting_user=personas.user("sun"))
    assert _me(raw).status_code == 200
    revoke_api_token(token.pk, acting_user=personas.user("admin"))
    assert _me(raw).status_code == 401


def test_the_own_tokens_page_lists_and_revokes_after_confirmation(personas: Personas) -> None:
    mine = issue_api_token(personas.user("wang"), name="wang-script", acting_user=None)
    theirs = issue_api_token(personas.user("sun"), name="sun-script", acting_user=None)
    client = personas.client("wang")
    page = client.get(reverse("core:token_list")).content.decode()
    assert mine[:8] in page and "wang-script" in page
    assert theirs[:8] not in page and mine not in page  # only the prefix is ever shown
    token = ApiToken.objects.get(prefix=mine[:8])
    confirm = client.get(reverse("core:token_list"), {"revoke": token.pk}).content.decode()
    assert f'name="token" value="{token.pk}"' in confirm
    done = client.post(reverse("core:token_list"), {"token": token.pk})
    assert done.status_code == 302
    assert _me(mine).status_code == 401
    other = ApiToken.objects.get(prefix=theirs[:8])
    refused = client.post(reverse("core:token_list"), {"token": other.pk})
    assert refused.status_code == 404
    assert _me(theirs).status_code == 200


def test_the_administrator_sees_and_revokes_every_token(personas: Personas) -> None:
    theirs = issue_api_token(personas.user("sun"), name="sun-script", acting_user=None)
    admin = personas.client("admin")
    page = admin.get(reverse("core:token_admin")).content.decode()
    assert theirs[:8] in page and "sun" in page
    token = ApiToken.objects.get(prefix=theirs[:8])
    assert admin.post(reverse("core:token_admin"), {"token": token.pk}).status_code == 302
    assert _me(theirs).status_code == 401
    assert personas.client("wang").get(reverse("core:token_admin")).status_code == 403


def test_the_command_issues_with_days_and_revokes(personas: Personas) -> None:
    out = StringIO()
    call_command("token", "create", "zhao", "--days", "7", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(prefix=raw[:8])
    assert (token.expires_at - token.created_at).days in {6, 7}
    assert _me(raw).status_code == 200
    call_command("token", "revoke", str(token.pk), stdout=StringIO())
    assert _me(raw).status_code == 401
    with pytest.raises(CommandError):
        call_command("token", "create", "zhao", "--days", "0", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("token", "revoke", "999999", stdout=StringIO())

"""Accounts: creation with role and scope, preferences, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from jingban.core.actionlog import log_action
from jingban.core.errors import ValidationFailed
from jingban.core.models import ApiToken, Organisation, Region, Scheme, User
from jingban.core.roles import Role

TOKEN_PREFIX = "jb_"  # noqa: S105 - a marker, not a secret


@transaction.atomic
def create_account(
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    region: Region | None = None,
    organisation: Organisation | None = None,
    schemes: Sequence[Scheme] = (),
    acting_user: User | None,
) -> User:
    user = User.objects.create_user(
        username=username,
        password=password,
        role=role.value,
        display_name=display_name,
        region=region,
        organisation=organisation,
    )
    user.schemes.set(schemes)
    log_action(
        acting_user=acting_user,
        action="core.user.created",
        object_type="core.user",
        object_id=user.pk,
        region_path=region.path if region else "",
        after={
            "username": username,
            "role": role.value,
            "region": region.code if region else None,
            "organisation": organisation.code if organisation else None,
            "schemes": sorted(s.code for s in schemes),
        },
    )
    return user


@transaction.atomic
def set_preferences(user: User, *, language: str, care_mode: bool, acting_user: User) -> User:
    if language not in {"zh-hans", "en"}:
        from django.utils.translation import gettext_lazy as _

        raise ValidationFailed(fields={"language": [_("Choose 简体中文 or English.")]})
    before = {"language": user.language, "care_mode": user.care_mode}
    user.language, user.care_mode = language, care_mode
    user.save(update_fields=["language", "care_mode"])
    log_action(
        acting_user=acting_user,
        action="core.user.preferences_changed",
        object_type="core.user",
        object_id=user.pk,
        before=before,
        after={"language": language, "care_mode": care_mode},
    )
    return user


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User, *, name: str, acting_user: User | None) -> str:
    """Create a token and return it once; only its digest is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:8])
    log_action(
        acting_user=acting_user,
        action="core.api_token.issued",
        object_type="core.api_token",
        object_id=token.pk,
        after={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return raw


def user_for_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None. Records when it was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def reset_password(user: User, password: str, *, acting_user: User | None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    log_action(
        acting_user=acting_user,
        action="core.user.password_reset",
        object_type="core.user",
        object_id=user.pk,
    )

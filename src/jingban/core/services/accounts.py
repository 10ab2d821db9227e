"""Accounts: creation with role and scope, preferences, API tokens, sign-in events."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import NotFound, ValidationFailed
from jingban.core.models import ApiToken, Organisation, Region, Scheme, User
from jingban.core.roles import Role
from jingban.core.signin import username_key

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


MAX_TOKEN_DAYS = 366


@transaction.atomic
def issue_api_token(
    user: User, *, name: str, acting_user: User | None, days: int | None = None
) -> str:
    """Create a token valid for ``days`` (default ``JINGBAN_TOKEN_DAYS``) and return it once;
    only its digest is kept."""
    days = settings.TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            fields={"days": [_("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}]}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.now() + dt.timedelta(days=days)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(raw), prefix=raw[:8], expires_at=expires_at
    )
    log_action(
        acting_user=acting_user,
        action="core.api_token.issued",
        object_type="core.api_token",
        object_id=token.pk,
        after={
            "user": user.username,
            "name": name,
            "prefix": token.prefix,
            "expires_at": expires_at.isoformat(),
        },
    )
    return raw


def user_for_token(raw: str) -> User | None:
    """The active user a valid bearer token belongs to, or None (unknown, revoked or expired).
    Records when it was last used."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=token_digest(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def revoke_api_token(token_id: int, *, acting_user: User | None) -> ApiToken:
    """Revoke one of the acting user's own tokens, or anyone's with ``core.api_token.admin``
    (or as the system: ``acting_user=None``, the command line). A token the user may not touch
    is "not found", like a missing one. Revoking a revoked token changes nothing."""
    tokens = ApiToken.objects.select_for_update()
    if acting_user is not None and not acting_user.can("core.api_token.admin"):
        tokens = tokens.filter(user=acting_user)
    token = tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(
            acting_user=acting_user,
            action="core.api_token.revoked",
            object_type="core.api_token",
            object_id=token.pk,
            after={"user": token.user.username, "name": token.name, "prefix": token.prefix},
        )
    return token


# Sign-in events. The address is the client's (``core.network.client_address``): security
# events need it to be acted on. An attempted user name is never written in clear; a failure
# against an existing account names the account by its id only.


def _account_named(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first() if username else None


@transaction.atomic
def record_sign_in(user: User, *, address: str) -> None:
    log_action(
        acting_user=user,
        action="core.signin.succeeded",
        object_type="core.user",
        object_id=user.pk,
        after={"address": address},
    )


@transaction.atomic
def record_failed_sign_in(username: str, *, address: str) -> None:
    account = _account_named(username)
    log_action(
        acting_user=None,
        action="core.signin.failed",
        object_type="core.user" if account else "",
        object_id=account.pk if account else "",
        after={"address": address, "username_key": username_key(username)},
    )


@transaction.atomic
def record_throttled_sign_in(username: str, *, address: str, wait: int, reason: str) -> None:
    account = _account_named(username)
    log_action(
        acting_user=None,
        action="core.signin.throttled",
        object_type="core.user" if account else "",
        object_id=account.pk if account else "",
        after={
            "address": address,
            "username_key": username_key(username),
            "wait_seconds": wait,
            "by": reason,
        },
    )


@transaction.atomic
def record_sign_out(user: User, *, address: str, idle: bool = False) -> None:
    log_action(
        acting_user=user,
        action="core.session.expired" if idle else "core.signout",
        object_type="core.user",
        object_id=user.pk,
        after={"address": address},
    )


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

"""Who calls the interface: a hospital account, by its bearer token (the platform's API tokens)
or by the gateway signature headers some provinces use.

Signature (ADR 0016): ``x-tif-signature`` = lowercase hex of HMAC-SHA256 under the paasid's
secret of ``x-tif-timestamp + x-tif-nonce + body`` (the raw request body bytes, concatenated
without separators; the timestamp is Unix seconds, the nonce 8–64 letters, digits or ``-``).
The timestamp must be within ``JINGBAN_GATEWAY_WINDOW_SECONDS`` of the server's clock and each
nonce is accepted once in that window. Secrets are not stored: ``secret_for`` derives them from
``JINGBAN_GATEWAY_KEY`` (kept outside the database), the paasid and its generation."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_action
from jingban.core.models import ApiToken, User
from jingban.core.services.accounts import token_digest
from jingban.medical.national.envelope import InterfaceError
from jingban.medical.national.models import GatewayCredential, GatewayNonce

CALL_CAPABILITY = "medical.national.call"
_NONCE = re.compile(r"^[0-9A-Za-z-]{8,64}$")
_PAASID = re.compile(r"^[0-9A-Za-z_.-]{1,64}$")
# About one request in this many also forgets the nonces older than twice the window.
_PURGE_ONE_IN = 200
# A token's last use is recorded at most this often: a hospital system calls hundreds of times
# a minute with one token, and writing the same row on every call would serialise them.
_LAST_USED_EVERY = timedelta(minutes=1)


def user_for_bearer(raw: str) -> User | None:
    """The active account of a valid bearer token (the platform's API tokens: unknown, revoked
    and expired ones are refused), with its institution and region in the same query."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user__organisation__region")
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
    if token.last_used_at is None or token.last_used_at < now - _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def secret_for(paasid: str, generation: int) -> str:
    """The shared secret of a gateway credential (hex, 64 characters)."""
    message = f"{paasid}:{generation}".encode()
    return hmac.new(settings.GATEWAY_KEY.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The value of ``x-tif-signature`` for a request (what a hospital's gateway computes)."""
    message = timestamp.encode() + nonce.encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def issue_credential(account: User, *, acting_user: User | None) -> tuple[str, str]:
    """Give a hospital account a gateway identity (or a new secret for its existing one, which
    invalidates the old): returns ``(paasid, secret)``; the secret is shown once."""
    credential = GatewayCredential.objects.select_for_update().filter(account=account).first()
    if credential is None:
        credential = GatewayCredential.objects.create(
            paasid=f"jb{secrets.token_hex(8)}", account=account
        )
        action = "medical.national.gateway_issued"
    else:
        credential.generation += 1
        credential.revoked_at = None
        credential.save(update_fields=["generation", "revoked_at"])
        action = "medical.national.gateway_renewed"
    log_action(
        acting_user=acting_user,
        action=action,
        object_type="medical_national.gateway",
        object_id=credential.pk,
        after={"paasid": credential.paasid, "account": account.get_username()},
    )
    return credential.paasid, secret_for(credential.paasid, credential.generation)


@transaction.atomic
def revoke_credential(account: User, *, acting_user: User | None) -> bool:
    """Withdraw a hospital account's gateway identity: signed requests are refused from now on
    (``issue_credential`` gives it a new secret). False when it had none in force."""
    credential = (
        GatewayCredential.objects.select_for_update()
        .filter(account=account, revoked_at__isnull=True)
        .first()
    )
    if credential is None:
        return False
    credential.revoked_at = timezone.now()
    credential.save(update_fields=["revoked_at"])
    log_action(
        acting_user=acting_user,
        action="medical.national.gateway_revoked",
        object_type="medical_national.gateway",
        object_id=credential.pk,
        after={"paasid": credential.paasid, "account": account.get_username()},
    )
    return True


def authenticate(request: HttpRequest, body: bytes) -> User:
    """The account calling, or ``InterfaceError`` (infcode −2, a Chinese message)."""
    header = request.headers.get("Authorization", "")
    user: User | None
    if request.headers.get("x-tif-paasid") is not None:
        user = _by_signature(request, body)
    elif header.lower().startswith("bearer "):
        user = user_for_bearer(header[7:].strip())
    else:
        raise InterfaceError(
            _("Authentication is required: a bearer token or the gateway signature headers.")
        )
    if user is None:
        raise InterfaceError(_("The access token is not valid or has expired."))
    if not user.is_active or not user.can(CALL_CAPABILITY):
        raise InterfaceError(_("This account may not use the hospital interface."))
    return user


def _by_signature(request: HttpRequest, body: bytes) -> User:
    paasid = request.headers.get("x-tif-paasid", "")
    timestamp = request.headers.get("x-tif-timestamp", "")
    nonce = request.headers.get("x-tif-nonce", "")
    signature = request.headers.get("x-tif-signature", "").lower()
    if not (_PAASID.match(paasid) and timestamp.isdigit() and _NONCE.match(nonce) and signature):
        raise InterfaceError(_("The gateway signature headers are incomplete."))
    window = settings.GATEWAY_WINDOW_SECONDS
    if abs(time.time() - int(timestamp)) > window:
        raise InterfaceError(_("The request's timestamp is outside the allowed time window."))
    credential = (
        GatewayCredential.objects.select_related("account__organisation__region")
        .filter(paasid=paasid, revoked_at__isnull=True)
        .first()
    )
    expected = (
        sign(secret_for(paasid, credential.generation), timestamp, nonce, body)
        if credential is not None
        else sign(secrets.token_hex(32), timestamp, nonce, body)  # same work for an unknown id
    )
    if credential is None or not hmac.compare_digest(expected, signature):
        raise InterfaceError(_("The gateway signature is not valid."))
    try:
        with transaction.atomic():
            GatewayNonce.objects.create(paasid=paasid, nonce=nonce)
    except IntegrityError:
        raise InterfaceError(_("This request was already received (replayed nonce).")) from None
    if random.randrange(_PURGE_ONE_IN) == 0:  # noqa: S311 - housekeeping, not security
        GatewayNonce.objects.filter(
            seen_at__lt=timezone.now() - timedelta(seconds=2 * window)
        ).delete()
    return credential.account

"""The interface's own records: the message log (one row per institution and ``msgid`` of a
transaction that changes state), gateway credentials for the signature headers, the nonces seen
inside the replay window, and sign-ins (9001)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.core.models import Organisation, User


class InterfaceMessage(models.Model):
    """报文: a state-changing request an institution sent, keyed by its ``msgid``, with the answer
    it got. The same ``msgid`` again returns this answer and changes nothing (ADR 0016).
    The answer is stored encrypted (it names the person)."""

    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    msgid = models.CharField(_("message id"), max_length=30)
    infno = models.CharField(_("transaction"), max_length=4)
    infcode = models.IntegerField(_("answer code"), default=0)
    answer = models.TextField(_("answer"), blank=True)
    # The msgid of the 2601 that reversed what this message did: the same msgid again is then
    # refused rather than answered with a settlement that no longer stands.
    reversed_by = models.CharField(max_length=30, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interface message")
        verbose_name_plural = _("interface messages")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "msgid"], name="national_message_once_per_institution"
            )
        ]
        # The daily job forgets the messages older than the retention period (jobs.py).
        indexes = [models.Index(fields=["received_at"], name="national_message_received")]

    def __str__(self) -> str:
        return f"{self.infno} {self.msgid}"


class GatewayCredential(models.Model):
    """A gateway identity (``x-tif-paasid``) of a hospital account. The secret itself is not
    stored: it is derived from ``JINGBAN_GATEWAY_KEY`` (outside the database), the paasid and
    ``generation``, so a reader of the database cannot sign; re-issuing raises ``generation``."""

    paasid = models.CharField(_("paasid"), max_length=64, unique=True)
    account = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    generation = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gateway credential")
        verbose_name_plural = _("gateway credentials")

    def __str__(self) -> str:
        return self.paasid


class GatewayNonce(models.Model):
    """A nonce seen with a valid signature; the same one again inside the window is a replay."""

    paasid = models.CharField(max_length=64)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["paasid", "nonce"], name="national_nonce_once")
        ]
        indexes = [models.Index(fields=["seen_at"], name="national_nonce_seen")]

    def __str__(self) -> str:
        return self.nonce


class SignIn(models.Model):
    """签到 (9001): an operator of an institution signed in; ``sign_no`` goes in later envelopes."""

    sign_no = models.CharField(max_length=30, unique=True)
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    # The account that signed in: its later money transactions must carry a sign_no of its own
    # (signing.py). Empty on sign-ins recorded before the account was kept.
    account = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("account")
    )
    opter_no = models.CharField(max_length=30)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["account", "signed_in_at"], name="national_signin_account")]

    def __str__(self) -> str:
        return self.sign_no


class PersonLookup(models.Model):
    """One 1101 (a person looked up by document number) by a hospital account: the counter of
    the per-account limit (throttle.py). Not a business record: kept one window only."""

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "at"], name="national_lookup_account_at")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.at.isoformat()}"

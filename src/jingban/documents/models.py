"""Official documents issued (出具的证明), and the checks of their verification codes."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ENROLLMENT_PROOF = "enrollment_proof", _("Proof of enrollment")
    LTC_DECISION = "ltc_decision", _("Long-term care assessment decision")
    # Step 9: the medical settlement statement (direct or reimbursed), the reimbursement
    # decision and a co-insurer's monthly share statement.
    SETTLEMENT_STATEMENT = "settlement_statement", _("Settlement statement")
    REIMBURSEMENT_DECISION = "reimbursement_decision", _("Reimbursement decision")
    COINSURANCE_STATEMENT = "coinsurance_statement", _("Co-insurer's monthly statement")


class IssuedDocument(models.Model):
    """One document issued: what, to whom, when, by whom, and the digest of its code.

    The code itself is not kept: it is an HMAC of kind, number, date and subject under a key
    outside the database (``JINGBAN_DOCUMENT_KEY``), so a database reader cannot print a genuine
    document and a row written straight into the table does not verify.
    """

    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued on"))
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    region_path = models.CharField(max_length=200, blank=True)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        indexes: ClassVar = [
            models.Index(fields=["object_type", "object_id"], name="issueddocument_object"),
        ]

    def __str__(self) -> str:
        return self.number


class VerificationAttempt(models.Model):
    """A check on the public verification page, kept for an hour to throttle by address."""

    client = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["client", "at"], name="verifyattempt_client_at")]

    def __str__(self) -> str:
        return f"{self.client} {self.at:%Y-%m-%d %H:%M:%S}"

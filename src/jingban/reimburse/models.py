"""Applications for manual reimbursement (手工报销) with their invoices, bill lines and materials.

An application belongs to one insured person; its region path is the person's, so staff see the
applications of the persons in their scope. Its status moves only through ``transitions``; every
move writes an action-log row in the service that makes it. Money is int fen."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingban.registry.models import Person


class VisitKind(models.TextChoices):
    """The pack's ``ReimbursementVisit``, with labels."""

    OUTPATIENT = "outpatient", _("Outpatient")
    EMERGENCY = "emergency", _("Emergency")
    CHRONIC = "chronic", _("Outpatient chronic and special diseases")
    INPATIENT = "inpatient", _("Inpatient")
    MATERNITY = "maternity", _("Maternity stay")


INPATIENT_KINDS = frozenset({VisitKind.INPATIENT, VisitKind.MATERNITY})


class Cause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    ACCIDENT = "accident", _("Accident")
    MATERNITY = "maternity", _("Maternity")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online by the person")
    AGENT = "agent", _("Online by an agent")
    WINDOW = "window", _("At a service window")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MORE_MATERIALS = "more_materials", _("Waiting for more materials")
    RESUBMITTED = "resubmitted", _("Under review again")
    APPROVED = "approved", _("Approved, waiting for payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Waiting for the reviewer: the clock runs.
UNDER_REVIEW = frozenset({Status.SUBMITTED, Status.RESUBMITTED})
# An invoice of an application in these states is taken.
LIVE = frozenset(
    {Status.SUBMITTED, Status.MORE_MATERIALS, Status.RESUBMITTED, Status.APPROVED, Status.PAID}
)


class Reimbursement(models.Model):
    """手工报销申请: one person's bill from one hospital stay or visit."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reimbursements", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hospital"),
    )
    visit_kind = models.CharField(_("visit type"), max_length=12, choices=VisitKind.choices)
    cause = models.CharField(_("cause"), max_length=12, choices=Cause.choices)
    admitted_on = models.DateField(_("admission or visit day"))
    discharged_on = models.DateField(_("discharge day"), null=True, blank=True)
    diagnosis_code = models.CharField(_("diagnosis code"), max_length=30, blank=True)
    referral = models.BooleanField(_("referred by a hospital"), default=False)
    cross_region = models.CharField(_("cross-region rule"), max_length=20, blank=True)
    total = models.BigIntegerField(_("total of the invoices (fen)"))
    # The account to pay into: personal data, masked everywhere, blanked on erasure.
    bank_name = models.CharField(_("bank"), max_length=60)
    account_holder = models.CharField(_("account holder"), max_length=60)
    account_number = models.CharField(_("account number"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    agent = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reimbursements_as_agent",
        verbose_name=_("agent"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    received_on = models.DateField(_("received on"))
    # The review deadline while the clock runs; None while it is stopped (``days_left`` then).
    deadline = models.DateField(_("review deadline"), null=True, blank=True)
    days_left = models.IntegerField(_("working days left"), null=True, blank=True)
    request_reason = models.CharField(_("materials asked for"), max_length=500, blank=True)
    requested_items = models.JSONField(_("items asked for"), default=list, blank=True)
    requested_on = models.DateField(_("materials asked on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    settlement = models.ForeignKey(
        "medical.Settlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("settlement"),
    )
    fund_amount = models.BigIntegerField(_("paid by the public funds (fen)"), default=0)
    supplementary_amount = models.BigIntegerField(_("paid by supplementary cover (fen)"), default=0)
    # The decision letter (报销决定书 / 不予报销决定书), issued with the approval or rejection.
    document = models.ForeignKey(
        "documents.IssuedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision document"),
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    region_path = models.CharField(max_length=200, db_index=True)
    pack = models.CharField(_("policy pack"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-received_on", "-pk"]
        verbose_name = _("reimbursement")
        verbose_name_plural = _("reimbursements")
        indexes: ClassVar = [
            models.Index(fields=["person", "status"], name="reimburse_person_status"),
            models.Index(fields=["status", "deadline"], name="reimburse_queue"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True)
                | Q(discharged_on__gte=models.F("admitted_on")),
                name="reimburse_discharge_after_admission",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """报销编号: the year received and the row number."""
        return f"BX{self.received_on:%Y}{self.pk:07d}"

    @property
    def payable(self) -> int:
        """What is paid to the person: the fund's part and any supplementary cover's."""
        return self.fund_amount + self.supplementary_amount


class Invoice(models.Model):
    """A medical invoice (医疗收费票据): its code and number identify it; the check code only
    checks an electronic one. ``live`` while its application may still be paid."""

    reimbursement = models.ForeignKey(
        Reimbursement, on_delete=models.CASCADE, related_name="invoices"
    )
    code = models.CharField(_("invoice code"), max_length=20)
    number = models.CharField(_("invoice number"), max_length=20)
    check_code = models.CharField(_("check code"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("amount (fen)"))
    issued_on = models.DateField(_("invoice date"))
    live = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["code", "number"], condition=Q(live=True), name="reimburse_invoice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}-{self.number}"


class BillLine(models.Model):
    """One line of the itemised bill (费用明细)."""

    reimbursement = models.ForeignKey(Reimbursement, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(_("catalogue code"), max_length=60)
    name = models.CharField(_("item name"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4)
    price = models.BigIntegerField(_("price (fen)"))
    amount = models.BigIntegerField(_("amount (fen)"))

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Material(models.Model):
    """A material handed in (the files app holds the file); ``kind`` is the pack's key."""

    reimbursement = models.ForeignKey(
        Reimbursement, on_delete=models.PROTECT, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # None: the paper original, checked by an operator at the window.
    file = models.ForeignKey(
        "files.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("file"),
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("reimbursement material")
        verbose_name_plural = _("reimbursement materials")

    def __str__(self) -> str:
        return f"{self.reimbursement_id}:{self.kind}"

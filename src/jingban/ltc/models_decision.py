"""The decision part's own models (re-exported by ``models``).

- ``Notice`` (公示): a concluded case's result posted for the pack's notice period, in the
  village or community where the person lives. It keeps a snapshot of what the public page may
  show (the masked name, the level): the public page reads nothing else about the person.
- ``Objection`` (异议): filed during the notice by the person, the family or anyone, on the
  public page or at the counter; it opens a re-assessment by different assessors.
- ``Decision`` (结论书): the decision on a case, with the benefit's start and validity, the
  letter issued through the documents app (verification code) and its delivery.
- ``StatusReport``: an institution's report on one of its own beneficiaries (improved, admitted
  to hospital, deceased) and what it led to.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Decision",
    "Delivery",
    "Notice",
    "NoticeStatus",
    "Objection",
    "ObjectionChannel",
    "ObjectorKind",
    "ReportKind",
    "StatusReport",
]


class NoticeStatus(models.TextChoices):
    POSTED = "posted", _("On notice")
    OBJECTED = "objected", _("Objection received")
    ENDED = "ended", _("Notice ended")


class Notice(models.Model):
    """公示: one case's result posted from ``posted_on`` to ``ends_on`` (both included)."""

    case = models.ForeignKey(
        "ltc.Case", on_delete=models.PROTECT, related_name="notices", verbose_name=_("case")
    )
    # The village or community (or the lowest region known) the notice is posted in.
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("posted in")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    posted_on = models.DateField(_("posted on"))
    ends_on = models.DateField(_("notice ends on"))
    length = models.PositiveSmallIntegerField(_("notice period"))
    unit = models.CharField(_("counted in"), max_length=20)
    provisional = models.BooleanField(default=False)
    masked_name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("disability level"))
    dementia = models.BooleanField(_("dementia"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.POSTED
    )
    pack_ref = models.CharField(max_length=80, blank=True)
    sample = models.BooleanField(default=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes: ClassVar = [
            models.Index(fields=["status", "ends_on"], name="ltc_notice_status_end"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.posted_on}–{self.ends_on}"


class ObjectorKind(models.TextChoices):
    PERSON = "person", _("The person")
    FAMILY = "family", _("A family member")
    OTHER = "other", _("Someone else")


class ObjectionChannel(models.TextChoices):
    PUBLIC = "public", _("Public notice page")
    STAFF = "staff", _("Entered by staff")


class Objection(models.Model):
    """异议: an objection to a posted result, and the re-assessment it opened."""

    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="objections", verbose_name=_("notice")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    filed_on = models.DateField(_("filed on"))
    objector = models.CharField(_("objector"), max_length=20, choices=ObjectorKind.choices)
    objector_name = models.CharField(_("name of the objector"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=40, blank=True)
    reason = models.TextField(_("reason"))
    channel = models.CharField(_("channel"), max_length=20, choices=ObjectionChannel.choices)
    reassessment = models.ForeignKey(
        "ltc.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("re-assessment"),
    )
    reassess_due_on = models.DateField(_("re-assessment due on"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return f"{self.notice_id} {self.filed_on}"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("Handed over in person")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically")


class Decision(models.Model):
    """结论书: the decision on a case; ``covered`` false for a level the pack does not pay (the
    letter says so, and no entitlement is made)."""

    case = models.OneToOneField(
        "ltc.Case", on_delete=models.PROTECT, related_name="decision", verbose_name=_("case")
    )
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=200, db_index=True)
    decided_on = models.DateField(_("decided on"))
    level = models.PositiveSmallIntegerField(_("disability level"))
    dementia = models.BooleanField(_("dementia"), default=False)
    covered = models.BooleanField(_("benefit granted"))
    severity = models.CharField(_("severity"), max_length=10, blank=True)
    start_on = models.DateField(_("benefit from"), null=True, blank=True)
    end_on = models.DateField(_("valid until"), null=True, blank=True)
    benefit_start_rule = models.CharField(max_length=20, blank=True)
    object_within = models.PositiveSmallIntegerField(_("object within (working days)"))
    entitlement = models.ForeignKey(
        "ltc.Entitlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entitlement"),
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery = models.CharField(_("delivered"), max_length=20, choices=Delivery.choices)
    delivered_on = models.DateField(_("delivered on"))
    pack_ref = models.CharField(max_length=80, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("LTC decision")
        verbose_name_plural = _("LTC decisions")

    def __str__(self) -> str:
        return f"{self.case_id} {self.decided_on}"


class ReportKind(models.TextChoices):
    IMPROVED = "improved", _("Condition improved")
    HOSPITAL = "hospital", _("Admitted to hospital")
    DECEASED = "deceased", _("Deceased")


class StatusReport(models.Model):
    """An institution's report on one of its beneficiaries, and what it led to."""

    entitlement = models.ForeignKey(
        "ltc.Entitlement", on_delete=models.PROTECT, related_name="status_reports"
    )
    institution = models.ForeignKey(
        "providers.Institution", on_delete=models.PROTECT, related_name="+"
    )
    region_path = models.CharField(max_length=200, db_index=True)
    kind = models.CharField(_("what happened"), max_length=20, choices=ReportKind.choices)
    event_on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    suspend = models.BooleanField(_("suspend the benefit"), default=False)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.kind} {self.event_on}"

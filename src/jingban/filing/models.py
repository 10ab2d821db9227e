"""The filings (异地就医备案) and their materials.

A filing belongs to one insured person; its region path is the person's, so staff see the
filings of the persons in their scope. Its status moves only through ``transitions``; every
move writes an action-log row in the service that makes it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.registry.models import Person


class Kind(models.TextChoices):
    """The engine's ``FilingKind``, with labels."""

    RETIRED_RESETTLED = "retired_resettled", _("Retired and resettled elsewhere")
    LONG_TERM_RESIDENCE = "long_term_residence", _("Living elsewhere long-term")
    RESIDENT_WORK = "resident_work", _("Working elsewhere long-term")
    REFERRAL = "referral", _("Referral to another hospital")
    EMERGENCY = "emergency", _("Emergency treatment")
    OTHER_TEMPORARY = "other_temporary", _("Other temporary treatment away")


LONG_TERM_KINDS = frozenset({Kind.RETIRED_RESETTLED, Kind.LONG_TERM_RESIDENCE, Kind.RESIDENT_WORK})


class Channel(models.TextChoices):
    ONLINE = "online", _("Online by the person")
    AGENT = "agent", _("Online by an agent")
    WINDOW = "window", _("At a service window")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    IN_EFFECT = "in_effect", _("In effect")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ProofKind(models.TextChoices):
    """The engine's ``Proof``, with labels."""

    HOUSEHOLD_MOVE = "household_move", _("Proof of household registration moved")
    RESIDENCE = "residence", _("Proof of residence")
    WORK = "work", _("Proof of work")
    REFERRAL = "referral", _("Referral certificate")


class Filing(models.Model):
    """异地就医备案: one person's filing for treatment in ``destination`` (a province, city or
    county by its six-digit code) from ``start`` to ``end`` (None: until cancelled)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="filings", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    insured_area = models.CharField(_("insured place"), max_length=6)
    destination = models.CharField(_("destination"), max_length=6)
    destination_name = models.CharField(_("destination name"), max_length=100, blank=True)
    start = models.DateField(_("valid from"))
    end = models.DateField(_("valid until"), null=True, blank=True)
    commitment = models.BooleanField(_("personal commitment"), default=False)
    paper_checked = models.BooleanField(_("paper proof checked at the window"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    # The insured person who filed as an agent (代办人), when one did.
    agent = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings_as_agent",
        verbose_name=_("agent"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    region_path = models.CharField(max_length=200, db_index=True)
    # The filing pack that gave the rules (id@version).
    pack = models.CharField(_("policy pack"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar = ["-filed_on", "-pk"]
        verbose_name = _("cross-region filing")
        verbose_name_plural = _("cross-region filings")
        indexes: ClassVar = [models.Index(fields=["person", "status"], name="filing_person_status")]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="filing_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """备案编号: the year filed and the row number."""
        return f"BA{self.filed_on:%Y}{self.pk:07d}"

    @property
    def is_long_term(self) -> bool:
        return self.kind in LONG_TERM_KINDS


class FilingMaterial(models.Model):
    """A proof uploaded with a filing (the files app holds the file)."""

    filing = models.ForeignKey(
        Filing, on_delete=models.PROTECT, related_name="materials", verbose_name=_("filing")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProofKind.choices)
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("filing material")
        verbose_name_plural = _("filing materials")

    def __str__(self) -> str:
        return f"{self.filing_id}:{self.kind}"

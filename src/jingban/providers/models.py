"""Designated institutions (定点机构) and their agreements (定点协议).

An ``Institution`` is the designation profile of a core ``Organisation`` (hospital, care
institution, primary institution, pharmacy): its finer kind, its service area, what it is
designated for (scheme × care form, each with its dates) and, for a primary institution, its
long-term care zone (长护专区). Its ``Agreement`` periods move through the states of
``transitions.TRANSITIONS``; every move is an ``AgreementEvent`` with its effective date and the
state after it, so ``serving.may_serve`` answers for any past or future day from the events alone.

What a check's score leads to (pass, warning, rectification, suspension, the share of the quality
deposit returned) is the bureau's data (``OutcomeRule``), and so are the checklists
(``Checklist``, versioned: a version with a check recorded against it never changes).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.models import Organisation, Region, Scheme


class InstitutionKind(models.TextChoices):
    HOSPITAL_3 = "hospital_3", _("Level 3 hospital")
    HOSPITAL_2 = "hospital_2", _("Level 2 hospital")
    HOSPITAL_1 = "hospital_1", _("Level 1 hospital")
    NURSING_HOSPITAL = "nursing_hospital", _("Nursing hospital")
    CARE_HOME = "care_home", _("Elderly care institution")
    TOWNSHIP_HEALTH = "township_health", _("Township health centre")
    COMMUNITY_HEALTH = "community_health", _("Community health service centre")
    ELDER_HOME = "elder_home", _("Nursing home for the elderly")
    PHARMACY = "pharmacy", _("Designated retail pharmacy")


# The organisation kind (core) each finer kind belongs to.
ORGANISATION_KIND: dict[str, str] = {
    InstitutionKind.HOSPITAL_3: "hospital",
    InstitutionKind.HOSPITAL_2: "hospital",
    InstitutionKind.HOSPITAL_1: "hospital",
    InstitutionKind.NURSING_HOSPITAL: "care_institution",
    InstitutionKind.CARE_HOME: "care_institution",
    InstitutionKind.TOWNSHIP_HEALTH: "primary",
    InstitutionKind.COMMUNITY_HEALTH: "primary",
    InstitutionKind.ELDER_HOME: "primary",
    InstitutionKind.PHARMACY: "pharmacy",
}


class CareForm(models.TextChoices):
    INSTITUTIONAL = "institutional", _("Institutional care")
    HOME = "home", _("Home care visits")
    INPATIENT = "inpatient", _("Inpatient treatment")
    OUTPATIENT = "outpatient", _("Outpatient treatment")
    PHARMACY = "pharmacy", _("Pharmacy dispensing")


class Institution(models.Model):
    """定点机构: the designation profile of one organisation."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="institution",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("institution kind"), max_length=20, choices=InstitutionKind.choices)
    service_area = models.ManyToManyField(
        Region, blank=True, related_name="served_by", verbose_name=_("service area")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    # 长护专区 of a primary institution (and the beds of a care institution).
    ltc_zone = models.BooleanField(_("long-term care zone"), default=False)
    ltc_beds = models.PositiveIntegerField(_("long-term care beds"), default=0)
    ltc_beds_occupied = models.PositiveIntegerField(_("beds occupied"), default=0)
    ltc_doctors = models.PositiveIntegerField(_("doctors"), default=0)
    ltc_nurses = models.PositiveIntegerField(_("nurses"), default=0)
    ltc_caregivers = models.PositiveIntegerField(_("caregivers"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__code"]
        verbose_name = _("designated institution")
        verbose_name_plural = _("designated institutions")

    def __str__(self) -> str:
        return self.organisation.name


class Designation(models.Model):
    """What an institution is designated for: one scheme × one care form, with its dates."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="designations"
    )
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme")
    )
    care_form = models.CharField(_("care form"), max_length=20, choices=CareForm.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["institution_id", "scheme__code", "care_form", "valid_from"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
        indexes: ClassVar = [
            models.Index(fields=["institution", "scheme", "care_form"], name="designation_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.get_care_form_display()}"


class AgreementState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    IN_FORCE = "in_force", _("In force")
    RECTIFYING = "rectifying", _("Under rectification")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


# The states in which the institution may serve and be paid (within the agreement's period).
SERVING_STATES = frozenset({AgreementState.IN_FORCE, AgreementState.RECTIFYING})


class Agreement(models.Model):
    """定点协议: one agreement period of an institution. A renewal is a new row linked to the
    period it follows."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="agreements"
    )
    number = models.CharField(_("agreement number"), max_length=40, unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=AgreementState.choices, default=AgreementState.APPLIED
    )
    applied_on = models.DateField(_("applied on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
        verbose_name=_("previous period"),
    )
    # 质量保证金 where the region uses one; 0: none.
    deposit_fen = models.BigIntegerField(_("quality deposit (fen)"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.number


class EventKind(models.TextChoices):
    APPLIED = "applied", _("Application")
    ACCEPTANCE = "acceptance", _("Acceptance check")
    TAKE_EFFECT = "take_effect", _("Taking effect")
    EVALUATION = "evaluation", _("Annual evaluation")
    ASSESSMENT = "assessment", _("On-site assessment")
    WARNING = "warning", _("Warning")
    RECTIFICATION = "rectification", _("Rectification order")
    RECTIFICATION_CLOSED = "rectification_closed", _("Rectification closed")
    SUSPENSION = "suspension", _("Suspension")
    LIFTING = "lifting", _("Suspension lifted")
    TERMINATION = "termination", _("Termination")
    EXPIRY = "expiry", _("Expiry")
    RENEWAL = "renewal", _("Renewal")


class AgreementEvent(models.Model):
    """One event of an agreement: what happened, from when, by whom, and the state after it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    effective_on = models.DateField(_("effective date"))
    state_before = models.CharField(
        _("state before"), max_length=20, choices=AgreementState.choices, blank=True
    )
    state_after = models.CharField(_("state after"), max_length=20, choices=AgreementState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    check_record = models.ForeignKey(
        "Check", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    order = models.ForeignKey(
        "RectificationOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        indexes: ClassVar = [
            models.Index(fields=["agreement", "effective_on"], name="agreement_event_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on}"


class CheckKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance check")
    EVALUATION = "evaluation", _("Annual evaluation")
    ASSESSMENT = "assessment", _("On-site assessment")


class Outcome(models.TextChoices):
    PASS = "pass", _("Pass")
    WARNING = "warning", _("Warning")
    RECTIFICATION = "rectification", _("Rectification")
    SUSPENSION = "suspension", _("Suspension")


class OutcomeRule(models.Model):
    """What a check's score leads to, in a region (and the regions under it): for a kind of
    check and a band of scores (``min_score`` ≤ score, below ``below_score`` when given)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    check_kind = models.CharField(_("check kind"), max_length=20, choices=CheckKind.choices)
    min_score = models.PositiveIntegerField(_("from score"))
    below_score = models.PositiveIntegerField(_("below score"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    rectification_days = models.PositiveSmallIntegerField(
        _("working days to rectify"), null=True, blank=True
    )
    deposit_return_percent = models.PositiveSmallIntegerField(
        _("deposit returned, in percent"), null=True, blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region__code", "check_kind", "-min_score"]
        verbose_name = _("outcome rule")
        verbose_name_plural = _("outcome rules")

    def __str__(self) -> str:
        return f"{self.get_check_kind_display()} ≥ {self.min_score}: {self.get_outcome_display()}"


class Checklist(models.Model):
    """考核表: one version of a checklist. A version with a check against it never changes."""

    code = models.CharField(_("checklist code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    check_kind = models.CharField(_("check kind"), max_length=20, choices=CheckKind.choices)
    total = models.PositiveIntegerField(_("total points"))
    pass_mark = models.PositiveIntegerField(_("pass mark"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["code", "version"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("item"), max_length=300)
    weight = models.PositiveIntegerField(_("weight"))

    class Meta:
        ordering = ["checklist_id", "position"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.text


class Check(models.Model):
    """One check of an agreement against a checklist version: the score per item, the total,
    the outcome and the rule that gave it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="checks")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField(_("check kind"), max_length=20, choices=CheckKind.choices)
    checked_on = models.DateField(_("checked on"))
    total_score = models.PositiveIntegerField(_("score"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    rule = models.ForeignKey(
        OutcomeRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deposit_return_percent = models.PositiveSmallIntegerField(
        _("deposit returned, in percent"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = _("check")
        verbose_name_plural = _("checks")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.checked_on}"


class CheckScore(models.Model):
    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["check_record_id", "item__position"]
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"


class OrderState(models.TextChoices):
    OPEN = "open", _("Open")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    ESCALATED = "escalated", _("Escalated")


OPEN_ORDER_STATES = (OrderState.OPEN, OrderState.REPLIED)


class RectificationOrder(models.Model):
    """整改通知: what the institution must put right, by when (working days)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="orders")
    check_record = models.ForeignKey(
        Check, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    requirements = models.TextField(_("requirements"))
    state = models.CharField(
        _("state"), max_length=20, choices=OrderState.choices, default=OrderState.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.issued_on}"


class OrderReply(models.Model):
    """The institution's reply to a rectification order."""

    order = models.ForeignKey(RectificationOrder, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("reply"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("replied at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.order_id} {self.at:%Y-%m-%d}"

"""The long-term care case and what hangs on it.

The shared spine, which every part of the app reads:

- ``Case`` (长护险案件): one application (or one re-assessment) from receipt to decision, with
  its status and every transition in ``CaseEvent`` (the table of allowed transitions is
  ``transitions.py``);
- ``Assessment`` (评估): one round of on-site assessment of a case by drawn assessors, with its
  item scores, totals and level computed from the assessment pack;
- ``Entitlement`` (待遇资格): what a decision grants a person (a level from a day, until the
  validity ends), suspended, resumed or stopped with its reason in ``EntitlementEvent``;
- ``CarePlan`` (护理计划): how and by whom the entitlement is served, one row per period;
- the service records a month is settled from: ``Visit`` (上门服务, checked in and out),
  ``BedDay`` (机构床日) and ``HospitalStay`` (住院, which pauses institutional days).

Each part (intake, decision, care, settlement) adds its own models beside these. Every row that
a scoped user reads carries ``region_path`` (the person's region when the row was made), so
scope is one indexed prefix filter (``core.scope.region_path_filter``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """How an application reached the centre."""

    WINDOW = "window", _("Service window")
    VILLAGE = "village", _("Collected by village or community officials")
    HOSPITAL = "hospital", _("Hospital discharge referral")
    ONLINE = "online", _("Online, by the person or an agent")


class CaseKind(models.TextChoices):
    INITIAL = "initial", _("First application")
    REASSESSMENT = "reassessment", _("Re-assessment")


class Trigger(models.TextChoices):
    """Why a re-assessment case was opened (empty for a first application)."""

    APPLICATION = "application", _("Application by the person")
    EXPIRY = "expiry", _("Conclusion about to expire")
    STATUS_REPORT = "status_report", _("Institution's status report")
    COMPLAINT = "complaint", _("Complaint or fraud report")
    AUDIT = "audit", _("Audit finding")


class CaseStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REFUSED = "refused", _("Not accepted")
    ACCEPTED = "accepted", pgettext_lazy("ltc case", "Accepted")
    DISPATCHED = "dispatched", _("Assessors assigned")
    ASSESSED = "assessed", _("Assessed on site")
    CONCLUDED = "concluded", _("Conclusion confirmed")
    NOTICE = "notice", _("On public notice")
    OBJECTED = "objected", _("Objection: re-assessment")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Case(models.Model):
    """长护险案件: one application for an assessment, or one re-assessment, from receipt to
    decision."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CaseKind.choices, default=CaseKind.INITIAL
    )
    trigger = models.CharField(
        _("reason"), max_length=20, choices=Trigger.choices, default=Trigger.APPLICATION
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="ltc_cases",
        verbose_name=_("applicant"),
    )
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Who applied for the person, when not the person: an authorised agent (registry).
    agent = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ltc_cases_as_agent",
        verbose_name=_("agent"),
    )
    # Where the person lives or is cared for, if an institution: its staff may not assess.
    care_institution = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("care institution"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.APPLIED
    )
    received_on = models.DateField(_("received on"))
    disability_since = models.DateField(_("disabled since"), null=True, blank=True)
    self_assessment_grade = models.CharField(_("self-assessment grade"), max_length=1, blank=True)
    self_assessment = models.JSONField(_("self-assessment answers"), default=dict, blank=True)
    # The deadline of the current stage (acceptance, on-site visit, re-assessment …), in
    # working days from the pack; reminders read it.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for not accepting"), max_length=40, blank=True)
    refusal_note = models.TextField(_("note"), blank=True)
    # The LTC pack (family ``ltc``) the case is handled under, fixed at acceptance.
    pack_id = models.CharField(max_length=64, blank=True)
    pack_version = models.PositiveIntegerField(null=True, blank=True)
    pack_hash = models.CharField(max_length=64, blank=True)
    # A re-assessment names the case and the entitlement it re-examines.
    previous_case = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    entitlement = models.ForeignKey(
        "Entitlement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reassessments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("LTC case")
        verbose_name_plural = _("LTC cases")
        indexes: ClassVar = [
            models.Index(fields=["status", "due_on"], name="ltc_case_status_due"),
            models.Index(fields=["person", "-received_on"], name="ltc_case_person"),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    """One transition of a case, with who made it and why (the case's own history; each is
    also in the action log)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Instrument(models.TextChoices):
    NATIONAL = "national", _("National standard (2021)")
    BARTHEL = "barthel", _("Barthel index")


class AssessmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the visit")
    SUBMITTED = "submitted", _("Submitted for review")
    CONFIRMED = "confirmed", _("Confirmed by experts")
    RETURNED = "returned", _("Returned for a new visit")


class Assessment(models.Model):
    """评估: one round of on-site assessment of a case by the assessors drawn for it (round 1;
    a later round after an objection or a return, by different assessors)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    draw = models.ForeignKey(
        "workforce.Draw", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assessors = models.ManyToManyField(
        "workforce.Assessor", related_name="ltc_assessments", verbose_name=_("assessors")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.PENDING,
    )
    due_on = models.DateField(_("visit due on"), null=True, blank=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    instrument = models.CharField(
        _("instrument"), max_length=20, choices=Instrument.choices, default=Instrument.NATIONAL
    )
    # The item scores as entered (item code → score) and the figures the engine computed.
    scores = models.JSONField(_("item scores"), default=dict, blank=True)
    adl_total = models.PositiveSmallIntegerField(_("ADL total"), null=True, blank=True)
    cognition_total = models.PositiveSmallIntegerField(_("cognition total"), null=True, blank=True)
    perception_total = models.PositiveSmallIntegerField(
        _("perception and communication total"), null=True, blank=True
    )
    barthel_total = models.PositiveSmallIntegerField(_("Barthel total"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("disability level"), null=True, blank=True)
    dementia = models.BooleanField(_("dementia"), default=False)
    # The assessment pack (family ``ltc_assessment``) the level was computed with.
    pack_id = models.CharField(max_length=64, blank=True)
    pack_version = models.PositiveIntegerField(null=True, blank=True)
    pack_hash = models.CharField(max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "round", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "round"], name="ltc_assessment_round"),
            models.CheckConstraint(
                condition=models.Q(level__isnull=True) | models.Q(level__lte=5),
                name="ltc_assessment_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.round}"


class Severity(models.TextChoices):
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("In benefit")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Replaced by a new conclusion")


class Entitlement(models.Model):
    """待遇资格: what a decision grants: a level (and dementia) from ``start_on`` until
    ``end_on`` (the conclusion's validity), under the LTC pack of the region."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="ltc_entitlements"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="entitlements", verbose_name=_("decided by")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    level = models.PositiveSmallIntegerField(_("disability level"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    dementia = models.BooleanField(_("dementia"), default=False)
    start_on = models.DateField(_("benefit from"))
    end_on = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EntitlementStatus.choices,
        default=EntitlementStatus.ACTIVE,
    )
    reassess_on = models.DateField(_("re-assessment scheduled on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_on", "-id"]
        verbose_name = _("LTC entitlement")
        verbose_name_plural = _("LTC entitlements")
        indexes: ClassVar = [
            models.Index(fields=["person", "-start_on"], name="ltc_entitlement_person"),
            models.Index(fields=["status", "end_on"], name="ltc_entitlement_status_end"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(level__lte=5), name="ltc_entitlement_level_range"
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")),
                name="ltc_entitlement_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} L{self.level} {self.start_on}–{self.end_on}"


class EntitlementEventKind(models.TextChoices):
    GRANTED = "granted", _("Granted")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    STOPPED = "stopped", _("Removed from benefit")
    LEVEL_CHANGED = "level_changed", _("Level changed")
    EXPIRED = "expired", _("Expired")


class EntitlementEvent(models.Model):
    """A change of an entitlement's standing, effective on a day, with its reason and what it
    came from (a status report, a desk case, an audit finding, a re-assessment)."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("change"), max_length=20, choices=EntitlementEventKind.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    # What caused it, as "app.object:id" (e.g. "desk.case:17"); empty for an operator's own.
    source = models.CharField(max_length=60, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.kind} {self.effective_on}"


class CareFormCode(models.TextChoices):
    """The care forms of LTC packs (``LtcRules.care_forms`` keys)."""

    INSTITUTION = "institution", _("Care in an institution")
    HOME_VISIT = "home_visit", _("Home care visits")
    MEDICAL_WARD = "medical_ward", _("Medical special-care ward")
    FAMILY_CAREGIVER = "family_caregiver", _("Family caregiver")
    SELF_ARRANGED = "self_arranged", _("Self-arranged home care")
    SHORT_TERM_RESPITE = "short_term_respite", _("Short-term respite")


class CarePlan(models.Model):
    """护理计划: how an entitlement is served from ``effective_from`` (to ``effective_to``, or
    open): the care form, the designated provider, the monthly quota of the pack, and the
    home's coordinates that check-ins are measured against. A change of provider or form
    closes the plan and opens a new one (a logged action with its effective date)."""

    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="care_plans"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="ltc_care_plans"
    )
    region_path = models.CharField(max_length=200, db_index=True)
    care_form = models.CharField(_("care form"), max_length=20, choices=CareFormCode.choices)
    provider = models.ForeignKey(
        "providers.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ltc_care_plans",
        verbose_name=_("provider"),
    )
    monthly_visits = models.PositiveSmallIntegerField(_("visits per month"), null=True, blank=True)
    hours_per_visit = models.DecimalField(
        _("hours per visit"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    home_lat = models.DecimalField(
        _("home latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    home_lon = models.DecimalField(
        _("home longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # The home's coordinates were taken from the first visit's check-in (care part).
    home_from_visit = models.BooleanField(_("home located at the first visit"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-effective_from", "-id"]
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")

    def __str__(self) -> str:
        return f"{self.person_id} {self.care_form} {self.effective_from}"


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Checked in")
    DONE = "done", _("Completed")
    FLAGGED = "flagged", _("Completed with a flag")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """上门服务记录: one visit of a caregiver, checked in and out with time and place; a failed
    check (distance, minutes, photo) is kept with its flags for audit."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    caregiver = models.ForeignKey(
        "workforce.Caregiver", on_delete=models.PROTECT, related_name="ltc_visits"
    )
    institution = models.ForeignKey(
        "providers.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ltc_visits",
    )
    region_path = models.CharField(max_length=200, db_index=True)
    service_date = models.DateField(_("service date"))
    check_in = models.DateTimeField(_("checked in at"))
    check_out = models.DateTimeField(_("checked out at"), null=True, blank=True)
    in_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    in_lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    out_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    out_lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the home (m)"), null=True, blank=True)
    items = models.JSONField(_("service items"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.OPEN
    )
    # Codes of the checks that failed (distance, minutes, photo, location) and the reason given.
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-check_in", "-id"]
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        indexes: ClassVar = [
            models.Index(fields=["person", "service_date"], name="ltc_visit_person_day"),
            models.Index(fields=["caregiver", "-check_in"], name="ltc_visit_caregiver"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(check_out__isnull=True)
                | models.Q(check_out__gt=models.F("check_in")),
                name="ltc_visit_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.service_date} {self.caregiver_id}"


class BedDayStatus(models.TextChoices):
    PRESENT = "present", _("In care")
    ABSENT = "absent", _("Absent")
    HOSPITAL = "hospital", _("In hospital")


class BedDay(models.Model):
    """机构床日: an institution's daily report of one beneficiary (in care, absent or in
    hospital); only days in care are paid."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="bed_days")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        "providers.Institution", on_delete=models.PROTECT, related_name="ltc_bed_days"
    )
    region_path = models.CharField(max_length=200, db_index=True)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=20, choices=BedDayStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "day"]
        verbose_name = _("bed-day")
        verbose_name_plural = _("bed-days")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["person", "day"], name="ltc_bed_day_person_day"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day} {self.status}"


class StaySource(models.TextChoices):
    RECORDED = "recorded", _("Recorded by staff")
    IMPORTED = "imported", _("Imported from a file")
    SETTLEMENT = "settlement", _("From medical settlements")


class HospitalStay(models.Model):
    """住院: a beneficiary's stay in hospital, which pauses institutional care days (recorded
    or imported now; filled from medical settlements once step 8 exists)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="ltc_hospital_stays"
    )
    region_path = models.CharField(max_length=200, db_index=True)
    hospital = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    admitted_on = models.DateField(_("admitted on"))
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=StaySource.choices, default=StaySource.RECORDED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-admitted_on"]
        verbose_name = _("hospital stay")
        verbose_name_plural = _("hospital stays")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="ltc_stay_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.admitted_on}–{self.discharged_on or ''}"


# Each part's own models (imported last: they may name the above).
from jingban.ltc.models_care import *  # noqa: E402, F403
from jingban.ltc.models_decision import *  # noqa: E402, F403
from jingban.ltc.models_intake import *  # noqa: E402, F403
from jingban.ltc.models_settlement import *  # noqa: E402, F403

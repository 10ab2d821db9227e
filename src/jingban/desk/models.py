"""The desk's records: cases (a complaint 投诉 or a fraud report 举报 on one table), their replies,
the routing rules the bureau edits, referrals to audit, and the counters that throttle the
public pages.

Personal data of a filer (name, document number, phone) is held here and nowhere else: never in
the action log, never in a reminder, masked on pages for viewers without the reveal capability.
An anonymous filer has none; they track with a secret code of which only a hash is kept.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.core.models import Organisation, Region, Scheme


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Fraud report")


class Channel(models.TextChoices):
    HOTLINE_12345 = "hotline_12345", _("12345 hotline transfer")
    HOTLINE_12393 = "hotline_12393", _("12393 hotline transfer")
    WEB = "web", _("Web form")
    MAIL = "mail", _("Letter")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", _("E-mail")


class Category(models.TextChoices):
    """The topic of a case: the key of its deadline in the desk pack and of its routing rule."""

    BENEFIT = "benefit", _("Benefits")
    SERVICE = "service", _("Service at the counter")
    INSTITUTION = "institution", _("Designated institutions")
    LTC = "ltc", _("Long-term care")
    FRAUD = "fraud", _("Fund fraud")


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ROUTED = "routed", _("Routed")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (CaseState.RECEIVED, CaseState.ROUTED, CaseState.IN_PROGRESS)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class SubjectType(models.TextChoices):
    """What a fraud report is about, as the action log names such objects."""

    PERSON = "registry.person", _("Insured person")
    INSTITUTION = "core.organisation", _("Institution")
    CAREGIVER = "workforce.caregiver", _("Caregiver")
    OTHER = "other", _("Other")


class RoutingRule(models.Model):
    """Cases of ``category`` from ``region`` (or any region below it) go to ``organisation``.
    The rule of the nearest region wins."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("handled by")
    )

    class Meta:
        ordering = ["category", "region__code"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["category", "region"], name="desk_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.region}"


class Case(models.Model):
    """One complaint or report, from receipt to closure."""

    number = models.CharField(_("tracking number"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("scheme")
    )
    text = models.TextField(_("what happened"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    filer_name = models.CharField(_("filer's name"), max_length=100, blank=True)
    filer_document = models.CharField(_("filer's document number"), max_length=40, blank=True)
    filer_phone = models.CharField(_("filer's phone"), max_length=30, blank=True)
    # An anonymous filer's tracking code, hashed (Django's password hashers).
    secret_hash = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="desk_cases",
        verbose_name=_("handled by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="desk_cases",
        verbose_name=_("assignee"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    escalated = models.BooleanField(_("escalated"), default=False)
    received_on = models.DateField(_("received on"))
    deadline = models.DateField(_("answer due"))
    remind_from = models.DateField(_("reminders from"))
    deadline_pack = models.CharField(max_length=80, blank=True)
    deadline_sample = models.BooleanField(default=False)
    # Counted Monday to Friday: the holiday table did not cover the year.
    deadline_provisional = models.BooleanField(default=False)
    # A fraud report: whom it is about, and the money at stake (fen).
    subject_type = models.CharField(
        _("subject"), max_length=40, choices=SubjectType.choices, blank=True
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject_text = models.CharField(_("subject named"), max_length=200, blank=True)
    amount_fen = models.BigIntegerField(_("money at stake"), null=True, blank=True)
    verified_fen = models.BigIntegerField(_("amount verified"), null=True, blank=True)
    reward_fen = models.BigIntegerField(_("reward"), null=True, blank=True)
    reward_sample = models.BooleanField(default=False)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=15, choices=Satisfaction.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes: ClassVar = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReplyKind(models.TextChoices):
    NOTE = "note", _("Internal note")
    ANSWER = "answer", _("Answer to the filer")


class Reply(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(_("kind"), max_length=10, choices=ReplyKind.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"


class ReferralState(models.TextChoices):
    PENDING = "pending", _("Pending")


class Referral(models.Model):
    """A report referred to audit; step 10 turns it into an audit case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    state = models.CharField(
        _("state"), max_length=10, choices=ReferralState.choices, default=ReferralState.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("referral to audit")
        verbose_name_plural = _("referrals to audit")

    def __str__(self) -> str:
        return f"{self.case} → audit"


class Attempt(models.Model):
    """One counted try on a public page (filing, a tracking lookup), per key: a counter, not a
    business record, and not in the action log."""

    key = models.CharField(max_length=120, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key


class UsedChallenge(models.Model):
    """A captcha solution already accepted: the same one is refused a second time."""

    digest = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return self.digest

"""Accident insurance for elderly people: payments of premiums, enrollments (one person's cover
for a period), claims and their materials.

An enrollment belongs to one person; its region path is the person's, so staff see the
enrollments and claims of the persons in their scope. A group's payment (a community's list, the
government's for special groups) and a person's own payment are both ``Payment`` rows: the
premium of each enrollment it paid for is on the enrollment."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.registry.models import Person


class Payer(models.TextChoices):
    """The engine's ``Payer``, with labels."""

    PERSON = "person", _("The person")
    COMMUNITY = "community", _("A community")
    GOVERNMENT = "government", _("The government, for special groups")


class Channel(models.TextChoices):
    GROUP = "group", _("Group list")
    WINDOW = "window", _("At a service window")


class Outcome(models.TextChoices):
    """The engine's ``Outcome``, with labels."""

    NONE = "none", _("Medical expenses or hospital stay only")
    DISABILITY = "disability", _("Disability")
    DEATH = "death", _("Death")


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("Waiting for review")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")


class Payment(models.Model):
    """A premium payment: by a group for a list of persons, or by one person."""

    product = models.CharField(_("product"), max_length=80)
    payer = models.CharField(_("paid by"), max_length=12, choices=Payer.choices)
    # The enrolling organisation: the ageing office, a community or residents' committee.
    organisation = models.CharField(_("enrolling organisation"), max_length=200, blank=True)
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    count = models.PositiveIntegerField(_("persons"))
    premium_each = models.BigIntegerField(_("premium a person"))
    amount = models.BigIntegerField(_("amount"))
    paid_on = models.DateField(_("paid on"), db_index=True)
    file_name = models.CharField(_("list file"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-paid_on", "-pk"]
        verbose_name = _("accident insurance premium payment")
        verbose_name_plural = _("accident insurance premium payments")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(amount=models.F("count") * models.F("premium_each")),
                name="accident_payment_amount",
            )
        ]

    def __str__(self) -> str:
        return f"JF{self.paid_on:%Y}{self.pk:07d}"

    @property
    def number(self) -> str:
        return str(self)


class Enrollment(models.Model):
    """One person's accident cover from ``start`` to ``end`` (both inclusive)."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="accident_enrollments",
        verbose_name=_("person"),
    )
    product = models.CharField(_("product"), max_length=80)
    pack = models.CharField(_("policy pack"), max_length=80)
    start = models.DateField(_("cover from"))
    end = models.DateField(_("cover until"))
    premium = models.BigIntegerField(_("premium"))
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("payment")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enrolled_on = models.DateField(_("enrolled on"))
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    region_path = models.CharField(max_length=200, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-start", "-pk"]
        verbose_name = _("accident insurance enrollment")
        verbose_name_plural = _("accident insurance enrollments")
        indexes: ClassVar = [
            models.Index(fields=["person", "start"], name="accident_enr_person_start")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="accident_enr_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"AK{self.start:%Y}{self.pk:08d}"


class Claim(models.Model):
    """A claim for one accident."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="accident_claims", verbose_name=_("person")
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="claims", verbose_name=_("cover")
    )
    accident_date = models.DateField(_("accident date"))
    description = models.CharField(_("what happened"), max_length=500)
    medical_expenses = models.BigIntegerField(_("medical expenses"), default=0)
    hospital_days = models.PositiveIntegerField(_("days in hospital"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.NONE
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    agent = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accident_claims_as_agent",
        verbose_name=_("agent"),
    )
    # What the rules give (fen) and how: the engine's lines (``AccidentResult.as_json``).
    amount = models.BigIntegerField(_("amount paid"), default=0)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    region_path = models.CharField(max_length=200, db_index=True)
    pack = models.CharField(_("policy pack"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-reported_on", "-pk"]
        verbose_name = _("accident claim")
        verbose_name_plural = _("accident claims")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(medical_expenses__gte=0),
                name="accident_claim_amounts",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"LP{self.reported_on:%Y}{self.pk:07d}"


class ClaimMaterial(models.Model):
    """A file uploaded with a claim (the files app holds it)."""

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="materials", verbose_name=_("claim")
    )
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        verbose_name = _("accident claim material")
        verbose_name_plural = _("accident claim materials")

    def __str__(self) -> str:
        return f"{self.claim_id}:{self.file_id}"

"""The registry: insured persons, their enrollment per scheme and year, special groups."""

from __future__ import annotations

from typing import ClassVar

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    HKMT_RESIDENCE = (
        "hkmt_residence",
        _("Residence permit for Hong Kong, Macao and Taiwan residents"),
    )
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID card")
    PASSPORT = "passport", _("Passport")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


@pghistory.track()
class Person(models.Model):
    """参保人: an insured person, identified by one document of a stated type."""

    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices
    )
    document_number = models.CharField(_("document number"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="persons", verbose_name=_("region")
    )
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("insured person")
        verbose_name_plural = _("insured persons")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="person_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


@pghistory.track()
class Enrollment(models.Model):
    """参保状态: a person's standing in one scheme for one year."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrollments")
    scheme = models.ForeignKey(
        "core.Scheme",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("scheme"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=EnrollmentStatus.choices)
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["-year", "scheme__code"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "scheme", "year"], name="enrollment_person_scheme_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.scheme_id} {self.year} {self.status}"


class GroupTier(models.TextChoices):
    CORE = "core", _("Core relief tier")
    LOW_INCOME = "low_income", _("Low-income tier")
    ILLNESS = "illness", _("Impoverished by serious illness")
    OTHER = "other", _("Other")


class SpecialGroup(models.Model):
    """特殊群体: a code for a group with its own rules (特困, 低保 …). Reference data."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    tier = models.CharField(_("tier"), max_length=20, choices=GroupTier.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("special group")
        verbose_name_plural = _("special groups")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


@pghistory.track()
class GroupMembership(models.Model):
    """A person's membership of a special group over a validity period."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    group = models.ForeignKey(
        SpecialGroup, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("group")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.group_id}"

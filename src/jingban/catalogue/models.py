"""The medical catalogue's versions and items, the chronic-disease table and the registrations
of persons for a chronic disease."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ItemKind(models.TextChoices):
    WESTERN_DRUG = "western_drug", _("Western medicine")  # 西药
    PATENT_DRUG = "patent_drug", _("Chinese patent medicine")  # 中成药
    CONSUMABLE = "consumable", _("Medical consumable")  # 医用耗材
    SERVICE = "service", _("Medical service")  # 医疗服务项目


class Category(models.TextChoices):
    """Payment class (甲/乙/丙类) or outside the catalogue (目录外)."""

    A = "A", _("Class A")
    B = "B", _("Class B")
    C = "C", _("Class C")
    NONE = "none", _("Outside the catalogue")


class CatalogueVersion(models.Model):
    """版本: one edition of the catalogue, in force from a day (to a day, or until a later
    edition starts). Items belong to one version; a new edition is imported whole."""

    label = models.CharField(_("version"), max_length=60, unique=True)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    default_first_pay_rate = models.DecimalField(
        _("default class B first-payment rate"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.10"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    sample = models.BooleanField(_("sample data"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-effective_from", "-id"]
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="catalogue_version_period",
            )
        ]

    def __str__(self) -> str:
        return self.label


class CatalogueItem(models.Model):
    """目录项目: a drug, consumable or service of one version, by its national code."""

    version = models.ForeignKey(
        CatalogueVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    code = models.CharField(_("national code"), max_length=50)
    name = models.CharField(pgettext_lazy("catalogue", "name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    category = models.CharField(_("class"), max_length=4, choices=Category.choices)
    # 乙类 only; None: the version's default rate.
    first_pay_rate = models.DecimalField(
        _("first-payment rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    # Fen per unit; None: no price limit.
    price_limit = models.BigIntegerField(_("price limit (fen per unit)"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    # The visit types (engine VisitType values) the item is covered for; empty: every one.
    visit_types = ArrayField(
        models.CharField(max_length=40), blank=True, default=list, verbose_name=_("visit types")
    )
    restriction = models.CharField(_("restricted payment scope"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogue_item_code_unique")
        ]
        indexes: ClassVar = [models.Index(fields=["code"], name="catalogue_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def rate(self) -> Decimal | None:
        """The first-payment rate that applies (乙类 only)."""
        if self.category != Category.B:
            return None
        return (
            self.first_pay_rate
            if self.first_pay_rate is not None
            else (self.version.default_first_pay_rate)
        )


class ChronicDisease(models.Model):
    """门诊慢特病病种: the disease table (code, name)."""

    code = models.CharField(_("disease code"), max_length=20, unique=True)
    name = models.CharField(_("disease"), max_length=100)
    sample = models.BooleanField(_("sample data"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar = ["code"]
        verbose_name = _("chronic or special disease")
        verbose_name_plural = _("chronic and special diseases")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class RegistrationStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    ENDED = "ended", _("Ended")


class ChronicRegistration(models.Model):
    """慢特病认定: a person registered for a disease over a period."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="chronic_registrations",
        verbose_name=_("insured person"),
    )
    disease = models.ForeignKey(
        ChronicDisease, on_delete=models.PROTECT, related_name="+", verbose_name=_("disease")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.ACTIVE,
    )
    hospital = models.CharField(_("certifying hospital"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-valid_from", "-id"]
        verbose_name = _("chronic disease registration")
        verbose_name_plural = _("chronic disease registrations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="chronic_registration_period",
            )
        ]
        indexes: ClassVar = [
            models.Index(fields=["person", "disease"], name="chronic_reg_person_disease")
        ]

    def __str__(self) -> str:
        return f"{self.disease.name} {self.valid_from:%Y-%m-%d}"

    def effective_period(self) -> tuple[dt.date, dt.date]:
        """The days it covers, first and last (an empty period when ended before it began)."""
        last = self.valid_to or dt.date.max
        if self.status == RegistrationStatus.ENDED and self.ended_on is not None:
            last = min(last, self.ended_on)
        return self.valid_from, last

    def covers(self, day: dt.date) -> bool:
        first, last = self.effective_period()
        return first <= day <= last

"""Contribution payments (缴费记录) and the imports of tax and bank files they come from."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a contribution was paid: since 2019 the tax authority collects resident
    contributions (税务), banks collect for it, and windows record what they take."""

    TAX = "tax", _("Tax authority")
    BANK = "bank", _("Bank")
    ONLINE = "online", _("Online (WeChat, Alipay)")
    WINDOW = "window", _("Service window")


class Reconciliation(models.TextChoices):
    """How a payment compares with what the person owes for the year."""

    MATCHED = "matched", _("Matched")
    AMOUNT_DIFFERS = "amount_differs", _("Amount differs")


class PaymentImport(models.Model):
    """One tax or bank file of payments, as imported: counts and the per-row report (document
    numbers masked). Rows that matched no enrollment and duplicates are only in the report."""

    file_name = models.CharField(_("file name"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    region_path = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    matched = models.PositiveIntegerField(_("matched"))
    amount_differs = models.PositiveIntegerField(_("amount differs"))
    unmatched = models.PositiveIntegerField(_("unmatched"))
    duplicates = models.PositiveIntegerField(_("duplicates"))
    report = models.JSONField(_("report"), default=list)
    digest = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("payment file")
        verbose_name_plural = _("payment files")

    def __str__(self) -> str:
        return self.file_name


class ContributionPayment(models.Model):
    """缴费记录: one payment of a person's contribution for a scheme and year, in fen, with the
    tax voucher number (完税凭证号) that makes it unique, and how it compares with what the
    person owes (tier less subsidies) when it was recorded."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="contribution_payments"
    )
    scheme = models.ForeignKey(
        "core.Scheme", on_delete=models.PROTECT, related_name="+", verbose_name=_("scheme")
    )
    year = models.PositiveSmallIntegerField(_("contribution year"))
    amount = models.BigIntegerField(_("amount"))
    expected = models.BigIntegerField(_("amount due"), null=True, blank=True)
    reconciliation = models.CharField(
        _("reconciliation"), max_length=20, choices=Reconciliation.choices
    )
    paid_at = models.DateTimeField(_("paid at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    voucher = models.CharField(_("tax voucher number"), max_length=40)
    source = models.ForeignKey(
        PaymentImport,
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
        verbose_name=_("payment file"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("contribution payment")
        verbose_name_plural = _("contribution payments")
        indexes: ClassVar = [models.Index(fields=["person", "year"], name="payment_person_year")]
        constraints: ClassVar = [
            # A voucher is the tax authority's number of one payment: seen twice is a duplicate.
            models.UniqueConstraint(fields=["voucher"], name="payment_voucher_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year} {self.amount}"

"""Supplementary products (惠民保): a person's enrollment in a product for one cover year, the
premiums paid (a refund negative) and the claims paid on settlements (a reversal negative).

The product is a pack of the supplementary family, named by its pack id; its figures (premium,
deductible, ratios, limits) are the pack's, never copied here. Amounts are integer fen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingban.medical.models import Settlement
from jingban.registry.models import Person


class Channel(models.TextChoices):
    ONLINE = "online", _("Online by the person")
    AGENT = "agent", _("Online by an agent")
    WINDOW = "window", _("At a service window")


class Status(models.TextChoices):
    UNPAID = "unpaid", _("Waiting for the premium")
    IN_FORCE = "in_force", _("In force")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    WINDOW = "window", _("At a service window")
    ONLINE = "online", _("Online payment")
    BANK = "bank", _("Bank deduction")


class ClaimKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Paid with the settlement")
    REQUESTED = "requested", _("Claimed afterwards")
    REVERSAL = "reversal", _("Reversal")


class Enrollment(models.Model):
    """One person's enrollment in one product (pack id) for one cover year."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="supplementary_enrollments",
        verbose_name=_("person"),
    )
    product = models.CharField(_("product"), max_length=80)
    year = models.PositiveSmallIntegerField(_("cover year"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    enrolled_on = models.DateField(_("enrolled on"))
    paid_on = models.DateField(_("premium paid on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    region_path = models.CharField(max_length=200, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("supplementary enrollment")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "product", "year"],
                condition=~Q(status="cancelled"),
                name="supplementary_one_enrollment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.product} {self.year} {self.status}"


class Premium(models.Model):
    """A premium received (positive) or refunded (negative), in fen."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="premiums", verbose_name=_("enrollment")
    )
    amount = models.BigIntegerField(_("amount (fen)"))
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    day = models.DateField(_("day"))
    refund = models.BooleanField(_("refund"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("supplementary premium")

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.day} {self.amount}"


class Claim(models.Model):
    """What a product paid on one settlement (negative: the reversal of a cancelled one)."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="claims", verbose_name=_("enrollment")
    )
    settlement = models.ForeignKey(
        Settlement, on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ClaimKind.choices)
    amount = models.BigIntegerField(_("amount (fen)"))
    in_catalogue = models.BigIntegerField(_("in-catalogue part (fen)"), default=0)
    out_of_catalogue = models.BigIntegerField(_("out-of-catalogue part (fen)"), default=0)
    deductible = models.BigIntegerField(_("deductible met (fen)"), default=0)
    day = models.DateField(_("paid on"))
    original = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    region_path = models.CharField(max_length=200, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("supplementary claim")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "settlement"], name="supplementary_one_claim_per_settlement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.settlement_id} {self.amount}"

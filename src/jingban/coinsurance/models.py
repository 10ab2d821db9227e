"""Co-insurance panels and the insurers' monthly statements.

A panel (共保体) is the list of insurers of one product (its pack id) with their shares, in
force from a day until the next panel of the product; panels are never edited, a change is a new
panel from a later (or the same, replacing) day, so the history stays. A statement run
(``StatementRun``) is one generation of a product's month: one ``Statement`` per insurer with its
``StatementLine``s, the insurer's part of every item. Running a month again makes a new version
and marks the earlier one superseded; issued PDFs of the old version still verify.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.core.models import Organisation


class ItemKind(models.TextChoices):
    PREMIUM = "premium", _("Premium")
    CLAIM = "claim", _("Claim")


class Panel(models.Model):
    """The insurers of ``product`` and their shares from ``effective_from``."""

    product = models.CharField(_("product"), max_length=80)
    effective_from = models.DateField(_("in force from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["product", "-effective_from", "-pk"]
        verbose_name = _("co-insurance panel")
        verbose_name_plural = _("co-insurance panels")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["product", "effective_from"], name="coinsurance_panel_one_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product}@{self.effective_from}"


class PanelMember(models.Model):
    """One insurer of a panel: its share in percent (up to four decimals, stored exactly) and
    whether it is the chief insurer (首席承保人). ``position`` orders the panel, chief first:
    ties of the split go in this order."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    insurer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("insurer")
    )
    share = models.DecimalField(_("share (%)"), max_digits=7, decimal_places=4)
    chief = models.BooleanField(_("chief insurer"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["panel", "position"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["panel", "insurer"], name="coinsurance_member_once"),
            models.CheckConstraint(condition=models.Q(share__gt=0), name="coinsurance_share_gt0"),
        ]

    def __str__(self) -> str:
        return f"{self.insurer_id}:{self.share}"


class StatementRun(models.Model):
    """One generation of a product's month (``month`` is its first day)."""

    product = models.CharField(_("product"), max_length=80)
    month = models.DateField(_("month"))
    version = models.PositiveIntegerField(_("version"))
    current = models.BooleanField(_("current"), default=True)
    item_count = models.PositiveIntegerField(_("number of items"), default=0)
    premiums = models.BigIntegerField(_("premiums (fen)"), default=0)
    claims = models.BigIntegerField(_("claims (fen)"), default=0)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["-month", "product", "-version"]
        verbose_name = _("statement run")
        verbose_name_plural = _("statement runs")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["product", "month", "version"], name="coinsurance_run_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.month:%Y-%m} v{self.version}"


class Statement(models.Model):
    """One insurer's monthly statement of a product: the sums of its parts of the month's items
    (net = premiums − claims). ``region_path`` is the insurer's region's."""

    run = models.ForeignKey(StatementRun, on_delete=models.CASCADE, related_name="statements")
    insurer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("insurer")
    )
    premiums = models.BigIntegerField(_("premiums (fen)"))
    claims = models.BigIntegerField(_("claims (fen)"))
    net = models.BigIntegerField(_("net (fen)"))
    item_count = models.PositiveIntegerField(_("number of items"))
    region_path = models.CharField(max_length=200, db_index=True)

    class Meta:
        ordering: ClassVar = ["-run__month", "run__product", "insurer__code", "-run__version"]
        verbose_name = _("co-insurer's monthly statement")
        verbose_name_plural = _("co-insurers' monthly statements")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["run", "insurer"], name="coinsurance_statement_once")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """结算单号: GB, the month and the row number."""
        return f"GB{self.run.month:%Y%m}{self.pk:06d}"


class StatementLine(models.Model):
    """The insurer's part of one item."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    ref = models.CharField(_("item"), max_length=80)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    day = models.DateField(_("day"))
    amount = models.BigIntegerField(_("amount (fen)"))
    part = models.BigIntegerField(_("part (fen)"))
    share = models.DecimalField(_("share (%)"), max_digits=7, decimal_places=4)

    class Meta:
        ordering: ClassVar = ["statement", "day", "kind", "ref"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")

    def __str__(self) -> str:
        return f"{self.ref}:{self.part}"

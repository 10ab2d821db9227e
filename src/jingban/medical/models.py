"""Direct settlement (直接结算): visits, their fee details, settlements with their explanation
and funds, the person-year accumulators and the reconciliations of totals.

Money is int fen (``BigIntegerField``). A settlement row is never changed after it is written,
except its ``status`` when a later reversal cancels it: a cancellation is a second row with
every amount negated (``kind`` reversal) that names the original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VisitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISCHARGED = "discharged", _("Discharged")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


class Visit(models.Model):
    """就诊 (an outpatient visit) or 住院 (an admission): the interface's ``mdtrt``."""

    mdtrt_id = models.CharField(_("visit number"), max_length=30, unique=True)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="visits", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="medical_visits",
        verbose_name=_("institution"),
    )
    scheme = models.CharField(_("scheme"), max_length=40)
    insutype = models.CharField(_("insurance type"), max_length=6)
    med_type = models.CharField(_("medical type"), max_length=6)
    visit_type = models.CharField(_("visit type"), max_length=30)
    inpatient = models.BooleanField(_("inpatient"), default=False)
    begntime = models.DateTimeField(_("began"))
    endtime = models.DateTimeField(_("ended"), null=True, blank=True)
    ipt_otp_no = models.CharField(_("hospital visit number"), max_length=40)
    dise_codg = models.CharField(_("diagnosis code"), max_length=30, blank=True)
    dise_name = models.CharField(_("diagnosis"), max_length=200, blank=True)
    insuplc_admdvs = models.CharField(_("insured area"), max_length=6)
    mdtrtarea_admvs = models.CharField(_("treatment area"), max_length=6)
    emergency = models.BooleanField(_("emergency"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.OPEN
    )
    msgid = models.CharField(_("message id"), max_length=40, blank=True)
    region_path = models.CharField(max_length=200, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-begntime", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "ipt_otp_no"],
                condition=~Q(status="cancelled"),
                name="medical_visit_number_open_unique",
            )
        ]
        indexes = [models.Index(fields=["institution", "msgid"], name="medical_visit_msgid")]

    def __str__(self) -> str:
        return self.mdtrt_id


class FeeStatus(models.TextChoices):
    ACTIVE = "active", _("Recorded")
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")


class FeeDetail(models.Model):
    """费用明细: one fee line a hospital sent, with its classification through the catalogue."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="fee_lines", verbose_name=_("visit")
    )
    feedetl_sn = models.CharField(_("line number"), max_length=40)
    med_list_codg = models.CharField(_("catalogue code"), max_length=60)
    medins_list_codg = models.CharField(_("hospital code"), max_length=60, blank=True)
    name = models.CharField(_("item"), max_length=200)
    cnt = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    pric = models.BigIntegerField(_("price (fen)"))
    amount = models.BigIntegerField(_("amount (fen)"))
    fee_ocur_time = models.DateTimeField(_("incurred at"))
    chrg_bchno = models.CharField(_("charge batch"), max_length=40, blank=True)
    category = models.CharField(_("class"), max_length=4, blank=True)
    fulamt_ownpay = models.BigIntegerField(default=0)
    overlmt = models.BigIntegerField(default=0)
    preselfpay = models.BigIntegerField(default=0)
    inscp = models.BigIntegerField(default=0)
    warning = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.ACTIVE
    )
    settlement = models.ForeignKey(
        "Settlement", on_delete=models.PROTECT, null=True, blank=True, related_name="fee_lines"
    )
    msgid = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "feedetl_sn"],
                condition=~Q(status="cancelled"),
                name="medical_fee_line_sn_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.feedetl_sn} {self.name}"


class SettlementKind(models.TextChoices):
    SETTLEMENT = "settlement", _("Settlement")
    REVERSAL = "reversal", _("Reversal")


class SettlementChannel(models.TextChoices):
    """How the bill reached the fund: from the hospital's system (直接结算) or as the person's
    application with invoices (手工报销), settled by a reviewer through the same engine."""

    DIRECT = "direct", _("Direct settlement")
    MANUAL = "manual", _("Manual reimbursement")


class SettlementStatus(models.TextChoices):
    SETTLED = "settled", _("Settled")
    CANCELLED = "cancelled", _("Cancelled")
    REVERSAL = "reversal", _("Reversal")


# The setlinfo amounts every settlement row carries (fen; negative on a reversal).
AMOUNT_FIELDS = (
    "medfee_sumamt",
    "fulamt_ownpay_amt",
    "overlmt_selfpay",
    "preselfpay_amt",
    "inscp_scp_amt",
    "act_pay_dedc",
    "hifp_pay",
    "hifmi_pay",
    "maf_pay",
    "oth_pay",
    "fund_pay_sumamt",
    "psn_part_amt",
    "acct_pay",
    "psn_cash_pay",
)


class Settlement(models.Model):
    """结算: one settlement, or the reversal that cancels one (negative amounts)."""

    setl_id = models.CharField(_("settlement number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=SettlementKind.choices)
    channel = models.CharField(
        _("channel"),
        max_length=8,
        choices=SettlementChannel.choices,
        default=SettlementChannel.DIRECT,
        db_default=SettlementChannel.DIRECT,  # rows written with COPY (synth) are direct
    )
    status = models.CharField(_("status"), max_length=12, choices=SettlementStatus.choices)
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("visit")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("person"),
    )
    institution = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="medical_settlements",
        verbose_name=_("institution"),
    )
    original = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversal"
    )
    msgid = models.CharField(_("message id"), max_length=40, blank=True)
    setl_time = models.DateTimeField(_("settled at"))
    year = models.PositiveSmallIntegerField(_("year"))
    insutype = models.CharField(_("insurance type"), max_length=6)
    med_type = models.CharField(_("medical type"), max_length=6)
    visit_type = models.CharField(_("visit type"), max_length=30)
    cross_region = models.CharField(_("cross-region rule"), max_length=20)
    medfee_sumamt = models.BigIntegerField(_("total fees"))
    fulamt_ownpay_amt = models.BigIntegerField(_("fully self-paid"))
    overlmt_selfpay = models.BigIntegerField(_("above price limits"))
    preselfpay_amt = models.BigIntegerField(_("class B first payment"))
    inscp_scp_amt = models.BigIntegerField(_("in scope"))
    act_pay_dedc = models.BigIntegerField(_("deductible"))
    hifp_pay = models.BigIntegerField(_("basic fund"))
    # The basic fund's ratio as applied (the interface names it pool_prop_selfpay).
    pool_prop_selfpay = models.DecimalField(_("basic fund ratio"), max_digits=6, decimal_places=4)
    hifmi_pay = models.BigIntegerField(_("critical illness insurance"))
    maf_pay = models.BigIntegerField(_("medical assistance"))
    oth_pay = models.BigIntegerField(_("other funds"))
    fund_pay_sumamt = models.BigIntegerField(_("funds in total"))
    psn_part_amt = models.BigIntegerField(_("person's part"))
    acct_pay = models.BigIntegerField(_("personal account"), default=0)
    psn_cash_pay = models.BigIntegerField(_("paid in cash"))
    # The engine's counter changes (after − before): a reversal subtracts them.
    counter_changes = models.JSONField(default=dict)
    packs = models.JSONField(_("packs"), default=list)  # [{"ref": "id@v", "hash": "…"}]
    catalogue_version = models.CharField(_("catalogue version"), max_length=60, blank=True)
    coverage = models.JSONField(_("coverage"), default=dict)
    cross_region_decision = models.JSONField(_("cross-region decision"), default=dict)
    clr_optins = models.CharField(_("clearing area"), max_length=6)
    region_path = models.CharField(max_length=200, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-setl_time", "-pk"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            # One visit is settled once: a second settlement needs the first cancelled.
            models.UniqueConstraint(
                fields=["visit"],
                condition=Q(kind="settlement", status="settled"),
                name="medical_settlement_once_per_visit",
            )
        ]
        indexes = [
            models.Index(fields=["institution", "setl_time"], name="medical_setl_inst_time"),
            models.Index(fields=["institution", "msgid"], name="medical_setl_msgid"),
            models.Index(fields=["person", "year"], name="medical_setl_person_year"),
        ]

    def __str__(self) -> str:
        return self.setl_id


class SettlementLine(models.Model):
    """One line of the explanation of benefits (the engine's ``Line``), in both languages."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    layer = models.CharField(max_length=30)
    code = models.CharField(max_length=40)
    label_zh = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    rule_zh = models.TextField(blank=True)
    rule_en = models.TextField(blank=True)
    base = models.BigIntegerField(null=True)
    amount = models.BigIntegerField()
    payment = models.BooleanField(default=False)

    class Meta:
        ordering = ["settlement", "position"]

    def __str__(self) -> str:
        return f"{self.layer}.{self.code}"


class SettlementFund(models.Model):
    """One ``setldetail`` row: a fund's part (``fund_pay_type``) of a settlement."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="funds")
    fund_pay_type = models.CharField(max_length=10)
    inscp_scp_amt = models.BigIntegerField()
    crt_payb_lmt_amt = models.BigIntegerField()
    fund_payamt = models.BigIntegerField()

    class Meta:
        ordering = ["settlement", "fund_pay_type"]

    def __str__(self) -> str:
        return self.fund_pay_type


class PersonYearTotals(models.Model):
    """年度累计: a person's accumulators for one year, the engine's counters plus the totals the
    interface's 5206 answers, and the continuity facts of the year (``YearUse``). Settlements of
    one person-year are serialised by locking this row (``SELECT … FOR UPDATE``)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="medical_year_totals"
    )
    year = models.PositiveSmallIntegerField()
    counters = models.JSONField(default=dict)
    medfee = models.BigIntegerField(default=0)
    fund_paid_amount = models.BigIntegerField(default=0)
    ci_paid_amount = models.BigIntegerField(default=0)
    settlements = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="medical_totals_person_year")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.year}"

    @property
    def fund_paid(self) -> bool:
        """Did the fund pay anything this year (net of cancellations)?"""
        return self.fund_paid_amount > 0

    @property
    def ci_paid(self) -> bool:
        return self.ci_paid_amount > 0


class ReconcileResult(models.TextChoices):
    BALANCED = "0", _("Balanced")
    UNBALANCED = "1", _("Not balanced")


class Reconciliation(models.Model):
    """对总账 (3201): a hospital's totals for a period against jingban's."""

    institution = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="medical_reconciliations"
    )
    insutype = models.CharField(_("insurance type"), max_length=6)
    clr_type = models.CharField(_("clearing type"), max_length=6, blank=True)
    setl_optins = models.CharField(_("clearing area"), max_length=6, blank=True)
    begin = models.DateField(_("from"))
    end = models.DateField(_("to"))
    hospital_medfee = models.BigIntegerField()
    hospital_fund = models.BigIntegerField()
    hospital_acct = models.BigIntegerField()
    hospital_count = models.IntegerField()
    our_medfee = models.BigIntegerField()
    our_fund = models.BigIntegerField()
    our_acct = models.BigIntegerField()
    our_count = models.IntegerField()
    result = models.CharField(_("result"), max_length=1, choices=ReconcileResult.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    msgid = models.CharField(max_length=40, blank=True)
    region_path = models.CharField(max_length=200, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")

    def __str__(self) -> str:
        return f"{self.institution_id} {self.begin}–{self.end}"

"""Core reference data: regions, organisations, schemes, users and their scope, the action log,
the holiday calendar and API tokens."""

from __future__ import annotations

from typing import ClassVar

import pgtrigger
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.roles import ROLE_LABELS, Role, capabilities_of


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("District or county")
    TOWN = "town", _("Town or street")
    VILLAGE = "village", _("Village or community")


class Region(models.Model):
    """行政区划: a node of the administrative hierarchy, keyed by its administrative code."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent region"),
    )
    # Codes from the root down, each followed by "/": a subtree is a prefix match.
    path = models.CharField(_("path"), max_length=200, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes: ClassVar = [
            models.Index(
                fields=["path"], name="region_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SchemeKind(models.TextChoices):
    RESIDENT_MEDICAL = "resident_medical", _("Resident basic medical insurance")
    EMPLOYEE_MEDICAL = "employee_medical", _("Employee basic medical insurance")
    CRITICAL_ILLNESS = "critical_illness", _("Critical illness insurance")
    LTC = "ltc", _("Long-term care insurance")
    SUPPLEMENTARY = "supplementary", _("Supplementary product")


class Scheme(models.Model):
    """险种: a scheme that people enroll in (resident medical, LTC, a 惠民保 product …)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SchemeKind.choices)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("Medical insurance bureau")
    INSURER = "insurer", _("Contracted insurer")
    HOSPITAL = "hospital", _("Hospital")
    CARE_INSTITUTION = "care_institution", _("Care institution")
    # 基层医疗机构: a township health centre, a community health service centre, a nursing home
    # with a long-term care zone.
    PRIMARY = "primary", _("Primary care institution")
    PHARMACY = "pharmacy", _("Designated pharmacy")
    # 评估机构: the institution assessors and assessment experts belong to.
    ASSESSMENT = "assessment", _("Assessment institution")


class Organisation(models.Model):
    """机构: the bureau, a contracted insurer (商保经办), a hospital or a care institution."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    # For an insurer: the schemes it administers under contract. Empty for others.
    schemes = models.ManyToManyField(
        Scheme, blank=True, related_name="organisations", verbose_name=_("schemes")
    )
    hospital_level = models.PositiveSmallIntegerField(_("hospital level"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class ServiceWindow(models.Model):
    """服务窗口: a counter where people are served."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="windows",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="windows", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)

    class Meta:
        ordering = ["organisation__code", "name"]
        verbose_name = _("service window")
        verbose_name_plural = _("service windows")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. Its scope is region subtree × organisation × schemes."""

    role = models.CharField(
        _("role"), max_length=20, choices=[(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("region"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisation"),
    )
    # Empty means every scheme of the organisation (the bureau, or an unrestricted admin).
    schemes = models.ManyToManyField(
        Scheme, blank=True, related_name="users", verbose_name=_("schemes")
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    care_mode = models.BooleanField(_("large-font care mode"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_short_name(self) -> str:
        """What a greeting calls the user (the admin's "Welcome, …"): the display name."""
        return self.display_name or super().get_short_name()

    @property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return capabilities_of(self.role)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def role_label(self) -> str:
        try:
            return str(ROLE_LABELS[Role(self.role)])
        except ValueError:
            return self.role


class ActionLog(models.Model):
    """操作日志: one row per state change, hash-chained after commit (see core.actionlog)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    # When an agent or guardian acts for an insured person: "registry.person:<id>". The actor is
    # still the agent's own account; this names whom the act was for.
    on_behalf_of = models.CharField(
        _("on behalf of"), max_length=64, blank=True, default="", db_default="", db_index=True
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    region_path = models.CharField(max_length=200, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Chain position and HMAC, written once by the sealer after the row's transaction commits.
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    # HMAC of the row's content under a key derived from the audit key, computed by log_action
    # inside the writing transaction: a row put in by anyone else has none, and the sealer refuses
    # it (see docs/adr/0007-action-log-row-mac-and-personal-data.md).
    row_mac = models.CharField(max_length=64, blank=True, default="", db_default="")
    # Set by the sealer on a row whose MAC is missing or wrong, so later sealers skip it; the row
    # stays unsealed and ``jingban audit verify`` reports it.
    seal_refused = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["-id"]
        triggers: ClassVar = [
            # Rows are append-only: no deletion, and no change once sealed.
            pgtrigger.Protect(name="actionlog_no_delete", operation=pgtrigger.Delete),
            pgtrigger.Protect(
                name="actionlog_sealed_immutable",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__seq__isnull=False),
            ),
        ]
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"


class ActionLogHead(models.Model):
    """The last sealed position of the chain, kept apart from the chain itself (one row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)
    # Rows with an id below this were written before row MACs existed and are sealed without one.
    # Only honoured with a valid ``row_mac_from_seal`` (an HMAC of the value), so a database writer
    # cannot raise it to pass forged rows off as old ones. 0: every row needs a MAC.
    row_mac_from = models.BigIntegerField(default=0, db_default=0)
    row_mac_from_seal = models.CharField(max_length=64, blank=True, default="", db_default="")

    def __str__(self) -> str:
        return f"head at {self.seq}"


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Adjusted working day (调休上班)")


class CalendarYear(models.Model):
    """A year the holiday table covers. Working-day arithmetic refuses uncovered years."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class Holiday(models.Model):
    """A day that departs from the Monday–Friday rule: a holiday, or a weekend made a workday."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=HolidayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        from jingban.core.calendar import holiday_name

        return f"{self.date} {holiday_name(self.name)}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token expires (ADR 0009); tokens issued before expiry existed got 90 days from
    # their creation.
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

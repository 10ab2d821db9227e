"""The department directory (部门电话): one row per department, window or hotline a citizen can
call or visit, by place and business line."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.models import Region


class BusinessLine(models.TextChoices):
    """业务类别: what a citizen calls about. An entry serves one or several lines."""

    ENROLMENT = "enrolment", pgettext_lazy("directory", "Enrolment")  # 参保
    CONTRIBUTION = "contribution", pgettext_lazy("directory", "Contributions")  # 缴费
    PERSONAL_ACCOUNT = (
        "personal_account",
        pgettext_lazy("directory", "Personal accounts"),
    )  # 个人账户
    CROSS_REGION = (
        "cross_region",
        pgettext_lazy("directory", "Medical care in another region"),
    )  # 异地就医
    REVIEW = "review", pgettext_lazy("directory", "Claim review")  # 审核
    SETTLEMENT = "settlement", pgettext_lazy("directory", "Settlement")  # 结算
    LTC = "ltc", pgettext_lazy("directory", "Long-term care insurance")  # 长护
    AUDIT = "audit", pgettext_lazy("directory", "Fund audit")  # 稽核
    COMPLAINTS = "complaints", pgettext_lazy("directory", "Complaints and reports")  # 投诉举报
    POLICY = "policy", pgettext_lazy("directory", "Policy enquiries")  # 政策咨询
    GENERAL = "general", pgettext_lazy("directory", "General services")  # 综合经办


class EntryKind(models.TextChoices):
    DEPARTMENT = "department", pgettext_lazy("directory", "Department")
    WINDOW = "window", pgettext_lazy("directory", "Service window")
    HOTLINE = "hotline", pgettext_lazy("directory", "Hotline")


class Entry(models.Model):
    """部门电话: a department, service window or hotline, with its numbers and where it is.

    ``phones`` holds one or several numbers as Chinese numbers are written (``0411-83709172``,
    ``65006161``, ``13812345678``, ``12345``), separated by ``、`` (``directory.phones``).
    ``region`` is the place in the region table when it has it (a national hotline has none);
    ``place_name`` is the place as a citizen names it (大连市, 全国). ``source`` says where the
    row was taken from, shown on the page. An entry is never deleted: it is deactivated, and a
    deactivated entry is no longer shown to the public.
    """

    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EntryKind.choices, default=EntryKind.DEPARTMENT
    )
    business_lines = ArrayField(
        models.CharField(max_length=30, choices=BusinessLine.choices),
        verbose_name=pgettext_lazy("directory", "business lines"),
        default=list,
    )
    phones = models.CharField(pgettext_lazy("directory", "phone numbers"), max_length=300)
    address = models.CharField(_("address"), max_length=300, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directory_entries",
        verbose_name=_("region"),
    )
    place_name = models.CharField(pgettext_lazy("directory", "place"), max_length=100, blank=True)
    note = models.CharField(pgettext_lazy("directory", "services"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    active = models.BooleanField(pgettext_lazy("directory", "active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["place_name", "organisation_name", "name"]
        verbose_name = _("directory entry")
        verbose_name_plural = _("directory entries")
        constraints: ClassVar = [
            # The natural key an import matches rows by: one name per organisation.
            models.UniqueConstraint(
                fields=["organisation_name", "name"], name="directory_entry_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} {self.name}"

    @property
    def phone_list(self) -> list[str]:
        from jingban.directory.phones import split_phones

        return split_phones(self.phones)

    @property
    def business_line_labels(self) -> list[str]:
        labels = dict(BusinessLine.choices)
        return [str(labels.get(code, code)) for code in self.business_lines]

"""Policy pack versions (政策包版本) in the database: imported from a file or edited in the UI,
approved by a second person, and from then on immutable.

The YAML text is the pack; the other columns are what the engine read from it when the version
was stored (id, version, kind, title, region, scheme, effective period, content hash), kept as
columns so lists and lookups need not parse every text. A reader that uses the pack re-loads the
text and checks its hash against ``content_hash`` (``queries.approved_registry``).
"""

from __future__ import annotations

from typing import ClassVar

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONWIDE = "000000"  # a pack for wherever no region has its own


class PackStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PackOrigin(models.TextChoices):
    SHIPPED = "shipped", _("Shipped with jingban")
    IMPORTED = "imported", _("Imported from a file")
    EDITED = "edited", _("Edited in jingban")


class PackKindChoice(models.TextChoices):
    """The engine's ``PackKind``, with labels."""

    PUBLIC = "public", _("Public scheme")
    SUPPLEMENTARY = "supplementary", _("Supplementary insurance")


class PackFamilyChoice(models.TextChoices):
    """The engine's ``Family`` (which rules a pack holds), with labels. Not a column: a stored
    version's family is read from its text (layout 1 texts have none)."""

    MEDICAL = "medical", _("Medical insurance")
    SUPPLEMENTARY = "supplementary", _("Supplementary insurance")
    CONTRIBUTION = "contribution", _("Contributions")
    DESK = "desk", _("Complaints and reports")
    LTC_ASSESSMENT = "ltc_assessment", _("Disability assessment standard")
    LTC = "ltc", _("Long-term care insurance")
    FILING = "filing", _("Cross-region filing")
    ACCIDENT = "accident", _("Elderly accident insurance")
    REIMBURSEMENT = "reimbursement", _("Manual reimbursement")


# A decided version (approved or rejected) is a record of what was decided: no UPDATE, no DELETE,
# whoever asks, raw SQL included.
_DECIDED = pgtrigger.Q(old__status="approved") | pgtrigger.Q(old__status="rejected")


@pghistory.track()
class PackVersion(models.Model):
    """One version of a policy pack, as text, with who entered and who reviewed it."""

    pack_id = models.CharField(_("pack id"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=20, choices=PackKindChoice.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    region = models.CharField(_("region code"), max_length=6)
    scheme = models.CharField(_("scheme code"), max_length=40)
    effective_start = models.DateField(_("effective from"))
    effective_end = models.DateField(_("effective until"))
    content = models.TextField(_("content (YAML)"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=PackStatus.choices, default=PackStatus.DRAFT
    )
    origin = models.CharField(_("origin"), max_length=10, choices=PackOrigin.choices)
    # None for a shipped pack: it was written and reviewed in the repository.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authored_pack_versions",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by approval or rejection; a shipped pack is approved without one.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_pack_versions",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering: ClassVar = ["pack_id", "-version"]
        verbose_name = _("policy pack version")
        verbose_name_plural = _("policy pack versions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["pack_id", "version"], name="packversion_id_version"),
            models.CheckConstraint(
                condition=models.Q(effective_end__gte=models.F("effective_start")),
                name="packversion_effective_ordered",
            ),
            # A decision has its time; a draft has none.
            models.CheckConstraint(
                condition=models.Q(status="draft", reviewed_at__isnull=True)
                | (~models.Q(status="draft") & models.Q(reviewed_at__isnull=False)),
                name="packversion_reviewed_when_decided",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "pack_id"], name="packversion_status_id"),
        ]
        triggers: ClassVar = [
            pgtrigger.Protect(
                name="packversion_decided_no_update",
                operation=pgtrigger.Update,
                condition=_DECIDED,
            ),
            pgtrigger.Protect(
                name="packversion_decided_no_delete",
                operation=pgtrigger.Delete,
                condition=_DECIDED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack_id}@{self.version}"

    @property
    def spec(self) -> str:
        return f"{self.pack_id}@{self.version}"

    @property
    def approved_at(self) -> object:
        """When it was approved (None unless approved)."""
        return self.reviewed_at if self.status == PackStatus.APPROVED else None

    @property
    def is_draft(self) -> bool:
        return self.status == PackStatus.DRAFT

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_zh

    def scheme_label(self) -> str:
        """The scheme by name (a scheme of the registry, else the kind of scheme the code
        names); a code no scheme knows stays as written."""
        from jingban.core.models import Scheme, SchemeKind

        scheme = Scheme.objects.filter(code=self.scheme).first()
        if scheme is not None:
            return str(scheme)
        if self.scheme in SchemeKind.values:
            return str(SchemeKind(self.scheme).label)
        return self.scheme

    def region_label(self) -> str:
        """The region by name with its code; 000000 is the whole country."""
        if self.region == NATIONWIDE:
            return str(_("Nationwide (%(code)s)") % {"code": self.region})
        from jingban.core.models import Region

        name = Region.objects.filter(code=self.region).values_list("name", flat=True).first()
        return f"{name} ({self.region})" if name else self.region

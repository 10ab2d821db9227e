"""The intake part's own models (re-exported by ``models``).

``Review`` (复核): one expert's verdict on an assessment round's conclusion, confirmed or
returned for a new visit. The conclusion is confirmed when the pack's number of experts
(``LtcRules.assessment.review_experts``) have confirmed it; one return sends the case back for
a new round. An expert gives one verdict per round (a unique constraint, so a double click or a
second tab cannot count twice).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned for a new visit")


class Review(models.Model):
    """复核: one expert's verdict on one assessment round."""

    assessment = models.ForeignKey(
        "ltc.Assessment", on_delete=models.CASCADE, related_name="reviews"
    )
    expert = models.ForeignKey(
        "workforce.Assessor",
        on_delete=models.PROTECT,
        related_name="ltc_reviews",
        verbose_name=_("expert"),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "at", "id"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assessment", "expert"], name="ltc_review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.expert_id} {self.verdict}"


class Material(models.Model):
    """One material of an application (申请材料) by its kind (the pack's ``MaterialKind``):
    either an upload (``file``, a ``files.StoredFile`` attached to the case) or, when the
    applicant showed the paper original at the window, the operator's record that it was
    checked there (``file`` empty, ``on_paper`` true). Acceptance needs one of each kind the
    pack requires."""

    case = models.ForeignKey("ltc.Case", on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind of material"), max_length=40)
    file = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_paper = models.BooleanField(_("paper original checked at the window"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "kind", "at", "id"]
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


__all__: list[str] = ["Material", "Review", "Verdict"]

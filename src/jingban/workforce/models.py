"""The people of the service network: caregivers (护理员) and assessors (评估员, 评估专家), their
qualifications, the links that make an assessor recuse themselves, and the logged assessor draws.

A caregiver or an assessor may be linked to an insured person of the registry (the same document),
so the draw can tell a family member of the applicant (the same household) from a stranger.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingban.registry.models import DocumentType


class StaffStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    LEFT = "left", _("Left")


class QualificationKind(models.TextChoices):
    """The certificates the network asks for. Caregivers hold the first three; assessors and
    experts the last two."""

    ELDERLY_CARE = "elderly_care", _("Elderly care worker (养老护理员)")
    MEDICAL_CARE = "medical_care", _("Medical care worker (医疗护理员)")
    HEALTH_CARE = "health_care", _("Health caregiver (健康照护师)")
    LTC_ASSESSOR = "ltc_assessor", _("Long-term care assessor certificate")
    LTC_EXPERT = "ltc_expert", _("Long-term care assessment expert certificate")


CAREGIVER_KINDS = (
    QualificationKind.ELDERLY_CARE,
    QualificationKind.MEDICAL_CARE,
    QualificationKind.HEALTH_CARE,
)
ASSESSOR_KINDS = (QualificationKind.LTC_ASSESSOR, QualificationKind.LTC_EXPERT)


class QualificationLevel(models.IntegerChoices):
    """职业技能等级: level five is the entry level, level one the highest."""

    FIVE = 5, _("Level 5 (entry)")
    FOUR = 4, _("Level 4 (intermediate)")
    THREE = 3, _("Level 3 (senior)")
    TWO = 2, _("Level 2 (technician)")
    ONE = 1, _("Level 1 (senior technician)")


class AssessorClass(models.TextChoices):
    ASSESSOR = "assessor", _("Assessor")
    EXPERT = "expert", _("Assessment expert")


# The qualification an assessor of each class needs on the day of a draw.
CLASS_QUALIFICATION = {
    AssessorClass.ASSESSOR: QualificationKind.LTC_ASSESSOR,
    AssessorClass.EXPERT: QualificationKind.LTC_EXPERT,
}


class Caregiver(models.Model):
    """护理员: a care worker employed by a care institution (or a primary institution)."""

    name = models.CharField(_("name"), max_length=100)
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
    )
    document_number = models.CharField(_("document number"), max_length=32)
    # The phone the caregiver checks in with at a visit (a later step).
    phone = models.CharField(_("check-in phone"), max_length=20)
    employer = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="caregivers",
        verbose_name=_("employer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StaffStatus.choices, default=StaffStatus.ACTIVE
    )
    training_hours = models.PositiveIntegerField(_("training hours"), default=0)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caregiver_records",
        verbose_name=_("insured person"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caregiver_record",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("caregiver")
        verbose_name_plural = _("caregivers")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="caregiver_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessor(models.Model):
    """评估员 or 评估专家 of an assessment institution."""

    name = models.CharField(_("name"), max_length=100)
    klass = models.CharField(_("class"), max_length=10, choices=AssessorClass.choices)
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
    )
    document_number = models.CharField(_("document number"), max_length=32)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="assessors",
        verbose_name=_("assessment institution"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StaffStatus.choices, default=StaffStatus.ACTIVE
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessor_records",
        verbose_name=_("insured person"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessor_record",
        verbose_name=_("user account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="assessor_document_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """A certificate held by a caregiver or an assessor (exactly one of them)."""

    caregiver = models.ForeignKey(
        Caregiver,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    assessor = models.ForeignKey(
        Assessor,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    kind = models.CharField(_("qualification"), max_length=20, choices=QualificationKind.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=QualificationLevel.choices, null=True, blank=True
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(caregiver__isnull=True, assessor__isnull=False)
                | models.Q(caregiver__isnull=False, assessor__isnull=True),
                name="qualification_one_holder",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="qualification_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["kind", "certificate_number"], name="qualification_certificate_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.certificate_number


class AffiliationKind(models.TextChoices):
    EMPLOYED = "employed", _("Employed by")
    CONTRACTED = "contracted", _("Contracted to")


class Affiliation(models.Model):
    """An assessor's tie to a care institution over a period: the assessor may not assess
    anyone applying through that institution while it holds (回避)."""

    assessor = models.ForeignKey(Assessor, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="assessor_affiliations",
        verbose_name=_("institution"),
    )
    kind = models.CharField(_("tie"), max_length=10, choices=AffiliationKind.choices)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from", "id"]
        verbose_name = _("recusal link")
        verbose_name_plural = _("recusal links")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="affiliation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor_id} {self.kind} {self.organisation_id}"


class Draw(models.Model):
    """One assessor draw as it happened: the seed, the candidate pool it drew from (ids in
    order, with a digest), who was left out and why, and the result. ``services.replay``
    draws again from the seed and the pool and must give the same result."""

    applicant = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="assessor_draws",
        verbose_name=_("applicant"),
    )
    care_institution = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessor_draws",
        verbose_name=_("care institution"),
    )
    drawn_on = models.DateField(_("day of the draw"))
    # The applicant's city: the pool is the city's assessors; the draw is seen within it.
    region_path = models.CharField(max_length=200, db_index=True)
    needed = models.JSONField(_("needed"))
    seed = models.CharField(_("seed"), max_length=40)
    # {"assessor": [ids…], "expert": [ids…]}, each ascending: what the seed drew from.
    pool = models.JSONField(_("candidate pool"))
    pool_digest = models.CharField(_("pool digest"), max_length=64)
    # [{"id": …, "class": …, "reasons": [...]}]: qualified assessors left out, with why.
    excluded = models.JSONField(_("excluded"), default=list)
    previous_assessor_ids = models.JSONField(default=list)
    exclude_previous = models.BooleanField(_("exclude the previous assessor"), default=False)
    result = models.JSONField(_("result"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("assessor draw")
        verbose_name_plural = _("assessor draws")

    def __str__(self) -> str:
        return f"draw {self.pk}"

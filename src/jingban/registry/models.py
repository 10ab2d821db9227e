"""The registry: insured persons, their enrollment per scheme and year, special groups."""

from __future__ import annotations

from typing import ClassVar

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import ExtractYear, Lower, Replace, Reverse, Substr
from django.utils.translation import gettext_lazy as _

from jingban.core.models import SchemeKind


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    HKMT_RESIDENCE = (
        "hkmt_residence",
        _("Residence permit for Hong Kong, Macao and Taiwan residents"),
    )
    FOREIGN_PERMANENT = "foreign_permanent", _("Foreign permanent resident ID card")
    PASSPORT = "passport", _("Passport")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


@pghistory.track()
class Person(models.Model):
    """参保人: an insured person, identified by one document of a stated type."""

    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices
    )
    document_number = models.CharField(_("document number"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="persons", verbose_name=_("region")
    )
    death_date = models.DateField(_("date of death"), null=True, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("insured person")
        verbose_name_plural = _("insured persons")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], name="person_document_unique"
            ),
        ]
        # The search's and the list's indexes (registry/search.py; migration 0006): a sort key
        # with the id for keyset paging, the start and the end of a number for partial search,
        # and the characters of a name for part-of-name search.
        indexes: ClassVar = [
            models.Index(F("name"), F("id"), name="person_name_id"),
            models.Index(Substr("document_number", 1, 6), F("id"), name="person_doc_prefix_id"),
            models.Index(ExtractYear("birth_date"), F("id"), name="person_birth_year_id"),
            models.Index(F("region"), F("id"), name="person_region_id"),
            models.Index(
                fields=["document_number"],
                name="person_document_pattern",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                OpClass(Reverse("document_number"), name="text_pattern_ops"),
                name="person_document_reversed",
            ),
            models.Index(
                OpClass(Replace("phone", Value("-"), Value("")), name="text_pattern_ops"),
                name="person_phone_digits",
                condition=~Q(phone=""),
            ),
            models.Index(
                OpClass(Reverse(Replace("phone", Value("-"), Value(""))), name="text_pattern_ops"),
                name="person_phone_reversed",
                condition=~Q(phone=""),
            ),
            GinIndex(
                Func(Lower("name"), Value(None), function="string_to_array"),
                name="person_name_chars",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RevealPurpose(models.TextChoices):
    """Why a full document number is shown (PIPL: processing needs a stated purpose)."""

    IDENTITY_CHECK = "identity_check", _("Verifying identity")
    CASE_HANDLING = "case_handling", _("Handling a case")
    AUDIT = "audit", _("Audit")
    OTHER = "other", _("Other")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


@pghistory.track()
class Enrollment(models.Model):
    """参保状态: a person's standing in one scheme for one year."""

    # No single-column indexes: the unique (person, scheme, year) index serves lookups by person,
    # and one by scheme (a handful of values) would never be chosen; both would only slow down
    # writes, the synthetic city's millions of rows first (docs/adr/0003-synthetic-city.md).
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="enrollments", db_index=False
    )
    scheme = models.ForeignKey(
        "core.Scheme",
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("scheme"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=EnrollmentStatus.choices)
    since = models.DateField(_("since"))
    # Step 8 (the enrollment app's services fill them; bulk writers and COPY may leave them to
    # the database's defaults): the contribution tier chosen, the day the person enrolled (which
    # decides the concentrated period and the waiting period), the first day with benefits after
    # a waiting period (None: from ``since``), the day a suspension or an end takes effect, and
    # the reason of the last change.
    tier = models.CharField(_("contribution tier"), max_length=20, blank=True, db_default="")
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    benefits_from = models.DateField(_("benefits from"), null=True, blank=True)
    status_from = models.DateField(_("status effective from"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True, db_default="")

    class Meta:
        ordering = ["-year", "scheme__code"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person", "scheme", "year"], name="enrollment_person_scheme_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.scheme_id} {self.year} {self.status}"


class GroupTier(models.TextChoices):
    CORE = "core", _("Core relief tier")
    LOW_INCOME = "low_income", _("Low-income tier")
    ILLNESS = "illness", _("Impoverished by serious illness")
    OTHER = "other", _("Other")


class SpecialGroup(models.Model):
    """特殊群体: a code for a group with its own rules (特困, 低保 …). Reference data."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    tier = models.CharField(_("tier"), max_length=20, choices=GroupTier.choices)
    # Which scheme families need the membership: staff see it only when they work on one of
    # them (``queries.memberships_for``), as enrollments are filtered by scheme.
    scheme_kinds = ArrayField(
        models.CharField(max_length=20, choices=SchemeKind.choices),
        verbose_name=_("relevant to schemes"),
        default=list,
        blank=True,
        help_text=_("Staff see a membership only if they work on a scheme of one of these kinds."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("special group")
        verbose_name_plural = _("special groups")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


@pghistory.track()
class GroupMembership(models.Model):
    """A person's membership of a special group over a validity period."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    group = models.ForeignKey(
        SpecialGroup, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("group")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.group_id}"


@pghistory.track()
class Household(models.Model):
    """户: a household as registered (户口簿 or the household the scheme enrols together)."""

    number = models.CharField(_("household number"), max_length=32, unique=True)
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("region"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.number


class Relation(models.TextChoices):
    """A member's relation to the head of the household (与户主关系)."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other relative")


@pghistory.track()
class HouseholdMember(models.Model):
    """A person's membership of a household over a period. A person is in one household at a
    time (a partial unique index on the open membership), and a household has one head at a time."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("household")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="household_memberships",
        verbose_name=_("person"),
    )
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(left_on__isnull=True),
                name="household_member_one_open_household",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(left_on__isnull=True, relation="head"),
                name="household_one_open_head",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="household_member_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.person_id} {self.relation}"


class AgentKind(models.TextChoices):
    AGENT = "agent", _("Agent")
    GUARDIAN = "guardian", _("Guardian")


class AgentService(models.TextChoices):
    """The services an agent may be authorised to use for the person. Later steps add their own
    (submitting a claim, applying for long-term care); an authorisation lists the ones it covers."""

    VIEW_RECORD = "view_record", _("View the person's record and enrollment")
    UPDATE_CONTACT = "update_contact", _("Update the person's phone and address")
    SUBMIT_CLAIM = "submit_claim", _("Submit reimbursement claims")
    LTC_APPLY = "ltc_apply", _("Apply for long-term care")
    CROSS_REGION_FILING = "cross_region_filing", _("File for medical treatment in another region")


@pghistory.track()
class AgentAuthorisation(models.Model):
    """代办授权 / 监护: an account authorised to act for an insured person, for listed services,
    over a validity period. Revocation ends it early; nothing is deleted."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="agent_authorisations",
        verbose_name=_("person"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agent_authorisations",
        verbose_name=_("agent"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AgentKind.choices)
    relation = models.CharField(_("relation to the person"), max_length=100, blank=True)
    services = ArrayField(
        models.CharField(max_length=40, choices=AgentService.choices),
        verbose_name=_("authorised services"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    basis = models.CharField(_("basis"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-valid_from", "id"]
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="agent_authorisation_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} → {self.person_id} ({self.kind})"

    def service_labels(self) -> list[str]:
        labels = dict(AgentService.choices)
        return [str(labels.get(code, code)) for code in self.services]

    @property
    def state(self) -> str:
        """revoked, expired, pending (starts later) or in_force, as of today in Shanghai."""
        from jingban.core.calendar import today

        if self.revoked_at is not None:
            return "revoked"
        now = today()
        if self.valid_to < now:
            return "expired"
        if self.valid_from > now:
            return "pending"
        return "in_force"

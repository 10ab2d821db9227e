"""Finding people: what a search term means, the filters beside it, the sort orders, and the
form of the person list.

A term is read as one of four things (``parse_term``):

- a **name** or part of one (anything with a character that is not a letter or digit of a
  document number, e.g. Chinese): contains, case-insensitive;
- a **masked number** as lists show it (``110101********1234``, ``139****5678``), with any run of
  mask characters (``*``, ``＊``, ``•``, ``·``, ``?``, ``_``) of any length standing for the hidden
  characters: the visible parts must match, in their places;
- a **whole number**: an 18-character identity number, a passport-like number (letters and
  digits), a mobile phone (11 digits from 13–19) or a landline (0 and 10 to 12 digits);
- **digits**: the start of a document number, or the last digits of a document number or of a
  phone.

Privacy (docs/masking.md, "Partial searches"): a viewer without the reveal capability may
search by the parts a masked number shows — up to six characters at the start of a document
number (its place-of-issue code), up to four at its end, up to four at the end of a phone — and
by a whole number, which is a lookup (logged and limited, ``services.probes``). A term that
would constrain any hidden character otherwise is refused with a message: narrowing a prefix
digit by digit would spell out the birth date. A passport's masked form shows two characters at
each end, so longer pieces are not matched against passports for such a viewer. Sorting is by
what is shown, for every viewer: the document column sorts by place-of-issue code, the age
column by birth year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import ExtractYear, Lower, Replace, Reverse, Substr
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.models import Region, Scheme, User
from jingban.core.roles import Cap
from jingban.core.scope import is_unrestricted, scheme_codes
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.models import (
    DocumentType,
    Enrollment,
    EnrollmentStatus,
    GroupMembership,
    Person,
    SpecialGroup,
)

#: Longest search term, in characters (a name, or a number with spaces and mask characters).
MAX_TERM = 50
#: Visible characters of a masked document number at its start and end, and of a phone's end.
SHOWN_PREFIX = 6
SHOWN_SUFFIX = 4
SHOWN_PHONE_PREFIX = 3
SHOWN_PASSPORT = 2
SHOWN_PHONE_SUFFIX = 4
#: Shortest run of digits searched as the start or end of a number.
MIN_DIGITS = 4

_MASK = re.compile(r"[*?_•·●○]+")
_SEPARATORS = re.compile(r"[\s\-]+")
_ID_WHOLE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"(?:86)?(1[3-9][0-9]{9})")
_LANDLINE = re.compile(r"0[0-9]{9,11}")
_PASSPORT = re.compile(r"(?=.*[0-9])(?=.*[A-Z])[0-9A-Z]{5,17}")
_DIGITS = re.compile(r"[0-9]+X?")
_NUMBER_CHARS = re.compile(r"[0-9A-Z]*")


class TermKind(StrEnum):
    EMPTY = "empty"
    NAME = "name"
    MASKED = "masked"
    DOCUMENT = "document"  # a whole document number
    PHONE = "phone"  # a whole phone number
    DIGITS = "digits"  # start or end of a number


@dataclass(frozen=True)
class Term:
    """A parsed search term. ``number`` is the compact form (no spaces, upper case) of a number
    term; ``pieces`` the visible parts of a masked one; ``lookup`` whether the search confirms a
    whole number for a user without the reveal capability (logged and limited)."""

    text: str
    kind: TermKind
    number: str = ""
    pieces: tuple[str, ...] = ()
    lookup: bool = False
    # Digits: which readings the user may make (all for revealers, the shown parts otherwise).
    as_prefix: bool = False
    as_suffix: bool = False
    as_phone_suffix: bool = False
    # Masked: whether the visible parts are matched against phones too (a viewer without the
    # reveal capability sees a mobile's first three digits, not six).
    match_phone: bool = True
    # A viewer without the reveal capability: a passport's masked form shows two characters at
    # each end, so longer pieces are not matched against passports.
    shown_only: bool = False

    def shown(self) -> str:
        """The term as the page may repeat it: numbers masked as lists mask them."""
        if self.kind is TermKind.DOCUMENT:
            kind = "resident_id" if len(self.number) == 18 else "passport"
            return mask_document(kind, self.number)
        if self.kind is TermKind.PHONE:
            return mask_phone(self.number)
        return self.text


def _refused(message: str | Promise) -> ValidationFailed:
    return ValidationFailed(message, fields={"q": [message]})


_HIDDEN = _(
    "A search by part of a number may use only what a masked number shows: its first six "
    "characters, its last four, or a phone's last four. Search by the whole number, or by name."
)


def clean_text(text: str) -> str:
    """The term as typed, checked: no control characters (a NUL byte among them), at most
    ``MAX_TERM`` characters. Full-width digits, letters and stars become their plain forms."""
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise _refused(_("The search contains characters that cannot be searched for."))
    if len(text) > MAX_TERM:
        raise _refused(
            _("The search is too long: at most %(limit)d characters.") % {"limit": MAX_TERM}
        )
    return unicodedata.normalize("NFKC", text).strip()


def parse_term(text: str, *, may_reveal: bool) -> Term:
    """What ``text`` asks for; raises ``ValidationFailed`` (on "q") for a term that cannot be
    searched, or that would narrow hidden characters for a user who may not reveal them."""
    text = clean_text(text)
    if not text:
        return Term(text, TermKind.EMPTY)
    compact = _SEPARATORS.sub("", text).upper()
    if _MASK.search(compact) and _NUMBER_CHARS.fullmatch(_MASK.sub("", compact)):
        pieces = tuple(_MASK.split(compact))
        visible = "".join(pieces)
        if not visible:
            raise _refused(_("Type the characters the masked number shows, not only stars."))
        inner = [p for p in pieces[1:-1] if p]
        if not may_reveal and (
            inner or len(pieces[0]) > SHOWN_PREFIX or len(pieces[-1]) > SHOWN_SUFFIX
        ):
            raise _refused(_HIDDEN)
        phone = may_reveal or len(pieces[0]) <= SHOWN_PHONE_PREFIX
        return Term(
            text,
            TermKind.MASKED,
            number=compact,
            pieces=pieces,
            match_phone=phone,
            shown_only=not may_reveal,
        )
    if not _NUMBER_CHARS.fullmatch(compact) or not re.search(r"[0-9]", compact):
        return Term(text, TermKind.NAME)
    if _ID_WHOLE.fullmatch(compact) or _PASSPORT.fullmatch(compact):
        return Term(text, TermKind.DOCUMENT, number=compact, lookup=not may_reveal)
    mobile = _MOBILE.fullmatch(compact)
    if mobile or _LANDLINE.fullmatch(compact):
        number = mobile.group(1) if mobile else compact
        return Term(text, TermKind.PHONE, number=number, lookup=not may_reveal)
    if not _DIGITS.fullmatch(compact):
        raise _refused(_("This is not a name, a document number or a phone number."))
    if len(compact) < MIN_DIGITS:
        raise _refused(
            _("Type at least %(count)d digits of a number, or a name.") % {"count": MIN_DIGITS}
        )
    if may_reveal:
        return Term(
            text,
            TermKind.DIGITS,
            number=compact,
            as_prefix=True,
            as_suffix=True,
            as_phone_suffix=compact.isdigit(),
        )
    if len(compact) > SHOWN_PREFIX:
        raise _refused(_HIDDEN)
    short = len(compact) <= SHOWN_SUFFIX
    return Term(
        text,
        TermKind.DIGITS,
        number=compact,
        as_prefix=compact.isdigit(),
        as_suffix=short,
        as_phone_suffix=short and compact.isdigit(),
        shown_only=True,
    )


# The expressions the registry's indexes are built on (migration 0006): keep them identical.
def name_chars() -> Func:
    """The characters of the name, lower-cased: ``string_to_array(lower(name), NULL)``."""
    return Func(
        Lower("name"),
        Value(None),
        function="string_to_array",
        output_field=ArrayField(TextField()),
    )


def phone_digits() -> Replace:
    return Replace(F("phone"), Value("-"), Value(""))


def chars_of(text: str) -> list[str]:
    """The characters a name containing ``text`` must hold, lower-cased, as the index has them."""
    return sorted(set(text.lower()))


def term_filter(qs: QuerySet[Person], term: Term) -> QuerySet[Person]:
    """``qs`` narrowed to the persons ``term`` finds."""
    if term.kind is TermKind.EMPTY:
        return qs
    if term.kind is TermKind.NAME:
        chars = {"name_chars__contains": chars_of(term.text)}  # text[] @> text[]: the index
        return qs.alias(name_chars=name_chars()).filter(name__icontains=term.text, **chars)
    if term.kind is TermKind.DOCUMENT:
        return qs.filter(document_number=term.number)
    if term.kind is TermKind.PHONE:
        # ``phone <> ''`` lets the planner use the partial indexes on phones.
        return qs.alias(phone_digits=phone_digits()).filter(~Q(phone=""), phone_digits=term.number)
    found = qs.alias(
        document_reversed=Reverse("document_number"),
        phone_digits=phone_digits(),
        phone_reversed=Reverse(phone_digits()),
    )
    if term.kind is TermKind.MASKED:
        start, *middle, end = term.pieces
        inner = [p for p in middle if p]
        condition = _masked_document(start, inner, end) & _passports(term, start, end)
        if term.match_phone and "".join(term.pieces).isdigit():
            condition |= _masked_phone(start, inner, end)
        return found.filter(condition)
    # Digits: the start of a document number, or the end of one or of a phone.
    condition = Q(pk__in=[])
    passports = _passports(term, term.number, term.number)
    if term.as_prefix:
        condition |= Q(document_number__startswith=term.number) & passports
    if term.as_suffix:
        condition |= Q(document_reversed__startswith=term.number[::-1]) & passports
    if term.as_phone_suffix:
        condition |= Q(phone_reversed__startswith=term.number[::-1]) & ~Q(phone="")
    return found.filter(condition)


def _passports(term: Term, start: str, end: str) -> Q:
    """Leaves passports out when the pieces are longer than their masked form shows."""
    shown = SHOWN_PASSPORT
    if term.shown_only and (len(start) > shown or len(end) > shown):
        return ~Q(document_type=DocumentType.PASSPORT)
    return Q()


def _masked_document(start: str, inner: list[str], end: str) -> Q:
    """Documents whose visible parts match: the start in place (an index range on the number),
    the end in place (an index range on the reversed number), inner pieces in between."""
    condition = Q()
    if start:
        condition &= Q(document_number__startswith=start)
    if end:
        condition &= Q(document_reversed__startswith=end[::-1])
    if inner:
        condition &= Q(document_number__regex=_in_order(start, inner, end))
    return condition


def _masked_phone(start: str, inner: list[str], end: str) -> Q:
    """The same for a phone's digits (a masked mobile shows three digits, then four)."""
    condition = ~Q(phone="")
    if start:
        condition &= Q(phone_digits__startswith=start)
    if end:
        condition &= Q(phone_reversed__startswith=end[::-1])
    if inner:
        condition &= Q(phone_digits__regex=_in_order(start, inner, end))
    return condition


def _in_order(start: str, inner: list[str], end: str) -> str:
    return "^" + ".*".join([re.escape(start), *map(re.escape, inner), re.escape(end)]) + "$"


# --- Filters ---------------------------------------------------------------------------------

NOT_ENROLLED = "none"


@dataclass(frozen=True)
class Filters:
    region: Region | None = None
    scheme: Scheme | None = None
    year: int | None = None
    status: str = ""  # an EnrollmentStatus, NOT_ENROLLED, or "" for any
    group: SpecialGroup | None = None

    def apply(self, qs: QuerySet[Person]) -> QuerySet[Person]:
        if self.region is not None:
            qs = qs.filter(region__path__startswith=self.region.path)
        if self.scheme is not None or self.status:
            enrollments = Enrollment.objects.filter(person=OuterRef("pk"))
            if self.scheme is not None:
                enrollments = enrollments.filter(scheme=self.scheme)
            if self.year is not None:
                enrollments = enrollments.filter(year=self.year)
            if self.status == NOT_ENROLLED:
                qs = qs.filter(~Exists(enrollments))
            else:
                if self.status:
                    enrollments = enrollments.filter(status=self.status)
                qs = qs.filter(Exists(enrollments))
        if self.group is not None:
            today = local_today()
            members = GroupMembership.objects.filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
                person=OuterRef("pk"),
                group=self.group,
                valid_from__lte=today,
            )
            qs = qs.filter(Exists(members))
        return qs

    def described(self) -> list[str]:
        """The filters in words, for the line that says what was searched."""
        parts: list[str] = []
        if self.region is not None:
            parts.append(_labelled(_("Region"), self.region.name))
        if self.scheme is not None or self.status:
            scheme = str(self.scheme) if self.scheme is not None else str(_("Any scheme"))
            status = str(dict(status_choices()).get(self.status, ""))
            year = str(self.year) if self.year is not None else ""
            words = " ".join(p for p in (scheme, year, status) if p)
            parts.append(_labelled(_("Enrollment"), words))
        if self.group is not None:
            parts.append(_labelled(_("Special group"), str(self.group)))
        return parts


def _labelled(label: str | Promise, value: str) -> str:
    return str(_("%(label)s: %(value)s") % {"label": label, "value": value})


def status_choices() -> list[tuple[str, str | Promise]]:
    return [("", _("Any status")), *EnrollmentStatus.choices, (NOT_ENROLLED, _("Not enrolled"))]


# --- Sort orders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """A sort order: the key expressions (all ascending, or all descending) before the id."""

    code: str
    label: str | Promise
    keys: tuple[object, ...] = field(default=())


SORTS: dict[str, Sort] = {
    s.code: s
    for s in (
        Sort("id", _("Registration order")),
        Sort("name", pgettext_lazy("person", "Name"), (F("name"),)),
        # By what the masked number shows: the place-of-issue code, not the hidden birth date.
        Sort("document", _("Document"), (Substr("document_number", 1, SHOWN_PREFIX),)),
        # By birth year, not date: the order of birthdays would tell what the age hides.
        Sort("age", _("Age"), (ExtractYear("birth_date"),)),
        Sort("region", _("Region"), (F("region_id"),)),
    )
}
DEFAULT_SORT = "id"


def parse_sort(code: str) -> tuple[Sort, bool]:
    """The sort and whether it runs backwards (``-name``); anything unknown is the default.
    "age" ascending is the youngest first: birth years descending."""
    descending = code.startswith("-")
    sort = SORTS.get(code.lstrip("-"), SORTS[DEFAULT_SORT])
    if sort.code == "age":
        descending = not descending
    return sort, descending


def sort_order(sort: Sort, descending: bool) -> list[Any]:
    """``order_by`` arguments of a sort (for OFFSET paging)."""
    keys = [*sort.keys, F("pk")]
    return [k.desc() if descending else k.asc() for k in keys]  # type: ignore[attr-defined]


# --- The form ---------------------------------------------------------------------------------

#: Levels of the region picker below the user's own region (or below the provinces).
PICKER_LEVELS = 4


def _region_choices(parent: Region | None, user: User) -> list[Region]:
    if parent is None:
        if is_unrestricted(user):
            return list(Region.objects.filter(parent__isnull=True).order_by("code"))
        return list(Region.objects.filter(parent=user.region_id).order_by("code"))
    return list(Region.objects.filter(parent=parent).order_by("code"))


class PersonSearchForm(forms.Form):
    """The person search: a term, the filters, the sort and the page (a cursor). It is posted,
    never sent in an address: terms are personal data, and addresses end up in logs."""

    q = forms.CharField(
        label=_("Name, document number or phone"),
        required=False,
        # The limit is checked by ``clean_text`` with its own message; the browser stops earlier.
        widget=forms.TextInput(
            attrs={"id": "q", "type": "search", "autocomplete": "off", "maxlength": MAX_TERM}
        ),
    )
    scheme = forms.ChoiceField(label=_("Scheme"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Enrollment status"), required=False)
    group = forms.ChoiceField(label=_("Special group"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    # A column header's button: a new sort order (the hidden ``sort`` keeps the current one).
    resort = forms.CharField(required=False, widget=forms.HiddenInput)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: object = None, *, user: User) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        # ``q`` is checked by ``clean_q``: Django's own validators would answer first, in other
        # words, and strip what is checked here.
        self.fields["q"].validators = []
        self.fields["q"].strip = False  # type: ignore[attr-defined]
        self.user = user
        codes = scheme_codes(user)
        schemes = Scheme.objects.all() if codes is None else Scheme.objects.filter(code__in=codes)
        self.schemes = {s.code: s for s in schemes}
        self._choice("scheme").choices = [("", _("Any scheme"))] + [
            (s.code, str(s)) for s in self.schemes.values()
        ]
        this_year = local_today().year
        # Enrollment is by year: this year unless the user picks another (or any).
        self.fields["year"].initial = this_year
        self._choice("year").choices = [("", _("Any year"))] + [
            (y, str(y)) for y in range(this_year + 1, this_year - 6, -1)
        ]
        self._choice("status").choices = status_choices()
        groups = SpecialGroup.objects.all()
        if codes is not None:
            kinds = list(Scheme.objects.filter(code__in=codes).values_list("kind", flat=True))
            groups = groups.filter(scheme_kinds__overlap=kinds)
        self.groups = {g.code: g for g in groups}
        self._choice("group").choices = [("", _("Any group"))] + [
            (g.code, str(g)) for g in self.groups.values()
        ]
        self.picker = self._region_picker()

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def _region_picker(self) -> list[tuple[str, list[Region], str]]:
        """The region selects, one per level: (field name, choices, chosen code). Each level
        lists the children of the region chosen above it; a choice that no longer fits is
        dropped with the levels below it."""
        levels: list[tuple[str, list[Region], str]] = []
        parent: Region | None = None
        for index in range(PICKER_LEVELS):
            name = f"region{index}"
            options = _region_choices(parent, self.user)
            if not options:
                break
            asked = str(self.data.get(name) or "") if self.is_bound else ""
            chosen = next((r for r in options if r.code == asked), None)
            levels.append((name, options, chosen.code if chosen else ""))
            if chosen is None:
                break
            parent = chosen
        self.region = parent
        return levels

    def clean_q(self) -> Term:
        raw = self.data.get("q") or ""
        try:
            return parse_term(raw if isinstance(raw, str) else "", may_reveal=may_reveal(self.user))
        except ValidationFailed as err:
            raise forms.ValidationError(str(err.message)) from err

    def filters(self) -> Filters:
        data = self.cleaned_data
        year = data.get("year")
        status = data.get("status") or ""
        return Filters(
            region=self.region,
            scheme=self.schemes.get(data.get("scheme") or ""),
            year=year if (year is not None and (status or data.get("scheme"))) else None,
            status=status,
            group=self.groups.get(data.get("group") or ""),
        )


def may_reveal(user: User) -> bool:
    return user.can(Cap.PERSON_REVEAL)


def described(term: Term, filters: Filters) -> str:
    """What was searched, in words, numbers masked: for the line of an empty result."""
    parts = [f"「{term.shown()}」"] if term.kind is not TermKind.EMPTY else []
    parts.extend(filters.described())
    return " · ".join(parts)

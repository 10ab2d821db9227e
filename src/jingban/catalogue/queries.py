"""Reads of the catalogue (reference data: every signed-in user may read it) and scoped reads of
the chronic-disease registrations (a person in the user's region subtree; an insured person
their own)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q, QuerySet

from jingban.catalogue.classify import ItemRule
from jingban.catalogue.models import (
    CatalogueItem,
    CatalogueVersion,
    ChronicDisease,
    ChronicRegistration,
)
from jingban.core.calendar import today as local_today
from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.scope import region_filter


def version_in_force(on: dt.date) -> CatalogueVersion | None:
    """The edition in force on the day: the latest to start on or before it, unless it ended."""
    return (
        CatalogueVersion.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from", "-id")
        .first()
    )


# The rules of a version, loaded whole on first use. A version's items never change once it is
# imported (there is no path that edits them: a correction is a new version), so the cache needs
# no invalidation; it is keyed on the id and the creation time, so a test database that reuses
# an id after a rollback cannot be served another version's rules.
_RULES: dict[tuple[int, dt.datetime], dict[str, ItemRule]] = {}
_CACHED_VERSIONS = 4
_LOCK = threading.Lock()


def _load_rules(version: CatalogueVersion) -> dict[str, ItemRule]:
    default = Fraction(version.default_first_pay_rate)
    rules: dict[str, ItemRule] = {}
    rows = CatalogueItem.objects.filter(version=version).values_list(
        "code", "name", "category", "first_pay_rate", "price_limit", "visit_types"
    )
    for code, name, category, rate, limit, visit_types in rows:
        first = None
        if category == "B":
            first = Fraction(rate) if rate is not None else default
        rules[code] = ItemRule(
            code=code,
            name=name,
            category=category,
            first_pay_rate=first,
            price_limit=limit,
            visit_types=frozenset(visit_types),
        )
    return rules


def item_rules(version: CatalogueVersion, codes: Iterable[str]) -> dict[str, ItemRule]:
    """The classification rules of ``codes`` in ``version`` (codes it lacks are left out)."""
    key = (version.pk, version.created_at)
    rules = _RULES.get(key)
    if rules is None:
        rules = _load_rules(version)
        with _LOCK:
            while len(_RULES) >= _CACHED_VERSIONS:
                _RULES.pop(next(iter(_RULES)))
            _RULES[key] = rules
    return {code: rules[code] for code in codes if code in rules}


@dataclass(frozen=True)
class ItemSearch:
    text: str = ""
    category: str = ""
    kind: str = ""
    version: int | None = None

    @classmethod
    def from_query(cls, data: object) -> ItemSearch:
        get = getattr(data, "get", None)
        assert get is not None

        def text(key: str) -> str:
            return str(get(key, "") or "").strip()[:100]

        version = text("version")
        return cls(
            text=text("q"),
            category=text("category"),
            kind=text("kind"),
            version=int(version) if version.isdigit() and len(version) < 10 else None,
        )


def versions() -> QuerySet[CatalogueVersion]:
    return CatalogueVersion.objects.all()


def search_items(search: ItemSearch) -> tuple[CatalogueVersion | None, QuerySet[CatalogueItem]]:
    """Items of the chosen version (by default the one in force today) matching the search."""
    version = (
        CatalogueVersion.objects.filter(pk=search.version).first()
        if search.version is not None
        else version_in_force(local_today())
    )
    if version is None:
        return None, CatalogueItem.objects.none()
    rows = CatalogueItem.objects.filter(version=version).select_related("version")
    if search.text:
        rows = rows.filter(Q(code__istartswith=search.text) | Q(name__icontains=search.text))
    if search.category:
        rows = rows.filter(category=search.category)
    if search.kind:
        rows = rows.filter(kind=search.kind)
    return version, rows.order_by("code")


def item_versions(code: str) -> list[CatalogueItem]:
    """The item ``code`` in every version that lists it, newest first; NotFound when none."""
    if not code or "\x00" in code or len(code) > 50:
        raise NotFound()
    rows = list(
        CatalogueItem.objects.filter(code=code)
        .select_related("version")
        .order_by("-version__effective_from", "-version_id")
    )
    if not rows:
        raise NotFound()
    return rows


def diseases() -> QuerySet[ChronicDisease]:
    return ChronicDisease.objects.filter(active=True)


def registrations_for(user: User) -> QuerySet[ChronicRegistration]:
    """Registrations of persons in the user's region subtree."""
    return ChronicRegistration.objects.select_related("person", "disease").filter(
        region_filter(user, "person__region")
    )


def registration_for(user: User, pk: int) -> ChronicRegistration:
    found = registrations_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def own_registrations(user: User) -> QuerySet[ChronicRegistration]:
    return ChronicRegistration.objects.select_related("disease").filter(person__account=user)

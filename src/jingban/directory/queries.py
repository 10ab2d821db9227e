"""Reading the directory. Everyone may read it (it is public); editing is scoped: an operator
edits the entries of their region subtree, an administrator without a region every entry,
including the national ones that have no region."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jingban.core import scope
from jingban.core.errors import NotFound
from jingban.core.models import Region, RegionLevel, User
from jingban.directory.models import BusinessLine, Entry

MAX_TERM = 100


@dataclass(frozen=True)
class Search:
    """What a directory search asks for: a business line, a place (a region's name, whose whole
    subtree is searched, or a place name) and free text over names, addresses and numbers."""

    line: str = ""
    place: str = ""
    text: str = ""
    status: str = "active"  # active, inactive or all (staff only)

    @classmethod
    def from_query(cls, data: object, *, staff: bool = False) -> Search:
        get = getattr(data, "get", None)
        if get is None:
            return cls()
        line = str(get("line", "") or "")
        status = str(get("status", "active") or "active") if staff else "active"
        return cls(
            line=line if line in BusinessLine.values else "",
            place=str(get("place", "") or "").strip()[:MAX_TERM],
            text=str(get("q", "") or "").strip()[:MAX_TERM],
            status=status if status in ("active", "inactive", "all") else "active",
        )

    def as_filters(self) -> dict[str, str]:
        """The search as recorded with an export: no personal data in a directory search."""
        return {
            k: v
            for k, v in (
                ("line", self.line),
                ("place", self.place),
                ("q", self.text),
                ("status", self.status),
            )
            if v
        }


def _place_filter(place: str) -> Q:
    """Entries whose region lies under a region named like ``place`` (大连 finds 大连市 and
    its districts), or whose place name contains it."""
    paths = list(Region.objects.filter(name__contains=place).values_list("path", flat=True)[:50])
    found = Q(place_name__contains=place)
    for path in paths:
        found |= Q(region__path__startswith=path)
    return found


def search_entries(search: Search) -> QuerySet[Entry]:
    """The entries a search finds, in the directory's order (place, organisation, name)."""
    rows = Entry.objects.select_related("region")
    if search.status == "active":
        rows = rows.filter(active=True)
    elif search.status == "inactive":
        rows = rows.filter(active=False)
    if search.line:
        rows = rows.filter(business_lines__contains=[search.line])
    if search.place:
        rows = rows.filter(_place_filter(search.place))
    if search.text:
        text = search.text
        rows = rows.filter(
            Q(name__icontains=text)
            | Q(organisation_name__icontains=text)
            | Q(address__icontains=text)
            | Q(note__icontains=text)
            | Q(phones__contains=text)
        )
    return rows.order_by("place_name", "organisation_name", "name", "pk")


def editable_entries(user: User) -> QuerySet[Entry]:
    """The entries ``user`` may change: their region subtree (an unrestricted administrator:
    every entry, the national ones without a region too)."""
    if scope.is_unrestricted(user):
        return Entry.objects.all()
    return Entry.objects.filter(scope.region_filter(user), region__isnull=False)


def entry_for_edit(user: User, pk: int) -> Entry:
    """The entry, for an editor whose scope holds it; ``NotFound`` otherwise."""
    entry = editable_entries(user).select_related("region").filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


def may_edit(user: User, entry: Entry) -> bool:
    return editable_entries(user).filter(pk=entry.pk).exists()


def regions_for(user: User) -> QuerySet[Region]:
    """The places an editor may file an entry under: provinces, cities and counties of their
    region subtree (towns and villages have no directory of their own)."""
    rows = Region.objects.filter(
        level__in=(RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)
    )
    if not scope.is_unrestricted(user):
        rows = rows.filter(_subtree(user))
    return rows.order_by("path")


def _subtree(user: User) -> Q:
    if user.region_id is None:
        return Q(pk__in=[])
    return Q(path__startswith=user.region.path)  # type: ignore[union-attr]


def region_in_scope(user: User, region: Region | None) -> bool:
    """Whether ``user`` may file an entry under ``region`` (None: a national entry, which only
    an unrestricted administrator may file)."""
    if scope.is_unrestricted(user):
        return True
    if region is None or user.region_id is None:
        return False
    return region.path.startswith(user.region.path)  # type: ignore[union-attr]

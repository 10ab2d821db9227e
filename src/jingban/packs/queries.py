"""Reads of policy pack versions. Packs are reference data: whoever may view packs sees every
version of every pack, whatever their region.

``approved_registry`` is what the engine runs on when a database is configured: every approved
version, each re-loaded from its stored text and refused if the text no longer hashes to the
hash stored when it was approved.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Cap
from jingban.engine.policy import (
    Figure,
    PackError,
    PackRegistry,
    PolicyPack,
    Problem,
    load_pack_text,
)
from jingban.packs.models import PackStatus, PackVersion

# The version line is a figure like any other, but it always changes from one version to the
# next: a comparison leaves it out.
_IDENTITY_PATHS = frozenset({"version"})


class PackTampered(PackError):
    """A stored version whose text does not give back what was stored with it (the hash, the id
    or the version): it was changed behind the application's back, or the engine now reads it
    differently. Never used for money."""

    code = "packs.version.tampered"

    def __init__(self, row: PackVersion, problem: str) -> None:
        self.row = row
        super().__init__(source_of(row), [Problem("", None, problem)])


def source_of(row: PackVersion) -> str:
    """How a stored version names itself in the engine's messages."""
    return f"{row.pack_id}@{row.version} (database #{row.pk})"


def load_row(row: PackVersion) -> PolicyPack:
    """The stored version as the engine's pack, checked against what was stored with it.

    Raises ``PackTampered`` when the text no longer loads, or gives another hash, id or version.
    """
    try:
        pack = load_pack_text(row.content, source=source_of(row))
    except PackError as err:
        detail = "; ".join(str(p) for p in err.problems)
        raise PackTampered(row, f"the stored text no longer loads: {detail}") from err
    if pack.hash != row.content_hash:
        raise PackTampered(
            row,
            f"the stored text hashes to {pack.hash}, not to the stored hash {row.content_hash}",
        )
    if (pack.id, pack.version) != (row.pack_id, row.version):
        raise PackTampered(row, f"the stored text is {pack.ref}, not {row.pack_id}@{row.version}")
    return pack


def approved_registry() -> PackRegistry:
    """Every approved version, as a registry the engine can use. Raises ``PackTampered`` on the
    first version whose stored text does not match its stored hash."""
    rows = PackVersion.objects.filter(status=PackStatus.APPROVED).order_by("pack_id", "version")
    return PackRegistry(load_row(row) for row in rows)


_lock = threading.Lock()
_cached: tuple[tuple[tuple[int, str], ...], PackRegistry] | None = None


def current_registry() -> PackRegistry:
    """``approved_registry``, loaded once per process for as long as the set of approved
    versions stays the same (one query to see whether it did): approved versions never change
    (a database trigger refuses it), and parsing every version for each lookup would make the
    pages that read a pack slow. Raises ``PackTampered`` as ``approved_registry`` does."""
    global _cached
    key = tuple(
        PackVersion.objects.filter(status=PackStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", "content_hash")
    )
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        loaded = approved_registry()
        _cached = (key, loaded)
    return loaded


# --- Pages, API and the command line ------------------------------------------------------


def all_versions() -> QuerySet[PackVersion]:
    """Every stored version, for the command line (which acts for the operator of the
    installation, not for a signed-in user)."""
    return PackVersion.objects.select_related("author", "reviewer").order_by("pack_id", "-version")


def find_version(pack_id: str, version: int | None) -> PackVersion | None:
    """``id@version``, or with no version the latest approved one (the latest of any status
    when none is approved)."""
    qs = all_versions().filter(pack_id=pack_id)
    if version is not None:
        return qs.filter(version=version).first()
    return qs.filter(status=PackStatus.APPROVED).first() or qs.first()


def versions_for(user: User) -> QuerySet[PackVersion]:
    """Every version, for a user who may view packs (nothing otherwise)."""
    qs = PackVersion.objects.select_related("author", "reviewer")
    if not user.can(Cap.POLICY_VIEW):
        return qs.none()
    return qs.order_by("pack_id", "-version")


def version_for(user: User, pk: int) -> PackVersion:
    version = versions_for(user).filter(pk=pk).first()
    if version is None:
        raise NotFound()
    return version


@dataclass(frozen=True)
class PackGroup:
    pack_id: str
    versions: list[PackVersion]

    @property
    def latest(self) -> PackVersion:
        return self.versions[0]


def filtered_versions(user: User, query: str = "", status: str = "") -> QuerySet[PackVersion]:
    """The versions the list shows: ``query`` finds a part of the id or of a title, ``status``
    keeps one status; by pack id, newest version first."""
    qs = versions_for(user)
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(pack_id__icontains=query)
            | Q(title_zh__icontains=query)
            | Q(title_en__icontains=query)
        )
    if status:
        qs = qs.filter(status=status)
    return qs


def grouped_versions(user: User, query: str = "", status: str = "") -> list[PackGroup]:
    """The versions by pack id, newest version first within each; ``query`` finds a part of the
    id or of a title, ``status`` keeps one status."""
    rows = list(filtered_versions(user, query, status))
    return [
        PackGroup(pack_id, list(group)) for pack_id, group in groupby(rows, lambda r: r.pack_id)
    ]


def previous_approved(row: PackVersion) -> PackVersion | None:
    """The approved version of the same pack just below this one."""
    return (
        PackVersion.objects.select_related("author", "reviewer")
        .filter(pack_id=row.pack_id, status=PackStatus.APPROVED, version__lt=row.version)
        .order_by("-version")
        .first()
    )


def next_version_number(pack_id: str) -> int:
    """One above every version of the pack stored, whatever its status."""
    versions = PackVersion.objects.filter(pack_id=pack_id).values_list("version", flat=True)
    return max(versions, default=0) + 1


@dataclass(frozen=True)
class FigureChange:
    """A figure whose value (or sample mark) differs between two versions; None: absent."""

    path: str
    before: Figure | None
    after: Figure | None


def compare_figures(before: Sequence[Figure], after: Sequence[Figure]) -> list[FigureChange]:
    """The figures that were added, removed or changed, in the order of the newer version (then
    the removed ones in the order of the older)."""
    old = {f.path: f for f in before if f.path not in _IDENTITY_PATHS}
    new = {f.path: f for f in after if f.path not in _IDENTITY_PATHS}
    changes = [
        FigureChange(path, old.get(path), figure)
        for path, figure in new.items()
        if path not in old or _differs(old[path], figure)
    ]
    changes += [FigureChange(path, figure, None) for path, figure in old.items() if path not in new]
    return changes


def _differs(a: Figure, b: Figure) -> bool:
    return (a.value, a.sample) != (b.value, b.sample)

"""Finding packs: by id and version, or the one in force for a region, scheme and day.

The packs shipped in ``packs/`` are the baseline. An application with a database builds a
``PackRegistry`` from its approved pack versions instead; the engine never cares which.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from jingban.engine.policy.loader import PolicyPack, iter_pack_files, load_pack_file
from jingban.engine.policy.schema import Family

SHIPPED_DIR = Path(__file__).resolve().parent / "packs"

_SPEC = re.compile(r"^(?P<id>[a-z0-9][a-z0-9-]{2,63})(?:@(?P<version>\d+))?$")


class UnknownPack(LookupError):
    code = "policy.unknown_pack"

    def __init__(self, spec: str, known: Iterable[str] = ()) -> None:
        self.spec = spec
        self.known = tuple(sorted(set(known)))
        hint = f" (known: {', '.join(self.known)})" if self.known else ""
        super().__init__(f"no policy pack {spec!r}{hint}")


class BadPackSpec(ValueError):
    code = "policy.bad_spec"

    def __init__(self, spec: str) -> None:
        self.spec = spec
        super().__init__(f"{spec!r} is not a pack id with an optional @version")


def parse_spec(spec: str) -> tuple[str, int | None]:
    """``"sample-resident-2025@2"`` → ``("sample-resident-2025", 2)``; no version → None."""
    match = _SPEC.match(spec.strip())
    if match is None:
        raise BadPackSpec(spec)
    version = match["version"]
    return match["id"], int(version) if version else None


def region_ancestry(code: str) -> list[str]:
    """A region code and the codes above it, nearest first, ending with the national 000000:
    320582 → 320582, 320500, 320000, 000000."""
    chain = [code]
    if code[4:] != "00":
        chain.append(code[:4] + "00")
    if code[2:4] != "00":
        chain.append(code[:2] + "0000")
    chain.append("000000")
    return list(dict.fromkeys(chain))


class PackRegistry:
    """A set of loaded packs, several versions of an id allowed."""

    def __init__(self, packs: Iterable[PolicyPack]) -> None:
        self._packs: dict[str, dict[int, PolicyPack]] = {}
        for pack in packs:
            self._packs.setdefault(pack.id, {})[pack.version] = pack

    def ids(self) -> list[str]:
        return sorted(self._packs)

    def all(self) -> list[PolicyPack]:
        return [self._packs[i][v] for i in self.ids() for v in sorted(self._packs[i])]

    def get(self, pack_id: str, version: int | None = None) -> PolicyPack:
        """The pack with this id: the given version, or else the latest."""
        versions = self._packs.get(pack_id)
        if not versions:
            raise UnknownPack(pack_id, self._packs)
        if version is None:
            return versions[max(versions)]
        if version not in versions:
            known = [f"{pack_id}@{v}" for v in versions]
            raise UnknownPack(f"{pack_id}@{version}", known)
        return versions[version]

    def resolve(self, spec: str) -> PolicyPack:
        return self.get(*parse_spec(spec))

    def in_force(
        self, region: str, scheme: str, day: dt.date, family: Family | None = None
    ) -> PolicyPack:
        """The pack for ``scheme`` (of ``family`` when given) whose period covers ``day``, from
        the region itself or the nearest region above it; the latest start wins, then the
        latest version (a new version of an approved pack replaces it for the same period).

        A scheme has packs of several families (the medical rules and the contributions of the
        resident scheme): without ``family``, finding more than one is an error."""
        for code in region_ancestry(region):
            candidates = [
                pack
                for versions in self._packs.values()
                for pack in versions.values()
                if pack.rules.region == code
                and pack.rules.scheme == scheme
                and (family is None or pack.family is family)
                and pack.covers(day)
            ]
            families = {pack.family for pack in candidates}
            if len(families) > 1:
                names = ", ".join(sorted(families))
                raise UnknownPack(
                    f"{scheme} in {region} on {day.isoformat()}: name one family of {names}"
                )
            if candidates:
                return max(candidates, key=lambda p: (p.rules.effective.start, p.version))
        what = f"{scheme} ({family})" if family is not None else scheme
        raise UnknownPack(f"{what} in {region} on {day.isoformat()}")


@lru_cache(maxsize=1)
def shipped_registry() -> PackRegistry:
    """The packs that ship with jingban (loaded once; a broken file raises ``PackError``)."""
    return PackRegistry(load_pack_file(path) for path in iter_pack_files(SHIPPED_DIR))

"""Reference data: regions, schemes, organisations and their service windows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, is_dataclass

from django.db import transaction

from jingban.core.actionlog import log_action, log_bulk
from jingban.core.models import Organisation, Region, Scheme, ServiceWindow, User


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str | None


def digest_rows(rows: Iterable[object]) -> str:
    """SHA-256 over the canonical JSON of each row: the content digest of a bulk load."""
    h = hashlib.sha256()
    for row in rows:
        data = asdict(row) if is_dataclass(row) and not isinstance(row, type) else row
        h.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode())
        h.update(b"\n")
    return h.hexdigest()


@transaction.atomic
def import_regions(rows: Sequence[RegionRow], *, acting_user: User | None) -> int:
    """Create or rename regions, parents before children. One action row for the batch."""
    by_code = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in rows])}
    for row in rows:
        region = by_code.get(row.code)
        parent = by_code.get(row.parent_code) if row.parent_code else None
        if parent is None and row.parent_code:
            parent = Region.objects.get(code=row.parent_code)
        if region is None:
            region = Region(code=row.code)
        region.name, region.level, region.parent = row.name, row.level, parent
        region.save()
        by_code[row.code] = region
    log_bulk(
        acting_user=acting_user,
        action="core.region.imported",
        object_type="core.region",
        rows=len(rows),
        digest=digest_rows(rows),
    )
    return len(rows)


@transaction.atomic
def create_scheme(
    *, code: str, kind: str, name_zh: str, name_en: str, acting_user: User | None
) -> Scheme:
    scheme = Scheme.objects.create(code=code, kind=kind, name_zh=name_zh, name_en=name_en)
    log_action(
        acting_user=acting_user,
        action="core.scheme.created",
        object_type="core.scheme",
        object_id=scheme.pk,
        after={"code": code, "kind": kind, "name_zh": name_zh},
    )
    return scheme


@transaction.atomic
def create_organisation(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region,
    schemes: Sequence[Scheme] = (),
    hospital_level: int | None = None,
    acting_user: User | None,
) -> Organisation:
    org = Organisation.objects.create(
        code=code, name=name, kind=kind, region=region, hospital_level=hospital_level
    )
    org.schemes.set(schemes)
    log_action(
        acting_user=acting_user,
        action="core.organisation.created",
        object_type="core.organisation",
        object_id=org.pk,
        region_path=region.path,
        after={
            "code": code,
            "name": name,
            "kind": kind,
            "region": region.code,
            "schemes": sorted(s.code for s in schemes),
        },
    )
    return org


@transaction.atomic
def add_service_window(
    *,
    organisation: Organisation,
    name: str,
    region: Region,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
    acting_user: User | None,
) -> ServiceWindow:
    window = ServiceWindow.objects.create(
        organisation=organisation,
        name=name,
        region=region,
        address=address,
        phone=phone,
        opening_hours=opening_hours,
    )
    log_action(
        acting_user=acting_user,
        action="core.window.created",
        object_type="core.window",
        object_id=window.pk,
        region_path=region.path,
        after={"organisation": organisation.code, "name": name, "address": address},
    )
    return window

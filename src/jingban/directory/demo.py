"""The directory's part of the demo world: the directory of seed article 002 (Dalian, Shenzhen
and Futian, Beijing's districts, Yangzhou, the national hotline) and sample windows of Suzhou,
loaded from the data files beside this module through the same import as an uploaded file.

The article's places that the region table lacks are added first, through core's reference
service. Idempotent: a world whose directory holds rows already is left alone."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jingban.core.models import Region, User
from jingban.core.services import reference
from jingban.core.services.reference import RegionRow
from jingban.directory import imports
from jingban.directory.models import Entry

DATA = Path(__file__).resolve().parent / "data"
FILES = ("seed_002.csv", "suzhou_sample.csv")

# The places of seed 002 outside the demo's Jiangsu, parents first.
SEED_REGIONS = (
    RegionRow("110000", "北京市", "province", None),
    RegionRow("110101", "东城区", "county", "110000"),
    RegionRow("110102", "西城区", "county", "110000"),
    RegionRow("210000", "辽宁省", "province", None),
    RegionRow("210200", "大连市", "city", "210000"),
    RegionRow("440000", "广东省", "province", None),
    RegionRow("440300", "深圳市", "city", "440000"),
    RegionRow("440304", "福田区", "county", "440300"),
    RegionRow("320000", "江苏省", "province", None),
    RegionRow("321000", "扬州市", "city", "320000"),
    RegionRow("321003", "邗江区", "county", "321000"),
    RegionRow("610000", "陕西省", "province", None),
    RegionRow("610800", "榆林市", "city", "610000"),
    RegionRow("610831", "子洲县", "county", "610800"),
    RegionRow("630000", "青海省", "province", None),
)


def ensure_regions(acting_user: User | None) -> None:
    known = set(
        Region.objects.filter(code__in=[r.code for r in SEED_REGIONS]).values_list(
            "code", flat=True
        )
    )
    missing = [r for r in SEED_REGIONS if r.code not in known]
    if missing:
        reference.import_regions(missing, acting_user=acting_user)


def load_directory(acting_user: User | None) -> int:
    """Import the data files (regions first); the number of entries written."""
    ensure_regions(acting_user)
    written = 0
    for name in FILES:
        path = DATA / name
        result = imports.import_file(path.read_bytes(), name, acting_user=acting_user)
        written += result.created + result.updated
    return written


def build(admin: User, users: Mapping[str, User]) -> None:
    if Entry.objects.exists():
        return
    load_directory(admin)

"""Import of a catalogue version (目录版本) from a CSV or Excel (xlsx) file: one row per item.

All or nothing: every row is checked first, and one bad row refuses the whole file with a
report naming each bad row (its row number in the spreadsheet, the header being row 1) and
field. A good file becomes a new version, with all its items, in one transaction, logged once
(``catalogue.version.imported``, with the number of rows and their digest).

Columns (a header may be the key or its Chinese label): ``code`` 国家医保编码, ``name`` 名称,
``kind`` 类型, ``category`` 类别 (甲/乙/丙/目录外 or A/B/C/none), ``first_pay_rate`` 先行自付比例
(乙类 only: 0.1 or 10%; empty: the version's default), ``price_limit`` 最高支付限价 (yuan per
unit; empty: none), ``unit`` 单位, ``visit_types`` 限就诊类型 (empty: every visit type),
``restriction`` 限定支付范围.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jingban.catalogue.models import CatalogueItem, CatalogueVersion, Category, ItemKind
from jingban.core import tables
from jingban.core.actionlog import log_bulk
from jingban.core.errors import ValidationFailed
from jingban.core.models import User
from jingban.core.services.reference import digest_rows
from jingban.core.tables import ImportRefused, RowProblem
from jingban.engine.codes import VisitType
from jingban.engine.money import MoneyError, parse_yuan
from jingban.engine.policy.meta import VISIT_TYPE_LABELS

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
MAX_LIMIT = 10**12  # fen: ten billion yuan a unit is no price
_SEPARATORS = ("、", ",", "，", ";", "；", "/", "|")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{2,49}$")

# key → Chinese header
COLUMNS: dict[str, str] = {
    "code": "国家医保编码",
    "name": "名称",
    "kind": "类型",
    "category": "类别",
    "first_pay_rate": "先行自付比例",
    "price_limit": "最高支付限价",
    "unit": "单位",
    "visit_types": "限就诊类型",
    "restriction": "限定支付范围",
}
REQUIRED = ("code", "name", "kind", "category")

_KINDS = {
    **{k.value: k.value for k in ItemKind},
    "西药": ItemKind.WESTERN_DRUG.value,
    "中成药": ItemKind.PATENT_DRUG.value,
    "医用耗材": ItemKind.CONSUMABLE.value,
    "耗材": ItemKind.CONSUMABLE.value,
    "医疗服务项目": ItemKind.SERVICE.value,
    "诊疗项目": ItemKind.SERVICE.value,
}
_CATEGORIES = {
    "a": "A",
    "甲": "A",
    "甲类": "A",
    "b": "B",
    "乙": "B",
    "乙类": "B",
    "c": "C",
    "丙": "C",
    "丙类": "C",
    "none": "none",
    "目录外": "none",
}
_VISIT_TYPES = {
    **{v.value: v.value for v in VisitType},
    **{zh: str(v) for v, (zh, _en) in VISIT_TYPE_LABELS.items()},
}


@dataclass(frozen=True)
class ItemRow:
    code: str
    name: str
    kind: str
    category: str
    first_pay_rate: Decimal | None
    price_limit: int | None
    unit: str
    visit_types: tuple[str, ...]
    restriction: str


@dataclass(frozen=True)
class VersionInput:
    label: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    default_first_pay_rate: Decimal = Decimal("0.10")
    sample: bool = False
    note: str = ""


def read_table(content: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV (UTF-8, or GB18030 as older Excel writes it) or xlsx file as text."""
    return tables.read_table(content, filename, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def _rate(text: str) -> Decimal:
    percent = text.endswith("%")
    value = Decimal(text.rstrip("%").strip())
    if not value.is_finite():
        raise InvalidOperation
    return value / 100 if percent else value


def parse_rows(rows: list[list[str]]) -> tuple[list[ItemRow], list[RowProblem]]:
    """The items of a table (header first) and the problems of every row that has any."""
    names = {key: (f"{label}（{key}）", label, key) for key, label in COLUMNS.items()}
    try:
        _keys, data = tables.columns(rows, names, REQUIRED, max_rows=MAX_ROWS)
    except ImportRefused as err:
        return [], err.problems
    items: list[ItemRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(data, start=2):
        if not cells:
            continue
        found: list[RowProblem] = []

        def bad(
            key: str, message: str, number: int = number, found: list[RowProblem] = found
        ) -> None:
            found.append(RowProblem(number, COLUMNS[key], message))

        code = cells.get("code", "").upper()
        if not code:
            bad("code", _("The code is required."))
        elif not _CODE.match(code):
            bad("code", _("“%(v)s” is not a national code (letters and digits).") % {"v": code})
        elif code in seen:
            bad("code", _("The same code as row %(n)d.") % {"n": seen[code]})
        else:
            seen[code] = number
        name = " ".join(cells.get("name", "").split())
        if not name:
            bad("name", _("The name is required."))
        elif len(name) > 200:
            bad("name", _("At most %(n)d characters.") % {"n": 200})
        kind = _KINDS.get(cells.get("kind", "").lower(), _KINDS.get(cells.get("kind", ""), ""))
        if not kind:
            bad("kind", _("Unknown kind “%(v)s”.") % {"v": cells.get("kind", "")})
        category = _CATEGORIES.get(cells.get("category", "").lower(), "")
        if not category:
            bad(
                "category",
                _("Unknown class “%(v)s” (A, B, C or none).") % {"v": cells.get("category", "")},
            )
        rate: Decimal | None = None
        rate_text = cells.get("first_pay_rate", "")
        if rate_text:
            try:
                rate = _rate(rate_text)
            except (InvalidOperation, ValueError):
                bad("first_pay_rate", _("“%(v)s” is not a rate.") % {"v": rate_text})
            else:
                if not Decimal(0) <= rate <= Decimal(1):
                    bad("first_pay_rate", _("The rate must lie between 0 and 100%."))
                    rate = None
                elif rate.as_tuple().exponent < -4:  # type: ignore[operator]
                    bad("first_pay_rate", _("At most four decimals."))
                    rate = None
                elif category and category != Category.B:
                    bad("first_pay_rate", _("Only class B items have a first-payment rate."))
        limit: int | None = None
        limit_text = cells.get("price_limit", "")
        if limit_text:
            try:
                limit = parse_yuan(limit_text)
            except MoneyError:
                bad(
                    "price_limit",
                    _("“%(v)s” is not an amount of yuan (at most two decimals).")
                    % {"v": limit_text},
                )
            else:
                if limit > MAX_LIMIT:
                    bad("price_limit", _("The price limit is implausibly large."))
                    limit = None
        visit_types: list[str] = []
        text = cells.get("visit_types", "")
        for separator in _SEPARATORS:
            text = text.replace(separator, "\n")
        for part in filter(None, (p.strip() for p in text.split("\n"))):
            value = _VISIT_TYPES.get(part) or _VISIT_TYPES.get(part.lower())
            if value is None:
                bad("visit_types", _("Unknown visit type “%(v)s”.") % {"v": part})
            elif value not in visit_types:
                visit_types.append(value)
        unit = cells.get("unit", "")
        if len(unit) > 20:
            bad("unit", _("At most %(n)d characters.") % {"n": 20})
        restriction = " ".join(cells.get("restriction", "").split())
        if len(restriction) > 500:
            bad("restriction", _("At most %(n)d characters.") % {"n": 500})
        problems += found
        if not found:
            items.append(
                ItemRow(
                    code=code,
                    name=name,
                    kind=kind,
                    category=category,
                    first_pay_rate=rate,
                    price_limit=limit,
                    unit=unit,
                    visit_types=tuple(visit_types),
                    restriction=restriction,
                )
            )
    return items, problems


def check_version(data: VersionInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    label = " ".join(data.label.split())
    if not label:
        errors["label"] = [_("This field is required.")]
    elif len(label) > 60:
        errors["label"] = [_("At most %(n)d characters.") % {"n": 60}]
    elif CatalogueVersion.objects.filter(label=label).exists():
        errors["label"] = [_("A version with this name exists already.")]
    if data.effective_to is not None and data.effective_to < data.effective_from:
        errors["effective_to"] = [_("The end of the period is before its start.")]
    if not Decimal(0) <= data.default_first_pay_rate <= Decimal(1):
        errors["default_first_pay_rate"] = [_("The rate must lie between 0 and 100%.")]
    if len(data.note) > 300:
        errors["note"] = [_("At most %(n)d characters.") % {"n": 300}]
    return errors


@transaction.atomic
def import_version(
    data: VersionInput, items: Sequence[ItemRow], *, acting_user: User | None
) -> CatalogueVersion:
    """A new version with every item, or nothing (``ValidationFailed``)."""
    errors = check_version(data)
    if errors:
        raise ValidationFailed(fields=errors)
    if not items:
        raise ImportRefused([RowProblem(2, _("File"), _("The file has no rows."))])
    try:
        with transaction.atomic():
            version = _create_version(data, acting_user)
    except IntegrityError:  # the same name imported at the same moment by someone else
        raise ValidationFailed(
            fields={"label": [_("A version with this name exists already.")]}
        ) from None
    CatalogueItem.objects.bulk_create(
        [
            CatalogueItem(
                version=version,
                code=i.code,
                name=i.name,
                kind=i.kind,
                category=i.category,
                first_pay_rate=i.first_pay_rate,
                price_limit=i.price_limit,
                unit=i.unit,
                visit_types=list(i.visit_types),
                restriction=i.restriction,
            )
            for i in items
        ],
        batch_size=2000,
    )
    log_bulk(
        acting_user=acting_user,
        action="catalogue.version.imported",
        object_type="catalogue.version",
        rows=len(items),
        digest=digest_rows(items),
        reason=f"{version.label} {version.effective_from.isoformat()}",
    )
    return version


def _create_version(data: VersionInput, acting_user: User | None) -> CatalogueVersion:
    return CatalogueVersion.objects.create(
        label=" ".join(data.label.split()),
        effective_from=data.effective_from,
        effective_to=data.effective_to,
        default_first_pay_rate=data.default_first_pay_rate,
        sample=data.sample,
        note=data.note,
        created_by=acting_user,
    )


def import_file(
    content: bytes, filename: str, data: VersionInput, *, acting_user: User | None
) -> CatalogueVersion:
    """Read, check and import a file as a new version: all rows, or none with the report."""
    items, problems = parse_rows(read_table(content, filename))
    if problems:
        raise ImportRefused(problems)
    return import_version(data, items, acting_user=acting_user)

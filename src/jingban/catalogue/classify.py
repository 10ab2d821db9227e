"""Fee details (费用明细) classified through the catalogue version in force: fully self-paid
(全自费: 丙类, outside the catalogue, not covered for the visit type, unknown code), above the
price limit (超限价自付), 乙类先行自付 at each item's own rate, and in scope (政策范围内): the
engine's inputs (``Claim.out_of_scope``, ``class_b``, ``class_b_first``).

``classify`` reads the version in force and the items the lines name (two queries);
``classify_with`` is the arithmetic alone, on rules given to it, with no database.

Every line conserves its amount (``fulamt_ownpay + overlmt + preselfpay + inscp == amount``)
and the totals are the sums of the lines. Amounts are fen; a share is rounded half up to the fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.core.errors import DomainError
from jingban.engine.codes import VisitType
from jingban.engine.money import format_yuan

CATEGORIES = ("A", "B", "C", "none")


class FeeLineInvalid(DomainError):
    """A fee line whose figures are not a bill's: quantity × price is not its amount, a negative
    or non-numeric figure, a missing code, a line id given twice. Names the line."""

    code = "fee_line.invalid"
    default_message = gettext_lazy("A fee detail line is not valid.")

    def __init__(self, line_id: str, field: str, message: str) -> None:
        self.line_id = line_id
        self.field = field
        text = _("Fee line %(line)s: %(problem)s") % {"line": line_id or "?", "problem": message}
        super().__init__(text, fields={field: [text]})


class NoCatalogueInForce(DomainError):
    code = "catalogue.not_in_force"
    default_message = gettext_lazy("No catalogue version is in force on that day.")


@dataclass(frozen=True)
class FeeLine:
    """费用明细: one line of a bill as a hospital sends it (``feedetl_sn``, ``med_list_codg``,
    ``cnt``, ``pric``, ``det_item_fee_sumamt``); ``price`` and ``amount`` in fen."""

    line_id: str
    code: str
    name: str
    quantity: Decimal
    price: int
    amount: int


@dataclass(frozen=True)
class ItemRule:
    """What classification needs of a catalogue item."""

    code: str
    name: str
    category: str  # "A" | "B" | "C" | "none"
    first_pay_rate: Fraction | None = None  # 乙类: the rate that applies (item's or default)
    price_limit: int | None = None  # fen per unit
    visit_types: frozenset[str] = frozenset()  # empty: every visit type


@dataclass(frozen=True)
class ClassifiedLine:
    line_id: str
    code: str
    name: str
    amount: int
    category: str  # "A" | "B" | "C" | "none"
    fulamt_ownpay: int
    overlmt: int
    preselfpay: int
    inscp: int
    warning: str | None
    # Why the line is (partly) the person's: "", "unknown_code", "not_covered", "class_c",
    # "outside", "over_limit" (stable codes beside the translated ``warning``).
    reason: str = ""


@dataclass(frozen=True)
class Classification:
    total: int
    fulamt_ownpay_amt: int
    overlmt_selfpay: int
    class_b: int
    preselfpay_amt: int
    inscp_scp_amt: int
    lines: tuple[ClassifiedLine, ...]
    version: str

    @property
    def out_of_scope(self) -> int:
        """``Claim.out_of_scope``: fully self-paid plus above the price limits."""
        return self.fulamt_ownpay_amt + self.overlmt_selfpay


def half_up(value: Fraction) -> int:
    """To the fen, half up (values here are never negative)."""
    whole, rest = divmod(value.numerator, value.denominator)
    return whole + (1 if 2 * rest >= value.denominator else 0)


def _exact(value: Decimal) -> Fraction:
    return Fraction(value)


def check_lines(lines: Sequence[FeeLine]) -> None:
    """Refuse the first line whose figures are not a bill's (``FeeLineInvalid``)."""
    seen: set[str] = set()
    for line in lines:
        name = line.line_id
        if not str(line.line_id or "").strip():
            raise FeeLineInvalid(name, "line_id", _("the line has no id."))
        if name in seen:
            raise FeeLineInvalid(name, "line_id", _("the line id is given twice."))
        seen.add(name)
        if not str(line.code or "").strip():
            raise FeeLineInvalid(name, "code", _("the item code is missing."))
        for field in ("price", "amount"):
            value = getattr(line, field)
            if not isinstance(value, int) or isinstance(value, bool):
                raise FeeLineInvalid(name, field, _("the amount is not a number of fen."))
            if value < 0:
                raise FeeLineInvalid(name, field, _("the amount is negative."))
        try:
            quantity = Decimal(line.quantity)
            finite = quantity.is_finite()
        except (InvalidOperation, TypeError, ValueError):
            finite = False
        if not finite:
            raise FeeLineInvalid(name, "quantity", _("the quantity is not a number."))
        if quantity <= 0:
            raise FeeLineInvalid(name, "quantity", _("the quantity must be more than zero."))
        if half_up(_exact(quantity) * line.price) != line.amount:
            raise FeeLineInvalid(
                name,
                "amount",
                _("quantity × price is not the line's amount (to the fen)."),
            )


def _classify_line(
    line: FeeLine, rule: ItemRule | None, visit_type: VisitType, version: str
) -> ClassifiedLine:
    amount = line.amount

    def own(category: str, reason: str, warning: str | None) -> ClassifiedLine:
        return ClassifiedLine(
            line.line_id, line.code, line.name, amount, category, amount, 0, 0, 0, warning, reason
        )

    if rule is None:
        return own(
            "none",
            "unknown_code",
            _("Code %(code)s is not in catalogue version %(version)s: fully self-paid.")
            % {"code": line.code, "version": version},
        )
    if rule.category == "C":
        return own("C", "class_c", None)
    if rule.category not in ("A", "B"):
        return own("none", "outside", None)
    if rule.visit_types and visit_type.value not in rule.visit_types:
        return own(
            rule.category,
            "not_covered",
            _("%(name)s is not covered for this kind of visit: fully self-paid.")
            % {"name": rule.name},
        )
    allowed = amount
    warning = None
    reason = ""
    if rule.price_limit is not None:
        allowed = min(amount, half_up(_exact(Decimal(line.quantity)) * rule.price_limit))
        if allowed < amount:
            reason = "over_limit"
            warning = _(
                "Above the price limit of %(limit)s per unit: %(over)s is paid by the person."
            ) % {"limit": format_yuan(rule.price_limit), "over": format_yuan(amount - allowed)}
    overlmt = amount - allowed
    preselfpay = 0
    if rule.category == "B":
        rate = rule.first_pay_rate if rule.first_pay_rate is not None else Fraction(0)
        preselfpay = half_up(allowed * rate)
    return ClassifiedLine(
        line.line_id,
        line.code,
        line.name,
        amount,
        rule.category,
        0,
        overlmt,
        preselfpay,
        allowed - preselfpay,
        warning,
        reason,
    )


def classify_with(
    lines: Sequence[FeeLine],
    rules: Mapping[str, ItemRule],
    *,
    visit_type: VisitType,
    version: str,
) -> Classification:
    """The classification of ``lines`` by ``rules`` (item code → rule), without a database."""
    check_lines(lines)
    done = tuple(_classify_line(line, rules.get(line.code), visit_type, version) for line in lines)
    total = sum(c.amount for c in done)
    fulamt = sum(c.fulamt_ownpay for c in done)
    overlmt = sum(c.overlmt for c in done)
    preselfpay = sum(c.preselfpay for c in done)
    class_b = sum(c.preselfpay + c.inscp for c in done if c.category == "B" and not c.fulamt_ownpay)
    return Classification(
        total=total,
        fulamt_ownpay_amt=fulamt,
        overlmt_selfpay=overlmt,
        class_b=class_b,
        preselfpay_amt=preselfpay,
        inscp_scp_amt=total - fulamt - overlmt - preselfpay,
        lines=done,
        version=version,
    )


def classify(lines: Sequence[FeeLine], *, on: dt.date, visit_type: VisitType) -> Classification:
    """Classify a bill's fee details through the catalogue version in force ``on`` the day.

    Raises ``FeeLineInvalid`` (naming the line) for figures that are not a bill's and
    ``NoCatalogueInForce`` when no version covers the day. A code the version lacks is fully
    self-paid with a warning, not an error.
    """
    from jingban.catalogue import queries

    version = queries.version_in_force(on)
    if version is None:
        raise NoCatalogueInForce(fields={"on": [NoCatalogueInForce.default_message]})
    check_lines(lines)
    rules = queries.item_rules(version, {line.code for line in lines})
    return classify_with(lines, rules, visit_type=visit_type, version=version.label)

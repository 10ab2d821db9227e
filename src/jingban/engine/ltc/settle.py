"""Settling a month of long-term care services by a city's LTC pack (``LtcRules``).

The input is one row per unit of service (``ServiceRow``): a day in an institution, a medical
ward or respite care, a day of family or self-arranged care, a home visit, or a day in hospital
(``hospital_stay``, which pays nothing and pauses every other form that day). The output is one
``PersonMonth`` per beneficiary: a line per accepted unit with its billed amount, what the fund
pays and what the person pays, and the rows rejected with a reason code.

Rules, all read from the pack:

- only days actually in care are paid: a day in hospital pauses every care form that day, and a
  person has one care form a day (a second form on a day already in care is rejected; a care
  form may change from one day to the next, each day settled by its own form's rule);
- a level the pack does not cover (``levels_covered``, or dementia where the pack covers it) is
  rejected, as is a care form the pack has no rule for, or a severity the form's rule does not
  pay;
- each care form pays by its rule's kind (``CareFormRule``): a fixed amount a day by severity;
  home visits up to the month's quota by severity, each paid for its hours up to the hours of a
  visit at the hourly rate, split between the fund and the person an hour (a visit over the
  quota is rejected with the quota); a monthly standard prorated by days in care; a share of the
  day's billed amount capped per day (by hospital level where the pack says so); a flat amount
  a day;
- relief people (``person_category == "relief"``) pay nothing where the pack says the fund pays
  all for them;
- a home visit's check-in is checked against the pack (shortest service, location): a failed
  check is flagged on its line, or the visit is rejected when the pack refuses failed checks.

Conservation: on every line and every ``PersonMonth``, ``billed == fund + self_pay``. Rejected
rows carry no money at all: their amounts are in none of the totals.

Amounts are integer fen; hours are exact (``Fraction``); each line is rounded once, by the
pack's rounding, so the sums of a month are exact sums of its lines.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from jingban.engine.codes import SPECIAL_GROUPS
from jingban.engine.money import apply_ratio, round_fraction
from jingban.engine.policy.families.ltc import (
    CareForm,
    CareFormRule,
    CheckFailure,
    LtcRules,
    Proration,
    RuleKind,
    Severity,
)

HOSPITAL_STAY = "hospital_stay"
GENERAL = "general"
RELIEF = "relief"
PERSON_CATEGORIES = (GENERAL, RELIEF)
# The care_form column: the pack's care forms and the hospital-stay marker.
ROW_FORMS = (*(form.value for form in CareForm), HOSPITAL_STAY)

# The registry's special groups that are LTC's relief people (救助人员): the groups of a relief
# tier (特困, 低保, 返贫致贫, 低保边缘, 防止返贫监测, 因病致贫). The one place the mapping lives.
RELIEF_GROUPS = frozenset(group.code for group in SPECIAL_GROUPS if group.tier is not None)


def person_category_of(special_groups: Iterable[str]) -> str:
    """The LTC person category (``general`` or ``relief``) of a person in the registry's
    special groups (their codes)."""
    return RELIEF if any(code in RELIEF_GROUPS for code in special_groups) else GENERAL


# Flags a line may carry (kept for audit; the line is paid).
FLAG_SHORT = "short"  # the visit was shorter than the pack's shortest service
FLAG_NO_LOCATION = "no_location"  # no location though the pack requires one
FLAG_HOURS_CAPPED = "hours_capped"  # more hours than a visit pays; the extra is not paid


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One unit of service as the batch file or the service records give it.

    ``hours`` is exact (a visit's length; 0 or 1 for a day). ``billed_fen`` is the amount the
    provider charged (needed by ratio rules). ``ref`` is the caller's reference to the row (a
    file line, a service record's id): it is carried to the line or the rejection.
    ``entitled`` is False for a day the person was not in benefit (outside the entitlement or
    its care plan, or while the benefit was suspended or stopped): such a row pays nothing and
    is rejected with its reason. A batch file has no such column: its rows are entitled."""

    person_id: str
    disability_level: int
    person_category: str
    care_form: str
    hospital_level: int | None
    service_date: dt.date
    hours: Fraction
    caregiver_id: str
    institution_id: str
    check_in: dt.datetime | None
    check_out: dt.datetime | None
    lat: float | None
    lon: float | None
    billed_fen: int | None = None
    dementia: bool = False
    ref: str = ""
    entitled: bool = True

    @property
    def minutes(self) -> Fraction | None:
        """The minutes between check-in and check-out, when both are known."""
        if self.check_in is None or self.check_out is None:
            return None
        return Fraction(int((self.check_out - self.check_in).total_seconds()), 60)


@dataclass(frozen=True, slots=True)
class Line:
    """One accepted unit: a visit, a day, or a care form's prorated month (``quantity`` days
    from ``service_date``). ``refs`` are the rows it settles."""

    service_date: dt.date
    care_form: CareForm
    billed_fen: int
    fund_fen: int
    self_pay_fen: int
    quantity: Fraction
    unit: str  # "hours" or "days"
    refs: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rejection:
    """A row not paid: a stable ``code`` (``ltc.over_quota`` …), the English ``message`` and the
    ``params`` an application needs to say it in the user's language."""

    row: ServiceRow
    code: str
    message: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PersonMonth:
    """A beneficiary's month: its lines, its rejected rows and the totals of its lines."""

    person_id: str
    month: dt.date
    billed_fen: int
    fund_fen: int
    self_pay_fen: int
    lines: tuple[Line, ...]
    rejected: tuple[Rejection, ...]
    hospital_days: int = 0

    @property
    def conserved(self) -> bool:
        return self.billed_fen == self.fund_fen + self.self_pay_fen and all(
            line.billed_fen == line.fund_fen + line.self_pay_fen for line in self.lines
        )


class UnsortedRows(ValueError):
    """Rows said to be sorted by person came out of order."""

    code = "ltc.rows_not_sorted"


REASONS: Mapping[str, str] = {
    "ltc.outside_month": "the service date {date} is not in the month settled",
    "ltc.unknown_care_form": "{care_form} is not a care form",
    "ltc.unknown_category": "{category} is not a person category (general or relief)",
    "ltc.check_out_before_check_in": "the check-out is before the check-in",
    "ltc.in_hospital": "{date} is a day in hospital: no care is paid that day",
    "ltc.not_entitled": "{date} is not a day in benefit (outside the benefit or suspended)",
    "ltc.level_not_covered": "disability level {level} is not covered",
    "ltc.form_not_covered": "the pack pays no {care_form}",
    "ltc.severity_not_covered": "{care_form} is not paid for {severity} disability",
    "ltc.form_conflict": "{date} is already a day of {other}",
    "ltc.duplicate_day": "{date} is already paid as a day of {care_form}",
    "ltc.over_quota": "visit {visit} is over the quota of {limit} visits a month",
    "ltc.no_hours": "a visit of no hours",
    "ltc.too_short": "the visit lasted {minutes} minutes, less than {min_minutes}",
    "ltc.no_location": "the check-in has no location, which the pack requires",
    "ltc.billed_missing": "{care_form} pays a share of the billed amount: the row has none",
    "ltc.hospital_level_missing": "{care_form} pays by hospital level: the row has none",
}


def _reject(row: ServiceRow, code: str, **params: object) -> Rejection:
    text = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in params.items()}
    return Rejection(row, code, REASONS[code].format(**text), text)


def month_days(month: dt.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def first_of(month: dt.date) -> dt.date:
    return month.replace(day=1)


@dataclass
class _Person:
    """What settling one person's month accumulates."""

    rules: LtcRules
    month: dt.date
    relief: bool = False
    lines: list[Line] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    day_form: dict[dt.date, CareForm] = field(default_factory=dict)
    visits: int = 0
    # billed_ratio: (day, form) → rows, billed and hospital level
    ratio_days: dict[tuple[dt.date, CareForm], list[ServiceRow]] = field(default_factory=dict)
    # monthly_prorated: form → day → (severity, row)
    prorated: dict[CareForm, dict[dt.date, tuple[Severity, ServiceRow]]] = field(
        default_factory=dict
    )

    def split(self, billed: int, fund: int) -> tuple[int, int, int]:
        """(billed, fund, self) with the relief rule applied."""
        if self.relief and self.rules.relief_fund_pays_all:
            return billed, billed, 0
        return billed, fund, billed - fund


def settle_person(
    rules: LtcRules, month: dt.date, person_id: str, rows: Sequence[ServiceRow]
) -> PersonMonth:
    """Settle one person's rows for ``month`` (any day of it). Rows are taken in date order,
    and in the order given within a day."""
    month = first_of(month)
    state = _Person(rules, month)
    ordered = sorted(enumerate(rows), key=lambda item: (item[1].service_date, item[0]))
    hospital: set[dt.date] = set()
    care: list[ServiceRow] = []
    for _, row in ordered:
        problem = _checked(row, month)
        if problem is not None:
            state.rejected.append(problem)
        elif row.care_form == HOSPITAL_STAY:
            hospital.add(row.service_date)
        else:
            care.append(row)
    state.relief = any(row.person_category == RELIEF for row in rows)
    for row in care:
        _settle_row(state, row, hospital)
    _settle_ratio_days(state)
    _settle_prorated(state)
    lines = tuple(sorted(state.lines, key=lambda line: (line.service_date, line.care_form)))
    rejected = tuple(state.rejected)
    billed = sum(line.billed_fen for line in lines)
    fund = sum(line.fund_fen for line in lines)
    return PersonMonth(
        person_id=person_id,
        month=month,
        billed_fen=billed,
        fund_fen=fund,
        self_pay_fen=billed - fund,
        lines=lines,
        rejected=rejected,
        hospital_days=len(hospital),
    )


def _checked(row: ServiceRow, month: dt.date) -> Rejection | None:
    """A row's own problems, whatever the pack says."""
    if (row.service_date.year, row.service_date.month) != (month.year, month.month):
        return _reject(row, "ltc.outside_month", date=row.service_date)
    if row.care_form not in ROW_FORMS:
        return _reject(row, "ltc.unknown_care_form", care_form=row.care_form)
    if row.person_category not in PERSON_CATEGORIES:
        return _reject(row, "ltc.unknown_category", category=row.person_category)
    if row.check_in is not None and row.check_out is not None and row.check_out < row.check_in:
        return _reject(row, "ltc.check_out_before_check_in")
    return None


def _settle_row(state: _Person, row: ServiceRow, hospital: set[dt.date]) -> None:
    rules = state.rules
    day = row.service_date
    form = CareForm(row.care_form)
    if day in hospital:
        state.rejected.append(_reject(row, "ltc.in_hospital", date=day))
        return
    if not row.entitled:
        state.rejected.append(_reject(row, "ltc.not_entitled", date=day))
        return
    severity = rules.paid_severity(row.disability_level, dementia=row.dementia)
    if severity is None:
        state.rejected.append(_reject(row, "ltc.level_not_covered", level=row.disability_level))
        return
    rule = rules.care_forms.get(form)
    if rule is None:
        state.rejected.append(_reject(row, "ltc.form_not_covered", care_form=form.value))
        return
    if not rule.pays_for(severity):
        state.rejected.append(
            _reject(row, "ltc.severity_not_covered", care_form=form.value, severity=severity.value)
        )
        return
    other = state.day_form.get(day)
    if other is not None and other is not form:
        state.rejected.append(_reject(row, "ltc.form_conflict", date=day, other=other.value))
        return
    if rule.kind is RuleKind.HOURLY_VISITS:
        _visit(state, row, form, rule, severity)
    elif rule.kind is RuleKind.BILLED_RATIO:
        _ratio_row(state, row, form, rule)
    elif other is not None or (
        rule.kind is RuleKind.MONTHLY_PRORATED and day in state.prorated.get(form, {})
    ):
        state.rejected.append(_reject(row, "ltc.duplicate_day", date=day, care_form=form.value))
    elif rule.kind is RuleKind.MONTHLY_PRORATED:
        state.day_form[day] = form
        state.prorated.setdefault(form, {})[day] = (severity, row)
    else:
        _day(state, row, form, rule, severity)


def _day(
    state: _Person, row: ServiceRow, form: CareForm, rule: CareFormRule, severity: Severity
) -> None:
    """A day of a ``per_day`` or ``flat_per_day`` form."""
    if rule.kind is RuleKind.PER_DAY:
        assert rule.per_day is not None
        standard = rule.per_day[severity]
    else:
        assert rule.amount is not None
        standard = rule.amount
    fund = apply_ratio(standard, rule.fund_share(), state.rules.rounding)
    billed, fund, own = state.split(standard, fund)
    state.day_form[row.service_date] = form
    state.lines.append(
        Line(row.service_date, form, billed, fund, own, Fraction(1), "days", (row.ref,))
    )


def _visit(
    state: _Person, row: ServiceRow, form: CareForm, rule: CareFormRule, severity: Severity
) -> None:
    """A home visit: within the month's quota, paid for its hours up to a visit's hours."""
    rules = state.rules
    assert rule.visits_per_month is not None and rule.hours_per_visit is not None
    assert rule.hourly_rate is not None and rule.fund_per_hour is not None
    limit = rule.visits_per_month[severity]
    if state.visits >= limit:
        state.rejected.append(_reject(row, "ltc.over_quota", visit=state.visits + 1, limit=limit))
        return
    if row.hours <= 0:
        state.rejected.append(_reject(row, "ltc.no_hours"))
        return
    flags: list[str] = []
    failures: list[Rejection] = []
    minutes = row.minutes
    check = rules.check_in
    if minutes is not None and minutes < check.min_minutes:
        shown = int(minutes)
        failures.append(_reject(row, "ltc.too_short", minutes=shown, min_minutes=check.min_minutes))
        flags.append(FLAG_SHORT)
    if check.location_required and (row.lat is None or row.lon is None):
        failures.append(_reject(row, "ltc.no_location"))
        flags.append(FLAG_NO_LOCATION)
    if failures and check.on_failure is CheckFailure.REFUSE:
        state.rejected.append(failures[0])
        return
    hours = row.hours
    if hours > rule.hours_per_visit:
        hours = Fraction(rule.hours_per_visit)
        flags.append(FLAG_HOURS_CAPPED)
    billed = round_fraction(hours * rule.hourly_rate, rules.rounding)
    fund = min(billed, round_fraction(hours * rule.fund_per_hour, rules.rounding))
    billed, fund, own = state.split(billed, fund)
    state.visits += 1
    state.day_form[row.service_date] = form
    state.lines.append(
        Line(row.service_date, form, billed, fund, own, hours, "hours", (row.ref,), tuple(flags))
    )


def _ratio_row(state: _Person, row: ServiceRow, form: CareForm, rule: CareFormRule) -> None:
    if row.billed_fen is None:
        state.rejected.append(_reject(row, "ltc.billed_missing", care_form=form.value))
        return
    if rule.needs_hospital_level and row.hospital_level not in (1, 2, 3):
        state.rejected.append(_reject(row, "ltc.hospital_level_missing", care_form=form.value))
        return
    state.day_form[row.service_date] = form
    state.ratio_days.setdefault((row.service_date, form), []).append(row)


def _settle_ratio_days(state: _Person) -> None:
    """Each day of a ``billed_ratio`` form: the share of the day's billed amount, capped."""
    for (day, form), rows in state.ratio_days.items():
        rule = state.rules.care_forms[form]
        level = rows[0].hospital_level
        billed = sum(row.billed_fen or 0 for row in rows)
        ratio = rule.ratio_for(level)
        assert ratio is not None
        fund = apply_ratio(billed, ratio, state.rules.rounding)
        cap = rule.cap_for(level)
        if cap is not None:
            fund = min(fund, cap)
        billed, fund, own = state.split(billed, fund)
        refs = tuple(row.ref for row in rows)
        state.lines.append(Line(day, form, billed, fund, own, Fraction(1), "days", refs))


def _settle_prorated(state: _Person) -> None:
    """Each ``monthly_prorated`` form: one line for its days in care this month."""
    rules = state.rules
    days_of_month = month_days(state.month)
    for form, days in state.prorated.items():
        rule = rules.care_forms[form]
        assert rule.monthly is not None and rule.proration is not None
        exact = Fraction(0)
        top = 0
        for severity, _ in days.values():
            standard = rule.monthly[severity]
            top = max(top, standard)
            if rule.proration is Proration.CALENDAR_DAYS:
                exact += Fraction(standard, days_of_month)
            elif rule.proration is Proration.THIRTY_DAYS:
                exact += Fraction(standard, 30)
        if rule.proration is Proration.NONE:
            exact = Fraction(top)
        standard_fen = min(round_fraction(exact, rules.rounding), top)
        fund = apply_ratio(standard_fen, rule.fund_share(), rules.rounding)
        billed, fund, own = state.split(standard_fen, fund)
        first = min(days)
        refs = tuple(days[day][1].ref for day in sorted(days))
        state.lines.append(Line(first, form, billed, fund, own, Fraction(len(days)), "days", refs))


def settle_month(
    rules: LtcRules, month: dt.date, rows: Iterable[ServiceRow], *, sorted_by_person: bool = False
) -> Iterator[PersonMonth]:
    """Settle ``rows`` for ``month``: one ``PersonMonth`` per person, in the order of their
    ids (as text).

    By default the rows are gathered in memory first. With ``sorted_by_person`` the rows must
    come sorted by person id (a person's rows together; the batch file's reader sorts on disk),
    and each person is settled as soon as their rows are read: memory is one person's month.
    A row out of order then raises ``UnsortedRows``."""
    if not sorted_by_person:
        people: dict[str, list[ServiceRow]] = defaultdict(list)
        for row in rows:
            people[row.person_id].append(row)
        for person_id in sorted(people):
            yield settle_person(rules, month, person_id, people.pop(person_id))
        return
    current: str | None = None
    group: list[ServiceRow] = []
    for row in rows:
        if row.person_id != current:
            if current is not None:
                if row.person_id < current:
                    raise UnsortedRows(f"person {row.person_id} comes after {current}")
                yield settle_person(rules, month, current, group)
            current, group = row.person_id, []
        group.append(row)
    if current is not None:
        yield settle_person(rules, month, current, group)


__all__ = [
    "GENERAL",
    "HOSPITAL_STAY",
    "PERSON_CATEGORIES",
    "REASONS",
    "RELIEF",
    "RELIEF_GROUPS",
    "ROW_FORMS",
    "Line",
    "PersonMonth",
    "Rejection",
    "ServiceRow",
    "UnsortedRows",
    "person_category_of",
    "settle_month",
    "settle_person",
]

"""Settling many claims at once (批量结算), as ``jingban adjudicate`` does with a claims file.

Claims are settled per person and year (人员年度) in the order they happened — by discharge date
(the service date when there is none), then admission (service) date, then claim id in natural
order (C9 before C10) — with the person-year accumulators carried from one claim to the next, so
a year split over several files gives the same figures as one file when the accumulators of the
first are passed to the second. A claim that cannot be settled becomes a refusal (line, claim id,
field, code, English message) and never stops the others.

``settle_claims`` takes the rows in memory; ``settle_person_years`` takes rows already sorted by
``settlement_order`` and gives each person-year as soon as it is settled, so a file of any size
is settled in the memory of one person-year (see ``jingban.engine.medical.stream``).

Several public packs may be given for different periods: each claim is settled with the one in
force on its settlement date. Supplementary packs apply to the claims whose date they cover.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from dataclasses import field as default
from itertools import combinations

from jingban.engine.codes import VisitType
from jingban.engine.errors import CodedError
from jingban.engine.medical.cascade import Adjudication, ClaimRejected, adjudicate
from jingban.engine.medical.claim import Claim, ClaimInvalid, YearToDate
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack

# The money columns of a result, in the order of the cascade.
AMOUNTS = (
    "basic_fund",
    "critical_illness",
    "medical_assistance",
    "supplementary",
    "out_of_pocket",
)

PersonYear = tuple[str, int]

# Visit types that are a stay (住院): settled at discharge, so their discharge date is required.
# Maternity is a stay too (住院分娩). Every other visit type is outpatient and has none.
STAYS = frozenset({VisitType.INPATIENT, VisitType.MATERNITY_NATURAL, VisitType.MATERNITY_CESAREAN})

_DIGITS = re.compile(r"(\d+)")

# (person, year, discharge or service date, admission date, natural claim id, claim id, line)
SettlementKey = tuple[str, int, dt.date, dt.date, tuple[str | int, ...], str, int]


def natural_id(claim_id: str) -> tuple[str | int, ...]:
    """``claim_id`` as text and numbers in turn, so ``C9`` sorts before ``C10``. Text always
    comes first (maybe empty) and the parts alternate, so two keys compare part by part with
    text against text and numbers against numbers."""
    parts = _DIGITS.split(claim_id)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def settlement_order(line: int, claim: Claim) -> SettlementKey:
    """Where a claim is settled: by person-year (person id as text, then year), then by
    discharge date (service date when none), admission date, claim id in natural order; the
    claim id as written and the line make the order total."""
    day = claim.settlement_date
    return (
        claim.person_id,
        day.year,
        day,
        claim.service_date,
        natural_id(claim.claim_id),
        claim.claim_id,
        line,
    )


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why one row was not settled: where, which field, a stable code, an English message and
    the parameters a translated message needs. A row with several bad columns is refused for
    all of them: the first here, the others in ``also`` (each a refusal of the same row)."""

    line: int
    claim_id: str
    field: str
    code: str
    message: str
    params: Mapping[str, object] = default(default_factory=dict)
    also: tuple[Refusal, ...] = ()

    @property
    def problems(self) -> tuple[Refusal, ...]:
        """Every problem of the row, one refusal each (none with ``also``)."""
        if not self.also:
            return (self,)
        return (replace(self, also=()), *self.also)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One input row: settled (``adjudication``) or refused (``refusal``)."""

    line: int
    claim_id: str
    adjudication: Adjudication | None = None
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.adjudication is not None


@dataclass(frozen=True)
class BatchResult:
    """The outcomes in input order and the accumulators of every person-year after them
    (those passed in and not touched included)."""

    outcomes: tuple[Outcome, ...]
    accumulators: Mapping[PersonYear, YearToDate]

    @property
    def settled(self) -> tuple[Adjudication, ...]:
        return tuple(o.adjudication for o in self.outcomes if o.adjudication is not None)

    @property
    def refusals(self) -> tuple[Refusal, ...]:
        return tuple(o.refusal for o in self.outcomes if o.refusal is not None)

    def totals(self) -> dict[str, int]:
        """Fen per layer over the settled claims, and their ``total``."""
        sums = dict.fromkeys(("total", *AMOUNTS), 0)
        for result in self.settled:
            sums["total"] += result.total
            for name in AMOUNTS:
                sums[name] += getattr(result, name)
        return sums


class PackSetError(CodedError):
    """Packs that cannot be used together (two public packs in force on the same day …)."""


def _overlap(a: PolicyPack, b: PolicyPack) -> bool:
    return (
        a.rules.effective.start <= b.rules.effective.end
        and b.rules.effective.start <= a.rules.effective.end
    )


@dataclass(frozen=True)
class _Packs:
    public: tuple[PolicyPack, ...]
    supplementary: tuple[PolicyPack, ...]

    @classmethod
    def of(cls, packs: Sequence[PolicyPack]) -> _Packs:
        # By family, not by kind: a contribution pack is public too, but settles no claim.
        others = [p for p in packs if p.family not in (Family.MEDICAL, Family.SUPPLEMENTARY)]
        if others:
            raise PackSetError(
                "batch.not_a_claim_pack",
                f"{_names(others)} settles no claim (family {others[0].family})",
                packs=_names(others),
            )
        public = tuple(p for p in packs if p.family is Family.MEDICAL)
        extras = tuple(p for p in packs if p.family is Family.SUPPLEMENTARY)
        if not public:
            raise PackSetError(
                "batch.no_public_pack",
                "no public pack given: a supplementary pack settles only on top of one",
                packs=_names(packs),
            )
        # Two public packs on one day, or the same product twice (it would pay twice from one
        # set of accumulators), cannot settle together.
        checks = (("public", public, False), ("supplementary", extras, True))
        for kind, group, same_product_only in checks:
            for a, b in combinations(group, 2):
                if (a.id == b.id or not same_product_only) and _overlap(a, b):
                    day = max(a.rules.effective.start, b.rules.effective.start).isoformat()
                    raise PackSetError(
                        f"batch.{kind}_packs_overlap",
                        f"{kind} packs {a.ref} and {b.ref} are both in force on {day}",
                        first=str(a.ref),
                        second=str(b.ref),
                    )
        return cls(public, extras)

    def for_day(self, day: dt.date) -> list[PolicyPack] | None:
        public = next((p for p in self.public if p.covers(day)), None)
        if public is None:
            return None
        return [public, *(p for p in self.supplementary if p.covers(day))]


def _names(packs: Iterable[PolicyPack]) -> str:
    return ", ".join(str(p.ref) for p in packs)


def _engine_message(err: ClaimInvalid | ClaimRejected) -> str:
    text = str(err)
    # ``ClaimInvalid`` prefixes its message with the field; the refusal names the field apart.
    return text.removeprefix(f"{err.field}: ")


def settle_claims(
    rows: Iterable[tuple[int, Claim]],
    packs: Sequence[PolicyPack],
    accumulators: Mapping[PersonYear, YearToDate] | None = None,
    *,
    refused: Iterable[Refusal] = (),
    on_settled: Callable[[Adjudication], None] | None = None,
    keep_lines: bool = True,
) -> BatchResult:
    """Settle ``rows`` of ``(line_number, claim)`` with ``packs``.

    ``accumulators`` are the person-years' counters before these claims (empty where missing).
    ``refused`` are rows already refused while reading (a bad amount …): they are merged among
    the rows by line number, and their claim ids count when looking for duplicates. The
    outcomes come back in that order; the first row of a claim id is settled, later ones are
    refused. Raises ``PackSetError`` when the packs cannot be used together; every other
    problem is a refusal.

    ``on_settled`` sees each result as it is settled (person-year by person-year, each in
    ``settlement_order``), with its explanation lines; with ``keep_lines=False`` the results
    kept for the end drop their lines. Everything is held in memory: a claims file goes through
    ``jingban.engine.medical.stream`` instead.
    """
    plan = _Packs.of(packs)
    carried = _checked(accumulators)

    order = _merge(list(rows), sorted(refused, key=lambda r: r.line))
    outcomes: dict[int, Outcome] = {}
    first_line: dict[str, int] = {}
    pending: list[tuple[int, Claim]] = []
    seen: set[int] = set()
    for line, item in order:
        if line in seen:
            raise ValueError(f"line {line} is given twice")
        seen.add(line)
        claim_id = item.claim_id
        first = first_line.setdefault(claim_id, line) if claim_id else line
        if isinstance(item, Refusal):
            outcomes[line] = Outcome(line, claim_id, refusal=item)
        elif first != line:
            outcomes[line] = _duplicate(line, item, first)
        else:
            pending.append((line, item))

    # Each person-year in the order its claims happened; people and years do not affect each
    # other.
    pending.sort(key=lambda row: settlement_order(*row))
    with _cyclic_gc_paused():
        for line, claim in pending:
            key = (claim.person_id, claim.year)
            outcome, after = _settle_one(line, claim, plan, carried.get(key))
            if after is not None:
                carried[key] = after
            if outcome.adjudication is not None:
                if on_settled is not None:
                    on_settled(outcome.adjudication)
                if not keep_lines:
                    outcome = replace(outcome, adjudication=replace(outcome.adjudication, lines=()))
            outcomes[line] = outcome
    return BatchResult(
        outcomes=tuple(outcomes[line] for line, _ in order),
        accumulators=carried,
    )


@dataclass(frozen=True, slots=True)
class SettledYear:
    """One person-year once settled: the outcomes of its rows in settlement order, and its
    accumulators after them. A person-year carried in and without claims here has no outcomes
    and its accumulators unchanged."""

    key: PersonYear
    outcomes: tuple[Outcome, ...]
    accumulators: YearToDate


def check_packs(packs: Sequence[PolicyPack]) -> None:
    """Raise ``PackSetError`` when ``packs`` cannot settle together (before any row is read)."""
    _Packs.of(packs)


def settle_person_years(
    rows: Iterable[tuple[int, Claim]],
    packs: Sequence[PolicyPack],
    accumulators: Mapping[PersonYear, YearToDate] | None = None,
    *,
    duplicates: Mapping[int, int] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Iterator[SettledYear]:
    """Settle ``rows`` of ``(line, claim)`` given in ``settlement_order``, and give each
    person-year as soon as its last claim is settled, so only one person-year is ever held.

    The person-years of ``accumulators`` come back too, in the same order (person id, year),
    whether or not they have claims here. ``duplicates`` maps the line of a row whose claim id
    was given before to that first line: such a row is refused, not settled. With
    ``on_outcome``, each outcome goes to it as soon as it is settled and is not kept (the
    person-years come back without outcomes): then not even a person-year of many claims is
    held. Raises ``PackSetError`` at once when the packs cannot be used together, and
    ``ValueError`` while going when the rows are not in settlement order.
    """
    plan = _Packs.of(packs)
    carried = sorted(_checked(accumulators).items())
    return _settle_sorted(rows, plan, carried, duplicates or {}, on_outcome)


def _settle_sorted(
    rows: Iterable[tuple[int, Claim]],
    plan: _Packs,
    carried: list[tuple[PersonYear, YearToDate]],
    duplicates: Mapping[int, int],
    on_outcome: Callable[[Outcome], None] | None,
) -> Iterator[SettledYear]:
    keep = _keeper(on_outcome)
    waiting = iter(carried)
    next_carried = next(waiting, None)
    current: PersonYear | None = None
    ytd: YearToDate | None = None
    outcomes: list[Outcome] = []
    previous: SettlementKey | None = None
    for line, claim in rows:
        order = settlement_order(line, claim)
        if previous is not None and order <= previous:
            raise ValueError(f"line {line} is not in settlement order")
        previous = order
        key = (claim.person_id, claim.year)
        if key != current:
            if current is not None:
                assert ytd is not None
                yield SettledYear(current, tuple(outcomes), ytd)
            # The person-years carried in that come before this one have no claims here.
            while next_carried is not None and next_carried[0] < key:
                yield SettledYear(next_carried[0], (), next_carried[1])
                next_carried = next(waiting, None)
            if next_carried is not None and next_carried[0] == key:
                ytd = next_carried[1]
                next_carried = next(waiting, None)
            else:
                ytd = YearToDate(*key)
            current, outcomes = key, []
        first = duplicates.get(line)
        if first is not None:
            keep(outcomes, _duplicate(line, claim, first))
            continue
        outcome, after = _settle_one(line, claim, plan, ytd)
        keep(outcomes, outcome)
        if after is not None:
            ytd = after
    if current is not None:
        assert ytd is not None
        yield SettledYear(current, tuple(outcomes), ytd)
    while next_carried is not None:
        yield SettledYear(next_carried[0], (), next_carried[1])
        next_carried = next(waiting, None)


def _keeper(
    on_outcome: Callable[[Outcome], None] | None,
) -> Callable[[list[Outcome], Outcome], None]:
    """How an outcome is kept: in its person-year's list, or handed on at once."""
    if on_outcome is None:
        return list.append
    return lambda _kept, outcome: on_outcome(outcome)


def _checked(
    accumulators: Mapping[PersonYear, YearToDate] | None,
) -> dict[PersonYear, YearToDate]:
    carried: dict[PersonYear, YearToDate] = {}
    for key, ytd in (accumulators or {}).items():
        if key != (ytd.person_id, ytd.year):
            raise ValueError(f"accumulators of {ytd.person_id}/{ytd.year} filed under {key}")
        carried[key] = ytd
    return carried


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Results are kept until the batch ends, and the cyclic collector would walk all of them
    again and again (it took 60% of the time of 100,000 claims). They hold no reference cycles,
    so reference counting frees them without it; it resumes when the batch is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _merge(
    rows: list[tuple[int, Claim]], refused: list[Refusal]
) -> list[tuple[int, Claim | Refusal]]:
    """The rows in the order given, each refusal placed before the first row of a later line."""
    merged: list[tuple[int, Claim | Refusal]] = []
    waiting = iter(refused)
    pending = next(waiting, None)
    for line, claim in rows:
        while pending is not None and pending.line < line:
            merged.append((pending.line, pending))
            pending = next(waiting, None)
        merged.append((line, claim))
    while pending is not None:
        merged.append((pending.line, pending))
        pending = next(waiting, None)
    return merged


def check_stay_dates(claim: Claim) -> None:
    """A stay (inpatient or maternity) is settled at discharge and needs its discharge date;
    an outpatient visit has none. A settlement in the middle of a stay (中途结算) is not
    accepted by a claims file: the stay is settled once, when it ends."""
    if claim.visit_type in STAYS:
        if claim.discharge_date is None:
            raise ClaimInvalid(
                "claim.discharge_date_required",
                "discharge_date",
                f"is required for a {claim.visit_type.value} stay (a stay is settled once, "
                "at discharge)",
                visit_type=claim.visit_type.value,
            )
    elif claim.discharge_date is not None:
        raise ClaimInvalid(
            "claim.discharge_date_not_allowed",
            "discharge_date",
            f"is only for a stay: leave it empty for a {claim.visit_type.value} visit",
            visit_type=claim.visit_type.value,
        )


def _settle_one(
    line: int, claim: Claim, plan: _Packs, before: YearToDate | None
) -> tuple[Outcome, YearToDate | None]:
    """The outcome of one claim, and the person-year's accumulators after it (``None`` when it
    was refused and they are unchanged)."""
    try:
        # A claim that contradicts itself is refused for that before any pack is looked for.
        claim.check()
        check_stay_dates(claim)
    except ClaimInvalid as err:
        return _refused(line, claim, err.code, err.field, _engine_message(err), **err.params), None
    packs = plan.for_day(claim.settlement_date)
    if packs is None:
        day = claim.settlement_date.isoformat()
        return _refused(
            line,
            claim,
            "claim.no_pack_in_force",
            "discharge_date" if claim.discharge_date else "service_date",
            f"no public pack given is in force on {day} ({_names(plan.public)})",
            day=day,
            packs=_names(plan.public),
        ), None
    try:
        result = adjudicate(claim, packs, before or YearToDate(claim.person_id, claim.year))
    except (ClaimInvalid, ClaimRejected) as err:
        return _refused(line, claim, err.code, err.field, _engine_message(err), **err.params), None
    return Outcome(line, claim.claim_id, adjudication=result), result.after


def _refused(
    line: int, claim: Claim, code: str, field: str, message: str, **params: object
) -> Outcome:
    refusal = Refusal(line, claim.claim_id, field, code, message, params)
    return Outcome(line, claim.claim_id, refusal=refusal)


def _duplicate(line: int, claim: Claim, first: int) -> Outcome:
    return _refused(
        line,
        claim,
        "claim.duplicate_id",
        "claim_id",
        f"{claim.claim_id!r} was already given on line {first}",
        first_line=first,
    )

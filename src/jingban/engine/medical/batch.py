"""Settling many claims at once (批量结算), as ``jingban adjudicate`` does with a claims file.

Claims are settled per person and year in the order they happened — by settlement date, then
claim id, then line — with the person-year accumulators carried from one claim to the next and
returned at the end, so a year split over several files gives the same figures as one file when
the accumulators of the first are passed to the second. A claim that cannot be settled becomes a
refusal (line, claim id, field, code, English message) and never stops the others.

Several public packs may be given for different periods: each claim is settled with the one in
force on its settlement date. Supplementary packs apply to the claims whose date they cover.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from dataclasses import field as default
from itertools import combinations

from jingban.engine.errors import CodedError
from jingban.engine.medical.cascade import Adjudication, ClaimRejected, adjudicate
from jingban.engine.medical.claim import Claim, ClaimInvalid, YearToDate
from jingban.engine.policy.loader import PolicyPack
from jingban.engine.policy.schema import PackKind

# The money columns of a result, in the order of the cascade.
AMOUNTS = (
    "basic_fund",
    "critical_illness",
    "medical_assistance",
    "supplementary",
    "out_of_pocket",
)

PersonYear = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why one row was not settled: where, which field, a stable code, an English message and
    the parameters a translated message needs."""

    line: int
    claim_id: str
    field: str
    code: str
    message: str
    params: Mapping[str, object] = default(default_factory=dict)


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
        public = tuple(p for p in packs if p.kind is PackKind.PUBLIC)
        extras = tuple(p for p in packs if p.kind is PackKind.SUPPLEMENTARY)
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

    ``on_settled`` sees each result as it is settled (in date order, so each person's year in
    order), with its
    explanation lines; with ``keep_lines=False`` the results kept for the end drop their lines,
    so a large file's explanation can be written as it goes instead of held in memory.
    """
    plan = _Packs.of(packs)
    carried: dict[PersonYear, YearToDate] = {}
    for key, ytd in (accumulators or {}).items():
        if key != (ytd.person_id, ytd.year):
            raise ValueError(f"accumulators of {ytd.person_id}/{ytd.year} filed under {key}")
        carried[key] = ytd

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
            outcomes[line] = _refused(
                line,
                item,
                "claim.duplicate_id",
                "claim_id",
                f"{claim_id!r} was already given on line {first}",
                first_line=first,
            )
        else:
            pending.append((line, item))

    # Each person-year in the order its claims happened; people do not affect each other.
    pending.sort(key=lambda row: (row[1].settlement_date, row[1].claim_id, row[0]))
    with _cyclic_gc_paused():
        for line, claim in pending:
            outcome = _settle_one(line, claim, plan, carried)
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


def _settle_one(
    line: int, claim: Claim, plan: _Packs, carried: dict[PersonYear, YearToDate]
) -> Outcome:
    try:
        # A claim that contradicts itself is refused for that before any pack is looked for.
        claim.check()
    except ClaimInvalid as err:
        return _refused(line, claim, err.code, err.field, _engine_message(err), **err.params)
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
        )
    key = (claim.person_id, claim.year)
    try:
        result = adjudicate(claim, packs, carried.get(key) or YearToDate(*key))
    except (ClaimInvalid, ClaimRejected) as err:
        return _refused(line, claim, err.code, err.field, _engine_message(err), **err.params)
    carried[key] = result.after
    return Outcome(line, claim.claim_id, adjudication=result)


def _refused(
    line: int, claim: Claim, code: str, field: str, message: str, **params: object
) -> Outcome:
    refusal = Refusal(line, claim.claim_id, field, code, message, params)
    return Outcome(line, claim.claim_id, refusal=refusal)

"""A claims file settled in bounded memory (``jingban.engine.medical.stream``): grouped on disk,
settled and written person-year by person-year. The figures must not depend on the order of the
file nor on how it was cut into runs, and the settlement order within a person-year is the one
the docs state (discharge, admission, claim id in natural order).

Plain Python: no database.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingban.engine.codes import VisitType
from jingban.engine.csvfiles import FileProblem
from jingban.engine.external_sort import SortedRuns
from jingban.engine.medical import Claim, YearToDate, settle_claims
from jingban.engine.medical import batch as batch_module
from jingban.engine.medical.batch import (
    PackSetError,
    check_stay_dates,
    natural_id,
    settle_person_years,
)
from jingban.engine.medical.claim import ClaimInvalid
from jingban.engine.medical.files import (
    RESULT_COLUMNS,
    parse_accumulators,
    write_accumulators,
)
from jingban.engine.medical.stream import FileSummary, Outputs, settle_file
from jingban.engine.money import fen_to_yuan_text
from tests.engine.test_batch import (
    HEADER,
    HUIMINBAO,
    PACKS,
    PUBLIC,
    claim_lists,
    inpatient,
    numbered,
    outpatient,
)


def claims_csv(claims: Sequence[Claim]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for c in claims:
        writer.writerow(
            (
                c.claim_id,
                c.person_id,
                c.visit_type.value,
                c.condition.value if c.condition else "",
                c.hospital_level,
                c.service_date.isoformat(),
                c.discharge_date.isoformat() if c.discharge_date else "",
                fen_to_yuan_text(c.total),
                fen_to_yuan_text(c.out_of_scope),
                fen_to_yuan_text(c.class_b),
                c.person_category,
                c.cross_region.value,
            )
        )
    return text.getvalue()


@dataclasses.dataclass
class Written:
    summary: FileSummary
    results: list[dict[str, str]]
    lines: list[dict[str, str]]
    errors: list[dict[str, str]]
    accumulators: str


def settle_text(
    folder: Path,
    text: str,
    *,
    run_size: int = 1_000,
    carried: dict[tuple[str, int], YearToDate] | None = None,
    packs: Sequence = PACKS,
    on_person_year=None,
    results: io.StringIO | None = None,
) -> Written:
    path = folder / "claims.csv"
    path.write_text(text, encoding="utf-8")
    lines, errors, accumulators = (io.StringIO() for _ in range(3))
    if results is None:
        results = io.StringIO()
        outputs = Outputs(results, lines, errors, accumulators)
    else:  # only the results, as the streaming test reads them while they are written
        outputs = Outputs(results)
    summary = settle_file(
        path,
        packs,
        carried,
        outputs,
        workdir=folder,
        run_size=run_size,
        on_person_year=on_person_year,
    )
    return Written(
        summary,
        list(csv.DictReader(io.StringIO(results.getvalue()))),
        list(csv.DictReader(io.StringIO(lines.getvalue()))),
        list(csv.DictReader(io.StringIO(errors.getvalue()))),
        accumulators.getvalue(),
    )


def per_claim(written: Written, line_to_id: dict[str, str] | None = None) -> dict[str, tuple]:
    """Each row's figures to the fen (or its reason), by claim id (or by what the line held)."""
    figures = {}
    for row in written.results:
        key = line_to_id[row["line"]] if line_to_id else row["claim_id"]
        figures[key] = tuple(row[name] for name in RESULT_COLUMNS if name != "line")
    return figures


def many_claims(count: int, persons: int, seed: int) -> list[Claim]:
    rng = random.Random(seed)
    claims = []
    for index in range(count):
        person = f"p{rng.randrange(persons)}"
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(360))
        if rng.random() < 0.3:
            claims.append(
                inpatient(
                    f"C{index}",
                    person,
                    day + dt.timedelta(days=rng.randrange(5)),
                    rng.randrange(100_000, 9_000_000),
                    admitted=day,
                    category=rng.choice(("general", "dibao")),
                )
            )
        else:
            claims.append(outpatient(f"C{index}", person, day, rng.randrange(1_000, 90_000)))
    return claims


# Order-independence and runs --------------------------------------------------------------------


def test_a_shuffled_file_settles_to_the_fen_as_the_grouped_one(tmp_path: Path) -> None:
    claims = many_claims(400, 25, seed=7)
    grouped = sorted(claims, key=lambda c: batch_module.settlement_order(0, c))
    shuffled = list(claims)
    random.Random(3).shuffle(shuffled)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    # The grouped file fits one run; the shuffled one is cut into runs of 37 claims.
    one = settle_text(tmp_path / "a", claims_csv(grouped), run_size=10_000)
    other = settle_text(tmp_path / "b", claims_csv(shuffled), run_size=37)

    assert one.summary.runs == 0
    assert other.summary.runs >= 400 // 37
    assert per_claim(one) == per_claim(other)
    assert len(per_claim(one)) == 400
    assert one.accumulators == other.accumulators
    assert one.summary.totals == other.summary.totals
    assert one.summary.settled == 400 and one.summary.refused == 0
    # And both equal the in-memory batch, claim by claim, to the fen.
    reference = settle_claims(numbered(claims), PACKS)
    for outcome in reference.outcomes:
        adjudication = outcome.adjudication
        assert adjudication is not None
        row = next(r for r in other.results if r["claim_id"] == outcome.claim_id)
        assert row["basic_fund"] == fen_to_yuan_text(adjudication.basic_fund)
        assert row["out_of_pocket"] == fen_to_yuan_text(adjudication.out_of_pocket)
    expected = io.StringIO()
    write_accumulators(expected, reference.accumulators)
    assert other.accumulators == expected.getvalue()
    # The runs were removed with their folder.
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["claims.csv"]


@settings(max_examples=40, deadline=None)
@given(claims=claim_lists(), data=st.data())
def test_the_file_path_gives_the_in_memory_figures_whatever_the_order_and_runs(
    claims: list[Claim], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(claims))
    run_size = data.draw(st.integers(1, 5))

    reference = settle_claims(numbered(claims), PACKS)
    with tempfile.TemporaryDirectory() as folder:
        written = settle_text(Path(folder), claims_csv(shuffled), run_size=run_size)

    expected = {}
    for outcome in reference.outcomes:
        if outcome.adjudication is not None:
            a = outcome.adjudication
            amounts = (a.basic_fund, a.critical_illness, a.medical_assistance, a.supplementary)
            expected[outcome.claim_id] = ("ok", *map(fen_to_yuan_text, amounts))
        else:
            assert outcome.refusal is not None
            expected[outcome.claim_id] = ("rejected", outcome.refusal.code)
    got = {}
    codes = {e["claim_id"]: e["code"] for e in written.errors}
    for row in written.results:
        if row["status"] == "ok":
            names = ("basic_fund", "critical_illness", "medical_assistance", "supplementary")
            got[row["claim_id"]] = ("ok", *(row[name] for name in names))
        else:
            got[row["claim_id"]] = ("rejected", codes[row["claim_id"]])
    assert got == expected
    accumulators = io.StringIO()
    write_accumulators(accumulators, reference.accumulators)
    assert written.accumulators == accumulators.getvalue()


def test_sorted_runs_merge_in_order_and_stay_in_memory_when_they_fit(tmp_path: Path) -> None:
    items = [(random.Random(1).random(), n) for n in range(2_500)]
    spilled: SortedRuns[tuple[float, int]] = SortedRuns(tmp_path, "x", run_size=1_000)
    kept: SortedRuns[tuple[float, int]] = SortedRuns(tmp_path, "y", run_size=10_000)
    for item in items:
        spilled.add(item)
        kept.add(item)

    assert list(spilled.merged()) == sorted(items)
    assert list(kept.merged()) == sorted(items)
    assert (spilled.runs, kept.runs) == (3, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "x-00000.run",
        "x-00001.run",
        "x-00002.run",
    ]


# Streaming --------------------------------------------------------------------------------------


def test_each_person_year_is_written_before_the_next_is_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = many_claims(120, 6, seed=11)
    settled_so_far: list[str] = []
    real = batch_module.adjudicate

    def counting(claim: Claim, *args, **kwargs):
        settled_so_far.append(claim.claim_id)
        return real(claim, *args, **kwargs)

    monkeypatch.setattr(batch_module, "adjudicate", counting)
    results = io.StringIO()
    seen: list[tuple[tuple[str, int], int, int]] = []

    def at_person_year(key: tuple[str, int]) -> None:
        written_rows = results.getvalue().count("\n") - 1  # less the header
        seen.append((key, written_rows, len(settled_so_far)))

    settle_text(
        tmp_path, claims_csv(claims), run_size=50, on_person_year=at_person_year, results=results
    )

    per_year: dict[tuple[str, int], int] = {}
    for claim in claims:
        key = (claim.person_id, claim.year)
        per_year[key] = per_year.get(key, 0) + 1
    keys = sorted(per_year)
    assert [key for key, _, _ in seen] == keys
    running = 0
    for key, written_rows, settled in seen:
        running += per_year[key]
        # When a person-year is done, its rows are in the results and nothing later is
        # settled yet: not one claim more than the rows written.
        assert written_rows == running
        assert settled == running
    assert seen[0][2] < len(claims)  # the first was written long before the last was settled


def test_person_years_carried_in_come_out_in_order_with_or_without_claims() -> None:
    carried = {
        ("p0", 2025): YearToDate("p0", 2025, {"ci:qualifying": 1}),
        ("p2", 2025): YearToDate("p2", 2025, {"cap:outpatient_general": 10_000}),
        ("p9", 2024): YearToDate("p9", 2024, {"ci:qualifying": 2}),
    }
    rows = sorted(
        numbered(
            [
                outpatient("b", "p2", dt.date(2025, 6, 1), 40_000),
                outpatient("a", "p1", dt.date(2025, 6, 1), 40_000),
            ]
        ),
        key=lambda row: batch_module.settlement_order(*row),
    )

    years = list(settle_person_years(rows, [PUBLIC], carried))

    assert [(y.key, len(y.outcomes)) for y in years] == [
        (("p0", 2025), 0),
        (("p1", 2025), 1),
        (("p2", 2025), 1),
        (("p9", 2024), 0),
    ]
    assert years[0].accumulators == carried[("p0", 2025)]
    assert years[2].accumulators.get("cap:outpatient_general") == 15_000


def test_outcomes_can_be_handed_on_as_settled_instead_of_kept_per_person_year() -> None:
    claims = many_claims(40, 1, seed=4)  # one person-year of many claims
    rows = sorted(numbered(claims), key=lambda row: batch_module.settlement_order(*row))
    handed: list[str] = []

    years = list(
        settle_person_years(rows, PACKS, on_outcome=lambda outcome: handed.append(outcome.claim_id))
    )
    kept = list(settle_person_years(rows, PACKS))

    assert [(y.key, y.outcomes) for y in years] == [(("p0", 2025), ())]
    assert handed == [o.claim_id for o in kept[0].outcomes]
    assert len(handed) == 40
    assert years[0].accumulators == kept[0].accumulators


def test_rows_out_of_settlement_order_are_a_programming_error() -> None:
    rows = numbered(
        [
            outpatient("b", "p2", dt.date(2025, 6, 1), 40_000),
            outpatient("a", "p1", dt.date(2025, 6, 1), 40_000),
        ]
    )
    with pytest.raises(ValueError, match="line 3 is not in settlement order"):
        list(settle_person_years(rows, [PUBLIC]))


def test_packs_that_cannot_settle_together_are_refused_before_the_file_is_read(
    tmp_path: Path,
) -> None:
    with pytest.raises(PackSetError):
        settle_file(tmp_path / "absent.csv", [HUIMINBAO], None, Outputs(io.StringIO()))


def test_a_file_problem_found_late_is_raised_and_the_runs_are_removed(tmp_path: Path) -> None:
    claims = many_claims(30, 3, seed=5)
    path = tmp_path / "claims.csv"
    path.write_bytes(claims_csv(claims).encode() + "c99,张三\n".encode("gb18030"))

    with pytest.raises(FileProblem) as raised:
        settle_file(path, PACKS, None, Outputs(io.StringIO()), workdir=tmp_path, run_size=7)

    assert raised.value.code == "file.not_utf8"
    assert raised.value.params["line"] == 32
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv"]


# Order within a person-year ---------------------------------------------------------------------


def test_claim_ids_are_ordered_naturally() -> None:
    ids = ["C10", "C9", "C100", "B2", "C1", "C09", "c1", "C9a", "7"]
    assert sorted(ids, key=lambda i: (natural_id(i), i)) == [
        "7",
        "B2",
        "C1",
        "C09",
        "C9",
        "C9a",
        "C10",
        "C100",
        "c1",
    ]


def test_claims_of_one_day_settle_by_claim_id_in_natural_order(tmp_path: Path) -> None:
    # Outpatient pooling of 400 yuan twice on one day: the first pays 150 (the cap), the second
    # finds the cap used up. C9 comes before C10, as a person reads them.
    claims = [
        outpatient("C10", "p1", dt.date(2025, 4, 1), 40_000),
        outpatient("C9", "p1", dt.date(2025, 4, 1), 40_000),
    ]

    in_memory = settle_claims(numbered(claims), [PUBLIC])
    from_file = settle_text(tmp_path, claims_csv(claims), packs=[PUBLIC])

    fund = {o.claim_id: o.adjudication.basic_fund for o in in_memory.outcomes if o.adjudication}
    assert fund == {"C9": 15_000, "C10": 0}
    assert [(r["line"], r["claim_id"], r["basic_fund"]) for r in from_file.results] == [
        ("3", "C9", "150.00"),
        ("2", "C10", "0.00"),
    ]


def test_stays_settle_by_discharge_then_admission(tmp_path: Path) -> None:
    # The first admission of the year pays the level-3 deductible 800, later ones 400.
    claims = [
        # Same discharge day: the earlier admission ("b") is the first stay, whatever the ids.
        inpatient("a", "p1", dt.date(2025, 5, 20), 1_000_000, admitted=dt.date(2025, 5, 10)),
        inpatient("b", "p1", dt.date(2025, 5, 20), 1_000_000, admitted=dt.date(2025, 5, 1)),
        # Discharged first though admitted last: it is settled first of all.
        inpatient("c", "p1", dt.date(2025, 5, 15), 1_000_000, admitted=dt.date(2025, 5, 12)),
    ]

    result = settle_claims(numbered(claims), [PUBLIC])
    from_file = settle_text(tmp_path, claims_csv(claims), packs=[PUBLIC])

    fund = {o.claim_id: o.adjudication.basic_fund for o in result.outcomes if o.adjudication}
    first, later = (1_000_000 - 80_000) * 65 // 100, (1_000_000 - 40_000) * 65 // 100
    assert fund == {"c": first, "b": later, "a": later}
    assert [r["claim_id"] for r in from_file.results] == ["c", "b", "a"]
    assert [r["basic_fund"] for r in from_file.results] == [
        fen_to_yuan_text(first),
        fen_to_yuan_text(later),
        fen_to_yuan_text(later),
    ]


# Stays and discharge dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visit", "discharge", "code"),
    [
        (VisitType.OUTPATIENT_GENERAL, dt.date(2025, 3, 2), "claim.discharge_date_not_allowed"),
        (VisitType.ACCIDENT_OUTPATIENT, dt.date(2025, 3, 1), "claim.discharge_date_not_allowed"),
        (VisitType.INPATIENT, None, "claim.discharge_date_required"),
        (VisitType.MATERNITY_NATURAL, None, "claim.discharge_date_required"),
        (VisitType.MATERNITY_CESAREAN, None, "claim.discharge_date_required"),
        (VisitType.INPATIENT, dt.date(2025, 3, 9), None),
        (VisitType.MATERNITY_CESAREAN, dt.date(2025, 3, 9), None),
        (VisitType.OUTPATIENT_CHRONIC, None, None),
    ],
)
def test_a_stay_needs_a_discharge_date_and_an_outpatient_visit_has_none(
    visit: VisitType, discharge: dt.date | None, code: str | None
) -> None:
    claim = Claim("c1", "p1", visit, 3, dt.date(2025, 3, 1), 100_000, discharge_date=discharge)
    other = Claim("c2", "p1", VisitType.OUTPATIENT_CHRONIC, 2, dt.date(2025, 3, 1), 40_000)

    if code is None:
        check_stay_dates(claim)
        return
    with pytest.raises(ClaimInvalid) as raised:
        check_stay_dates(claim)
    assert (raised.value.code, raised.value.field) == (code, "discharge_date")
    result = settle_claims(numbered([claim, other]), [PUBLIC])
    refusal = result.outcomes[0].refusal
    assert refusal is not None
    assert (refusal.line, refusal.field, refusal.code) == (2, "discharge_date", code)
    assert refusal.params == {"visit_type": visit.value}
    # The other row is settled all the same, and the refused one left no trace.
    assert result.outcomes[1].adjudication is not None
    assert result.accumulators[("p1", 2025)].get(f"visits:{visit.value}") == 0


def test_a_carried_year_round_trips_through_the_file_path(tmp_path: Path) -> None:
    claims = many_claims(60, 4, seed=2)
    ordered = sorted(claims, key=lambda c: batch_module.settlement_order(0, c)[2:])
    cut = 25
    for name in ("whole", "first", "second"):
        (tmp_path / name).mkdir()

    whole = settle_text(tmp_path / "whole", claims_csv(claims), run_size=9)
    first = settle_text(tmp_path / "first", claims_csv(ordered[:cut]), run_size=9)
    carried = parse_accumulators(io.StringIO(first.accumulators))
    second = settle_text(
        tmp_path / "second", claims_csv(ordered[cut:]), run_size=9, carried=carried
    )

    assert {**per_claim(first), **per_claim(second)} == per_claim(whole)
    assert second.accumulators == whole.accumulators

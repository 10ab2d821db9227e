"""Batch settlement (``settle_claims``) and the claim files: order per person-year, carried
accumulators, refusals, duplicate ids, the pack in force by date, supplementary stacking, and
the properties that make a file's result independent of how its rows are ordered or split.

Plain Python: no database.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jingban.engine.codes import PERSON_CATEGORIES, Condition, CrossRegion, VisitType
from jingban.engine.csvfiles import AtomicFiles, FileProblem
from jingban.engine.medical import (
    Adjudication,
    BatchResult,
    Claim,
    PackSetError,
    Refusal,
    YearToDate,
    adjudicate,
    settle_claims,
)
from jingban.engine.medical.batch import STAYS, settlement_order
from jingban.engine.medical.files import (
    parse_accumulators,
    parse_claims,
    read_claims,
    write_accumulators,
    write_results,
)
from jingban.engine.policy import PolicyPack
from tests.engine.packs import DELETE, shipped, variant

PUBLIC = shipped("sample-resident-2025")
HUIMINBAO = shipped("jiangsu-yihuibao-2021")
PACKS = [PUBLIC, HUIMINBAO]


def inpatient(
    claim_id: str,
    person_id: str,
    discharge: dt.date,
    total: int,
    *,
    level: int = 3,
    out_of_scope: int = 0,
    class_b: int = 0,
    category: str = "general",
    admitted: dt.date | None = None,
) -> Claim:
    return Claim(
        claim_id,
        person_id,
        VisitType.INPATIENT,
        level,
        admitted or discharge - dt.timedelta(days=5),
        total,
        out_of_scope,
        class_b,
        discharge,
        person_category=category,
    )


def outpatient(claim_id: str, person_id: str, day: dt.date, total: int) -> Claim:
    return Claim(claim_id, person_id, VisitType.OUTPATIENT_GENERAL, 1, day, total)


def numbered(claims: Sequence[Claim]) -> list[tuple[int, Claim]]:
    """Rows as a file gives them: the header is line 1."""
    return [(line, claim) for line, claim in enumerate(claims, start=2)]


def by_id(result: BatchResult) -> dict[str, object]:
    """What each claim came to: its figures and the accumulators after it, or its refusal."""
    summary: dict[str, object] = {}
    for outcome in result.outcomes:
        if outcome.adjudication is not None:
            a = outcome.adjudication
            summary[outcome.claim_id] = (
                a.basic_fund,
                a.critical_illness,
                a.medical_assistance,
                a.supplementary,
                a.out_of_pocket,
                tuple(a.lines),
                dict(a.after.counters),
                a.packs,
            )
        else:
            assert outcome.refusal is not None
            summary[outcome.claim_id] = (outcome.refusal.code, outcome.refusal.field)
    return summary


def counters(result: BatchResult) -> dict[tuple[str, int], dict[str, int]]:
    return {key: dict(ytd.counters) for key, ytd in result.accumulators.items() if ytd.counters}


# Order and accumulators -------------------------------------------------------------------------


def test_a_persons_claims_settle_in_discharge_order_whatever_the_file_order() -> None:
    later = inpatient("b-later", "p1", dt.date(2025, 5, 10), 1_000_000)
    earlier = inpatient("a-earlier", "p1", dt.date(2025, 2, 10), 1_000_000)

    result = settle_claims(numbered([later, earlier]), [PUBLIC])

    assert [o.claim_id for o in result.outcomes] == ["b-later", "a-earlier"]
    first, second = result.outcomes[1].adjudication, result.outcomes[0].adjudication
    assert first is not None and second is not None
    # The first admission of the year pays the level-3 deductible 800, the second 400.
    assert first.basic_fund == (1_000_000 - 80_000) * 65 // 100 == 598_000
    assert second.basic_fund == (1_000_000 - 40_000) * 65 // 100 == 624_000
    assert second.before == first.after
    assert result.accumulators[("p1", 2025)] == second.after
    assert result.accumulators[("p1", 2025)].get("visits:inpatient") == 2


def test_claims_of_one_day_settle_by_claim_id() -> None:
    rows = numbered(
        [
            outpatient("b", "p2", dt.date(2025, 4, 1), 40_000),
            outpatient("a", "p2", dt.date(2025, 4, 1), 40_000),
        ]
    )

    result = settle_claims(rows, [PUBLIC])

    figures = {o.claim_id: o.adjudication.basic_fund for o in result.outcomes if o.adjudication}
    # "a" comes first: (400 − 50) × 50% = 175, capped at 150; "b" finds the cap used up.
    assert figures == {"a": 15_000, "b": 0}


def test_accumulators_passed_in_are_carried_and_returned_with_the_untouched_ones() -> None:
    carried = {
        ("p2", 2025): YearToDate(
            "p2", 2025, {"cap:outpatient_general": 10_000, "deductible:outpatient_general": 5_000}
        ),
        ("p9", 2025): YearToDate("p9", 2025, {"ci:qualifying": 123}),
    }

    result = settle_claims(
        numbered([outpatient("o1", "p2", dt.date(2025, 6, 1), 40_000)]), [PUBLIC], carried
    )

    settled = result.outcomes[0].adjudication
    assert settled is not None
    # Deductible already met: 400 × 50% = 200, of which 50 is left under the cap of 150.
    assert settled.basic_fund == 5_000
    assert settled.out_of_pocket == 35_000
    assert result.accumulators[("p2", 2025)].get("cap:outpatient_general") == 15_000
    assert result.accumulators[("p9", 2025)] == carried[("p9", 2025)]


def test_accumulators_filed_under_the_wrong_person_year_are_refused() -> None:
    with pytest.raises(ValueError, match="filed under"):
        settle_claims([], [PUBLIC], {("p1", 2025): YearToDate("p2", 2025)})


def test_a_batch_matches_the_claims_settled_one_by_one() -> None:
    claims = [
        inpatient(
            "w1",
            "p1",
            dt.date(2025, 3, 10),
            6_000_000,
            out_of_scope=500_000,
            class_b=2_000_000,
            category="dibao",
        ),
        inpatient(
            "w2", "p1", dt.date(2025, 8, 1), 30_000_000, out_of_scope=1_000_000, category="dibao"
        ),
    ]

    result = settle_claims(numbered(claims), PACKS)

    ytd = None
    for outcome, claim in zip(result.outcomes, claims, strict=True):
        expected = adjudicate(claim, PACKS, ytd)
        assert outcome.adjudication == expected
        ytd = expected.after
    assert result.totals()["total"] == 36_000_000
    assert (
        sum(
            result.totals()[k]
            for k in (
                "basic_fund",
                "critical_illness",
                "medical_assistance",
                "supplementary",
                "out_of_pocket",
            )
        )
        == 36_000_000
    )


def test_results_can_be_seen_as_settled_and_kept_without_their_lines() -> None:
    claims = [
        inpatient("b", "p1", dt.date(2025, 8, 1), 9_000_000, category="dibao"),
        outpatient("c", "p2", dt.date(2025, 4, 1), 40_000),
        inpatient("a", "p1", dt.date(2025, 3, 10), 6_000_000, out_of_scope=500_000),
    ]
    seen: list[Adjudication] = []

    lean = settle_claims(numbered(claims), PACKS, on_settled=seen.append, keep_lines=False)
    full = settle_claims(numbered(claims), PACKS)

    # Seen in settlement order (person-year by person-year, each by date), each with its lines.
    assert [a.claim.claim_id for a in seen] == ["a", "b", "c"]
    assert all(sum(line.amount for line in a.lines if line.payment) == a.total for a in seen)
    assert {a.claim.claim_id: a for a in seen} == {a.claim.claim_id: a for a in full.settled}
    # Kept without lines, figures and accumulators unchanged.
    assert all(a.lines == () for a in lean.settled)
    assert [dataclasses.replace(a, lines=()) for a in full.settled] == list(lean.settled)
    assert lean.accumulators == full.accumulators


# Refusals ---------------------------------------------------------------------------------------


def test_a_claim_that_fails_its_checks_is_refused_and_the_others_settle() -> None:
    bad = dataclasses.replace(
        outpatient("bad", "p1", dt.date(2025, 3, 1), 10_000), out_of_scope=20_000
    )
    rows = numbered(
        [
            outpatient("good-1", "p1", dt.date(2025, 3, 2), 40_000),
            bad,
            outpatient("good-2", "p2", dt.date(2025, 3, 1), 40_000),
        ]
    )

    result = settle_claims(rows, [PUBLIC])

    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert result.refusals == (
        Refusal(
            3, "bad", "out_of_scope", "claim.out_of_scope_above_total", "is more than the total", {}
        ),
    )
    assert [a.basic_fund for a in result.settled] == [15_000, 15_000]
    # The refused claim left no trace in the accumulators.
    assert result.accumulators[("p1", 2025)].get("visits:outpatient_general") == 1


def test_a_claim_that_contradicts_itself_is_refused_for_that_before_any_pack_is_sought() -> None:
    # Discharged "before" admission, on a day no pack covers: the contradiction is the reason.
    claim = inpatient("c", "p1", dt.date(2024, 12, 30), 10_000, admitted=dt.date(2025, 1, 2))

    [outcome] = settle_claims(numbered([claim]), [PUBLIC]).outcomes

    assert outcome.refusal is not None
    assert outcome.refusal.code == "claim.discharge_before_admission"


def test_a_claim_the_pack_cannot_settle_is_refused_with_the_engines_code() -> None:
    pack = variant("sample-resident-2025", {"benefits.accident_outpatient": DELETE})
    accident = Claim("acc", "p1", VisitType.ACCIDENT_OUTPATIENT, 1, dt.date(2025, 3, 1), 100_000)

    result = settle_claims(
        numbered([accident, outpatient("o", "p1", dt.date(2025, 3, 1), 40_000)]), [pack]
    )

    refusal = result.outcomes[0].refusal
    assert refusal is not None
    assert (refusal.line, refusal.field, refusal.code) == (
        2,
        "visit_type",
        "claim.visit_type_not_covered",
    )
    assert refusal.params == {"visit_type": "accident_outpatient", "pack": str(pack.ref)}
    assert result.outcomes[1].adjudication is not None


def test_a_duplicate_claim_id_is_refused_and_the_first_row_settles() -> None:
    rows = numbered(
        [
            outpatient("dup", "p1", dt.date(2025, 5, 1), 40_000),
            outpatient("other", "p1", dt.date(2025, 5, 2), 10_000),
            # Earlier in the year, so it would settle first: still the second row of "dup".
            outpatient("dup", "p1", dt.date(2025, 1, 1), 40_000),
        ]
    )

    result = settle_claims(rows, [PUBLIC])

    assert [o.ok for o in result.outcomes] == [True, True, False]
    refusal = result.outcomes[2].refusal
    assert refusal is not None
    assert (refusal.line, refusal.claim_id, refusal.field, refusal.code) == (
        4,
        "dup",
        "claim_id",
        "claim.duplicate_id",
    )
    assert refusal.params == {"first_line": 2}
    first = result.outcomes[0].adjudication
    assert first is not None and first.basic_fund == 15_000


def test_rows_refused_while_reading_take_their_place_and_count_as_ids() -> None:
    read_refusal = Refusal(
        3, "x", "total", "money.not_a_number", "'abc' is not an amount of yuan", {"value": "abc"}
    )
    rows = [
        (2, outpatient("a", "p1", dt.date(2025, 5, 1), 1_000)),
        (4, outpatient("x", "p1", dt.date(2025, 5, 1), 1_000)),
    ]

    result = settle_claims(rows, [PUBLIC], refused=[read_refusal])

    assert [(o.line, o.claim_id, o.ok) for o in result.outcomes] == [
        (2, "a", True),
        (3, "x", False),
        (4, "x", False),
    ]
    assert result.outcomes[1].refusal == read_refusal
    duplicate = result.outcomes[2].refusal
    assert duplicate is not None and duplicate.code == "claim.duplicate_id"
    assert duplicate.params == {"first_line": 3}


def test_a_line_given_twice_is_a_programming_error() -> None:
    claim = outpatient("a", "p1", dt.date(2025, 5, 1), 1_000)
    with pytest.raises(ValueError, match="line 2"):
        settle_claims([(2, claim), (2, dataclasses.replace(claim, claim_id="b"))], [PUBLIC])


# Packs by date ----------------------------------------------------------------------------------


def public_2026() -> PolicyPack:
    return variant(
        "sample-resident-2025",
        {
            "id": "sample-resident-2026",
            "effective": {"start": "2026-01-01", "end": "2026-12-31"},
            "benefits.inpatient.ratio_by_level.3": 0.70,
        },
    )


def test_each_claim_is_settled_with_the_public_pack_in_force_on_its_discharge_date() -> None:
    pack_2026 = public_2026()
    across = inpatient(
        "across", "p1", dt.date(2026, 1, 3), 1_000_000, admitted=dt.date(2025, 12, 28)
    )
    within = inpatient("within", "p1", dt.date(2025, 12, 30), 1_000_000)
    too_late = inpatient("late", "p1", dt.date(2027, 1, 2), 1_000_000)

    result = settle_claims(numbered([across, within, too_late]), [PUBLIC, pack_2026])

    a, w = result.outcomes[0].adjudication, result.outcomes[1].adjudication
    assert a is not None and w is not None
    assert a.packs == (pack_2026.ref,)
    assert a.basic_fund == (1_000_000 - 80_000) * 70 // 100  # first admission of 2026, 70%
    assert w.packs == (PUBLIC.ref,)
    assert w.basic_fund == (1_000_000 - 80_000) * 65 // 100
    assert set(result.accumulators) == {("p1", 2025), ("p1", 2026)}
    refusal = result.outcomes[2].refusal
    assert refusal is not None
    assert (refusal.field, refusal.code) == ("discharge_date", "claim.no_pack_in_force")
    assert refusal.params["day"] == "2027-01-02"


def test_a_claim_without_discharge_date_is_placed_by_its_service_date() -> None:
    result = settle_claims(
        numbered([outpatient("o", "p1", dt.date(2024, 12, 31), 1_000)]), [PUBLIC]
    )

    refusal = result.outcomes[0].refusal
    assert refusal is not None
    assert (refusal.field, refusal.code, refusal.params["day"]) == (
        "service_date",
        "claim.no_pack_in_force",
        "2024-12-31",
    )


def test_two_public_packs_in_force_on_the_same_day_are_refused_at_the_start() -> None:
    overlapping = variant(
        "sample-resident-2025",
        {"id": "sample-resident-bis", "effective": {"start": "2025-12-01", "end": "2026-06-30"}},
    )
    with pytest.raises(PackSetError) as raised:
        settle_claims([], [PUBLIC, overlapping])
    assert raised.value.code == "batch.public_packs_overlap"
    assert raised.value.params == {"first": str(PUBLIC.ref), "second": str(overlapping.ref)}
    assert "2025-12-01" in str(raised.value)


def test_a_supplementary_pack_alone_is_refused_at_the_start() -> None:
    with pytest.raises(PackSetError) as raised:
        settle_claims([], [HUIMINBAO])
    assert raised.value.code == "batch.no_public_pack"


def test_the_same_supplementary_product_twice_is_refused_at_the_start() -> None:
    again = variant("jiangsu-yihuibao-2021", {"version": 2})
    with pytest.raises(PackSetError) as raised:
        settle_claims([], [PUBLIC, HUIMINBAO, again])
    assert raised.value.code == "batch.supplementary_packs_overlap"


def test_a_supplementary_pack_stacks_on_the_claims_whose_date_it_covers() -> None:
    big = inpatient("big", "p1", dt.date(2025, 6, 1), 30_000_000, out_of_scope=5_000_000)
    ended = variant(
        "jiangsu-yihuibao-2021", {"effective": {"start": "2021-01-01", "end": "2024-12-31"}}
    )

    stacked = settle_claims(numbered([big]), [PUBLIC, HUIMINBAO]).outcomes[0].adjudication
    alone = settle_claims(numbered([big]), [PUBLIC, ended]).outcomes[0].adjudication

    assert stacked is not None and alone is not None
    assert stacked == adjudicate(big, [PUBLIC, HUIMINBAO])
    assert stacked.supplementary > 0
    assert stacked.packs == (PUBLIC.ref, HUIMINBAO.ref)
    assert alone.packs == (PUBLIC.ref,)
    assert alone.supplementary == 0
    assert alone.out_of_pocket == stacked.out_of_pocket + stacked.supplementary


# Files ------------------------------------------------------------------------------------------

HEADER = (
    "claim_id,person_id,visit_type,condition,hospital_level,service_date,discharge_date,"
    "total,out_of_scope,class_b,person_category,cross_region"
)


def test_a_claims_file_with_a_byte_order_mark_and_extra_columns_reads(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    rows = [
        HEADER + ",note",
        "c1,p1,inpatient,,3,2025-03-01,2025-03-10,60000,5000,20000,dibao,local,hello",
        "",
        "c2,p2,outpatient_two_diseases,Diabetes,1,2025-04-01,,600.5,,,,",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")

    claims = read_claims(path)

    assert claims.refused == []
    assert claims.rows == [
        (
            2,
            inpatient(
                "c1",
                "p1",
                dt.date(2025, 3, 10),
                6_000_000,
                out_of_scope=500_000,
                class_b=2_000_000,
                category="dibao",
                admitted=dt.date(2025, 3, 1),
            ),
        ),
        (
            4,
            Claim(
                "c2",
                "p2",
                VisitType.OUTPATIENT_TWO_DISEASES,
                1,
                dt.date(2025, 4, 1),
                60_050,
                condition=Condition.DIABETES,
            ),
        ),
    ]


def test_a_file_that_is_not_utf8_is_a_problem_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes((HEADER + "\nc1,张三\n").encode("gb18030"))
    with pytest.raises(FileProblem) as raised:
        read_claims(path)
    assert raised.value.code == "file.not_utf8"
    assert raised.value.params["line"] == 2


@pytest.mark.parametrize(
    ("cells", "field", "code"),
    [
        ({"claim_id": ""}, "claim_id", "claim.required"),
        ({"visit_type": "xray"}, "visit_type", "claim.bad_visit_type"),
        ({"condition": "asthma"}, "condition", "claim.bad_condition"),
        ({"hospital_level": "4"}, "hospital_level", "claim.bad_level"),
        ({"service_date": "2025/03/01"}, "service_date", "claim.bad_date"),
        ({"discharge_date": "2025-02-30"}, "discharge_date", "claim.bad_date"),
        ({"total": "-5"}, "total", "money.negative"),
        ({"total": "12,000"}, "total", "money.not_a_number"),
        ({"out_of_scope": "1.005"}, "out_of_scope", "money.too_precise"),
        ({"total": ""}, "total", "money.empty"),
        ({"person_category": "vip"}, "person_category", "claim.bad_category"),
        ({"cross_region": "abroad"}, "cross_region", "claim.bad_cross_region"),
    ],
)
def test_each_bad_cell_refuses_its_row_with_line_field_and_code(
    cells: dict[str, str], field: str, code: str
) -> None:
    good = dict(
        zip(
            HEADER.split(","),
            "c1,p1,inpatient,,3,2025-03-01,2025-03-10,60000,5000,20000,general,local".split(","),
            strict=True,
        )
    )
    bad = {**good, "claim_id": "c2", **cells}
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerows([HEADER.split(","), good.values(), bad.values()])

    claims = parse_claims(io.StringIO(text.getvalue()))

    assert [line for line, _ in claims.rows] == [2]
    [refusal] = claims.refused
    assert (refusal.line, refusal.claim_id, refusal.field, refusal.code) == (
        3,
        bad["claim_id"],
        field,
        code,
    )


def test_a_row_with_too_few_values_is_refused() -> None:
    claims = parse_claims(io.StringIO(HEADER + "\nc1,p1,inpatient\n"))
    [refusal] = claims.refused
    assert (refusal.line, refusal.claim_id, refusal.code) == (2, "c1", "row.column_count")
    assert refusal.params == {"count": 3, "expected": 12}


def test_a_missing_column_is_a_problem_of_the_file() -> None:
    with pytest.raises(FileProblem) as raised:
        parse_claims(io.StringIO(HEADER.replace(",class_b", "") + "\n"), "claims.csv")
    assert raised.value.code == "file.missing_columns"
    assert raised.value.params == {"path": "claims.csv", "columns": "class_b"}


def test_accumulators_round_trip_and_a_bad_row_is_a_problem_of_the_file() -> None:
    original = {
        ("p1", 2025): YearToDate("p1", 2025, {"cap:pooled": 3_393_000, "visits:inpatient": 1})
    }
    stream = io.StringIO()
    write_accumulators(stream, original)
    assert (
        stream.getvalue()
        == "person_id,year,counter,value\np1,2025,cap:pooled,3393000\np1,2025,visits:inpatient,1\n"
    )
    assert parse_accumulators(io.StringIO(stream.getvalue())) == original

    with pytest.raises(FileProblem) as raised:
        parse_accumulators(
            io.StringIO("person_id,year,counter,value\np1,2025,cap:pooled,12.5\n"), "acc.csv"
        )
    assert (raised.value.code, raised.value.params["line"], raised.value.params["field"]) == (
        "accumulators.bad_row",
        2,
        "value",
    )

    with pytest.raises(FileProblem) as raised:
        parse_accumulators(io.StringIO("person_id,year,counter,value\np1,2025,cap:pooled\n"))
    assert raised.value.code == "accumulators.column_count"
    assert raised.value.params["count"] == 3


def test_results_are_written_in_yuan_with_the_packs_that_made_them() -> None:
    claim = inpatient(
        "w1", "p1", dt.date(2025, 3, 10), 6_000_000, out_of_scope=500_000, class_b=2_000_000
    )
    result = settle_claims(
        numbered([claim]),
        [PUBLIC],
        refused=[Refusal(3, "bad", "total", "money.negative", "is negative")],
    )
    stream = io.StringIO()

    write_results(stream, result)

    lines = stream.getvalue().splitlines()
    assert lines[0].split(",") == [
        "line",
        "claim_id",
        "status",
        "reason",
        "basic_fund",
        "critical_illness",
        "medical_assistance",
        "supplementary",
        "out_of_pocket",
        "policy",
        "policy_hash",
    ]
    assert lines[1].startswith(
        f"2,w1,ok,,33930.00,{result.settled[0].critical_illness / 100:.2f},0.00,0.00,"
    )
    assert lines[1].endswith(f",{PUBLIC.ref},{PUBLIC.hash}")
    assert lines[2] == "3,bad,rejected,is negative,,,,,,,"


def test_atomic_files_appear_together_or_not_at_all(tmp_path) -> None:
    with AtomicFiles() as files:
        files.open(tmp_path / "a.csv").write("a")
        files.open(tmp_path / "b.csv").write("b")
    assert list(tmp_path.iterdir()) == []

    with AtomicFiles() as files:
        files.open(tmp_path / "a.csv").write("a")
        files.open(tmp_path / "b.csv").write("b")
        files.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
    assert (tmp_path / "b.csv").read_text() == "b"


# Properties -------------------------------------------------------------------------------------

PEOPLE = ("p1", "p2", "p3")


@st.composite
def claim_lists(draw: st.DrawFn) -> list[Claim]:
    count = draw(st.integers(1, 12))
    claims = []
    for index in range(count):
        visit = draw(st.sampled_from(list(VisitType)))
        total = draw(st.integers(0, 40_000_000))
        out_of_scope = draw(st.integers(0, total))
        class_b = draw(st.integers(0, total - out_of_scope))
        service = draw(st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
        # A stay has a discharge date, an outpatient visit none (the other cases are refused,
        # see the tests of the stay rule).
        stay = draw(st.integers(0, 40)) if visit in STAYS else None
        discharge = (
            None if stay is None else min(service + dt.timedelta(days=stay), dt.date(2025, 12, 31))
        )
        claims.append(
            Claim(
                claim_id=f"c{index:02d}",
                person_id=draw(st.sampled_from(PEOPLE)),
                visit_type=visit,
                hospital_level=draw(st.sampled_from((1, 2, 3))),
                service_date=service,
                total=total,
                out_of_scope=out_of_scope,
                class_b=class_b,
                discharge_date=discharge,
                condition=draw(st.sampled_from(list(Condition)))
                if visit is VisitType.OUTPATIENT_TWO_DISEASES
                else None,
                person_category=draw(st.sampled_from(PERSON_CATEGORIES)),
                cross_region=draw(st.sampled_from(list(CrossRegion))),
            )
        )
    return claims


@given(claims=claim_lists(), data=st.data())
def test_results_do_not_depend_on_the_order_of_the_rows(
    claims: list[Claim], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(claims))

    one = settle_claims(numbered(claims), PACKS)
    other = settle_claims(numbered(shuffled), PACKS)

    assert by_id(one) == by_id(other)
    assert counters(one) == counters(other)
    assert one.totals() == other.totals()


@given(claims=claim_lists(), data=st.data())
def test_a_year_split_over_two_files_settles_as_one(
    claims: list[Claim], data: st.DataObject
) -> None:
    ordered = sorted(claims, key=lambda c: settlement_order(0, c)[2:])
    cut = data.draw(st.integers(0, len(ordered)))

    whole = settle_claims(numbered(claims), PACKS)
    first = settle_claims(numbered(ordered[:cut]), PACKS)
    carried = io.StringIO()
    write_accumulators(carried, first.accumulators)
    second = settle_claims(
        numbered(ordered[cut:]), PACKS, parse_accumulators(io.StringIO(carried.getvalue()))
    )

    assert by_id(whole) == {**by_id(first), **by_id(second)}
    assert counters(whole) == counters(second)
    split_totals = {name: first.totals()[name] + second.totals()[name] for name in whole.totals()}
    assert whole.totals() == split_totals

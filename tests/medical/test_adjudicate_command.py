"""``jingban adjudicate``: real files in a temporary directory, the command run as from a shell
(``jingban.cli.main``), figures asserted to the fen, and the bad input table one case each."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from jingban.cli import main
from jingban.core.engine_messages import ROW_MESSAGES, describe
from jingban.engine.medical import settle_claims
from jingban.engine.medical.files import parse_claims
from jingban.engine.policy import PackError, load_pack_file, shipped_registry
from tests.engine.packs import DELETE, variant

HEADER = (
    "claim_id,person_id,visit_type,condition,hospital_level,service_date,discharge_date,"
    "total,out_of_scope,class_b,person_category,cross_region"
)
# The worked example of medical.md for a general person (no assistance), and outpatient pooling
# of 400 (seed rule: (400 − 50) × 50% = 175, capped at 150).
WORKED_GENERAL = "w1,p1,inpatient,,3,2025-03-01,2025-03-10,60000,5000,20000,general,local"
POOLING = "o1,p2,outpatient_general,,1,2025-04-01,,400,0,0,general,local"
GOOD_FIGURES = {
    "w1": ("ok", "33930.00", "6802.50", "0.00", "0.00", "19267.50"),
    "o1": ("ok", "150.00", "0.00", "0.00", "0.00", "250.00"),
}
FIGURES = ("status", "basic_fund", "critical_illness", "medical_assistance", "supplementary")


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def adjudicate(capsys: pytest.CaptureFixture[str]):
    def run(*args: str | Path) -> Run:
        try:
            main(["jingban", "adjudicate", *(str(a) for a in args)])
            code = 0
        except SystemExit as stop:
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """The shipped public pack with the relief tilts off, as in the worked example."""
    data = yaml.safe_load(shipped_registry().get("sample-resident-2025").text)
    data["critical_illness"]["relief_tilts_enabled"] = False
    path = tmp_path / "resident-no-tilts.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def write_claims(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def figures(path: Path) -> dict[str, tuple[str, ...]]:
    return {
        row["claim_id"]: (*(row[name] for name in FIGURES), row["out_of_pocket"])
        for row in read_csv(path)
    }


# Good files -------------------------------------------------------------------------------------


def test_the_worked_example_settles_to_the_fen(adjudicate, tmp_path: Path, pack: Path) -> None:
    claims = write_claims(
        tmp_path / "claims.csv",
        WORKED_GENERAL,
        POOLING,
        "w2,p3,inpatient,,3,2025-03-01,2025-03-10,60000,5000,20000,dibao,local",
    )
    # p3 has met the assistance deductible earlier in the year (5% of 41,314 = 2,065.70), so
    # assistance pays 70% of the remaining 12,267.50 as in medical.md.
    carried = tmp_path / "carried.csv"
    carried.write_text("person_id,year,counter,value\np3,2025,assistance:deductible,206570\n")
    out, explain, errors, after = (tmp_path / n for n in ("r.csv", "e.csv", "x.csv", "a.csv"))

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--explain", explain, "--errors", errors,
        "--accumulators-in", carried, "--accumulators-out", after, "--language", "en",
    )  # fmt: skip

    assert run.code == 0, run.err
    assert figures(out) == {
        **GOOD_FIGURES,
        "w2": ("ok", "33930.00", "6802.50", "8587.25", "0.00", "10680.25"),
    }
    rows = read_csv(out)
    loaded = load_pack_file(pack)
    assert {row["policy"] for row in rows} == {"sample-resident-2025@2"}
    assert {row["policy_hash"] for row in rows} == {loaded.hash}
    assert read_csv(errors) == []
    lines = [row for row in read_csv(explain) if row["claim_id"] == "w2"]
    assert [row["seq"] for row in lines] == [str(n) for n in range(1, len(lines) + 1)]
    paid = {(row["layer"], row["code"]): row["amount"] for row in lines if row["payment"] == "true"}
    assert paid == {
        ("basic", "fund"): "33930.00",
        ("critical_illness", "paid"): "6802.50",
        ("medical_assistance", "paid"): "8587.25",
        ("out_of_pocket", "out_of_pocket"): "10680.25",
    }
    fund = next(row for row in lines if row["code"] == "fund")
    assert fund["label"] and "65%" in fund["rule"] and fund["base"] == "52200.00"
    counters = {(r["person_id"], r["counter"]): r["value"] for r in read_csv(after)}
    assert counters[("p3", "assistance:deductible")] == "206570"
    assert counters[("p1", "cap:pooled")] == "3393000"
    assert counters[("p2", "cap:outpatient_general")] == "15000"
    assert "Rows read: 3; settled: 3; rejected: 0." in run.out
    assert "Basic insurance fund: ¥68,010.00" in run.out  # 33,930 × 2 + 150
    assert "rows per second" in run.out


def test_a_supplementary_pack_stacks_and_is_named_in_the_results(
    adjudicate, tmp_path: Path
) -> None:
    claims = write_claims(
        tmp_path / "claims.csv",
        "big,p1,inpatient,,3,2025-03-01,2025-03-30,400000,100000,0,general,local",
    )
    out = tmp_path / "r.csv"

    run = adjudicate(
        "--policy", "sample-resident-2025", "--policy", "jiangsu-yihuibao-2021",
        "--policy-source", "files", "--in", claims, "--out", out,
    )  # fmt: skip

    assert run.code == 0, run.err
    [row] = read_csv(out)
    assert row["policy"] == "sample-resident-2025@2+jiangsu-yihuibao-2021@2"
    assert float(row["supplementary"]) > 0
    layers = ("basic_fund", "critical_illness", "medical_assistance", "supplementary")
    paid = sum(round(float(row[name]) * 100) for name in (*layers, "out_of_pocket"))
    assert paid == 40_000_000


def test_a_year_split_over_two_files_settles_as_one(adjudicate, tmp_path: Path, pack) -> None:
    rows = [
        "a,p1,inpatient,,3,2025-01-05,2025-01-20,150000,10000,30000,dibao,local",
        "b,p1,inpatient,,2,2025-03-01,2025-03-12,80000,0,10000,dibao,local",
        "c,p2,outpatient_general,,1,2025-02-01,,120,0,0,general,local",
        "d,p2,outpatient_general,,1,2025-06-01,,300,0,0,general,local",
        "e,p1,outpatient_chronic,,2,2025-07-01,,9000,0,0,dibao,local",
        "f,p2,accident_outpatient,,1,2025-08-01,,2500,0,0,general,local",
    ]
    whole = tmp_path / "whole.csv"
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    carried = tmp_path / "carried.csv"
    one = adjudicate(
        "--policy", pack, "--in", write_claims(tmp_path / "all.csv", *rows), "--out", whole
    )  # fmt: skip
    # Up to the end of February, then the rest, the accumulators carried between them.
    part_one = adjudicate(
        "--policy", pack, "--in", write_claims(tmp_path / "1.csv", rows[0], rows[2]),
        "--out", first, "--accumulators-out", carried,
    )  # fmt: skip
    part_two = adjudicate(
        "--policy", pack, "--in", write_claims(tmp_path / "2.csv", *rows[3:], rows[1]),
        "--out", second, "--accumulators-in", carried,
    )  # fmt: skip

    assert (one.code, part_one.code, part_two.code) == (0, 0, 0)
    split = {**figures(first), **figures(second)}
    assert split == figures(whole)
    assert len(split) == 6
    assert figures(whole)["a"][1] != "0.00"  # the split is not trivially empty


def test_it_runs_where_no_database_was_ever_set_up(tmp_path: Path) -> None:
    claims = write_claims(tmp_path / "claims.csv", POOLING)
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JINGBAN_VAR_DIR")}
    env["JINGBAN_VAR_DIR"] = str(var)
    command = [sys.executable, "-m", "jingban.cli", "adjudicate"]
    args = ["--policy", "sample-resident-2025", "--in", str(claims), "--out", str(tmp_path / "r")]

    done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    assert figures(tmp_path / "r") == {"o1": GOOD_FIGURES["o1"]}
    assert not (var / "pg").exists()


# The bad input table: rows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "field", "code", "reason"),
    [
        pytest.param(
            "bad,p9,xray,,3,2025-03-01,2025-03-10,600,0,0,general,local",
            "visit_type",
            "claim.bad_visit_type",
            "Visit type: “xray” is not a visit type",
            id="unknown visit type",
        ),
        pytest.param(
            "bad,p9,inpatient,,3,2025-03-01,2025-03-10,-600,0,0,general,local",
            "total",
            "money.negative",
            "Total must not be negative.",
            id="negative amount",
        ),
        pytest.param(
            "bad,p9,inpatient,,3,2025-03-01,2025-03-10,600,abc,0,general,local",
            "out_of_scope",
            "money.not_a_number",
            "Out-of-scope amount: “abc” is not an amount of yuan",
            id="non-numeric amount",
        ),
        pytest.param(
            "bad,p9,inpatient,,3,2025-03-01,2025-03-10,600.125,0,0,general,local",
            "total",
            "money.too_precise",
            "Total: “600.125” has more than two decimals.",
            id="more than two decimals",
        ),
        pytest.param(
            "bad,p9,inpatient,,3,2025-03-01,2025-03-10,600,700,0,general,local",
            "out_of_scope",
            "claim.out_of_scope_above_total",
            "Out-of-scope amount is more than the total.",
            id="out_of_scope above total",
        ),
        pytest.param(
            "bad,p9,inpatient,,3,2025-03-10,2025-03-01,600,0,0,general,local",
            "discharge_date",
            "claim.discharge_before_admission",
            "Discharge date is before the service (admission) date.",
            id="discharge before admission",
        ),
    ],
)
def test_a_bad_row_is_reported_and_the_good_rows_settle(
    adjudicate, tmp_path: Path, pack: Path, row: str, field: str, code: str, reason: str
) -> None:
    claims = write_claims(tmp_path / "claims.csv", WORKED_GENERAL, row, POOLING)
    out, errors = tmp_path / "r.csv", tmp_path / "errors.csv"

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--errors", errors, "--language", "en"
    )  # fmt: skip

    assert run.code == 1
    [error] = read_csv(errors)
    assert (error["line"], error["claim_id"], error["field"], error["code"]) == (
        "3",
        "bad",
        field,
        code,
    )
    assert error["message"].startswith(reason)
    # Results come by person-year, each row with its input line to join back on.
    results = sorted(read_csv(out), key=lambda r: int(r["line"]))
    assert [(r["line"], r["claim_id"]) for r in results] == [("2", "w1"), ("3", "bad"), ("4", "o1")]
    assert (results[1]["status"], results[1]["reason"]) == ("rejected", error["message"])
    assert figures(out) == {**GOOD_FIGURES, "bad": ("rejected", "", "", "", "", "")}
    assert f"Line 3 (claim bad): {reason}" in run.err
    assert "Rows read: 3; settled: 2; rejected: 1." in run.out


def test_a_duplicate_claim_id_is_rejected_on_its_second_line(
    adjudicate, tmp_path: Path, pack: Path
) -> None:
    claims = write_claims(tmp_path / "claims.csv", WORKED_GENERAL, POOLING, WORKED_GENERAL)
    out, errors = tmp_path / "r.csv", tmp_path / "errors.csv"

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--errors", errors, "--language", "en"
    )  # fmt: skip

    assert run.code == 1
    [error] = read_csv(errors)
    assert error["line"] == "4"
    assert error["message"] == "Claim ID “w1” was already given on line 2."
    by_line = sorted(read_csv(out), key=lambda r: int(r["line"]))
    assert [(r["line"], r["status"]) for r in by_line] == [
        ("2", "ok"),
        ("3", "ok"),
        ("4", "rejected"),
    ]


def test_explanation_lines_follow_the_language(adjudicate, tmp_path: Path, pack: Path) -> None:
    claims = write_claims(tmp_path / "claims.csv", POOLING)
    labels = {}
    for language in ("en", "zh-hans"):
        explain = tmp_path / f"e-{language}.csv"
        run = adjudicate(
            "--policy", pack, "--in", claims, "--out", tmp_path / "r.csv", "--explain", explain,
            "--language", language,
        )  # fmt: skip
        assert run.code == 0
        labels[language] = read_csv(explain)[0]["label"]

    assert labels == {"en": "Total of the bill", "zh-hans": "医疗费用总额"}


def test_every_refusal_has_a_message_of_the_table(tmp_path: Path) -> None:
    rows = [
        ",p,inpatient,,3,2025-03-01,2025-03-10,600,0,0,general,local",
        "r2,p,xray,,3,2025-03-01,2025-03-10,600,0,0,general,local",
        "r3,p,outpatient_two_diseases,asthma,1,2025-03-01,,600,0,0,general,local",
        "r4,p,inpatient,,4,2025-03-01,2025-03-10,600,0,0,general,local",
        "r5,p,inpatient,,3,2025-03-01,2025-03-10,600,0,0,vip,local",
        "r6,p,inpatient,,3,2025-03-01,2025-03-10,600,0,0,general,abroad",
        "r7,p,inpatient,,3,01/03/2025,2025-03-10,600,0,0,general,local",
        "r8,p,inpatient,,3,2025-03-01,2025-03-10,,0,0,general,local",
        "r9,p,inpatient,,3,2025-03-01,2025-03-10,-1,0,0,general,local",
        "r10,p,inpatient,,3,2025-03-01,2025-03-10,1e3,0,0,general,local",
        "r11,p,inpatient,,3,2025-03-01,2025-03-10,1.001,0,0,general,local",
        "r12,p,inpatient",
        "r13,p,inpatient,,3,2025-03-01,2025-03-10,600,700,0,general,local",
        "r14,p,inpatient,,3,2025-03-01,2025-03-10,600,100,600,general,local",
        "r15,p,inpatient,,3,2025-03-10,2025-03-01,600,0,0,general,local",
        "r16,p,outpatient_two_diseases,,1,2025-03-01,,600,0,0,general,local",
        "r2,p,inpatient,,3,2025-03-01,2025-03-10,600,0,0,general,local",
        "r18,p,inpatient,,3,2026-03-01,2026-03-10,600,0,0,general,local",
        "r19,p,accident_outpatient,,1,2025-03-01,,600,0,0,general,local",
        "r20,p,outpatient_general,,1,2025-03-01,2025-03-02,600,0,0,general,local",
        "r21,p,maternity_natural,,3,2025-03-01,,600,0,0,general,local",
    ]
    claims = parse_claims(io.StringIO("\n".join([HEADER, *rows])))
    pack = variant("sample-resident-2025", {"benefits.accident_outpatient": DELETE})
    result = settle_claims(claims.rows, [pack], refused=claims.refused)

    with translation.override("en"):
        described = {r.code: (describe(r), r.message) for r in result.refusals}

    assert len(result.refusals) == len(rows)
    assert set(described) == set(ROW_MESSAGES) - {
        "claim.pack_not_in_force",  # the batch picks packs in force; only ``adjudicate`` says so
        "claim.condition_not_covered",  # the shipped pack covers both conditions
        "trial.no_public_pack",  # only the 试算 page says it (tests/packs/test_trial.py)
        # the catalogue's item-by-item first payment comes from a settlement, not a claims file
        "claim.class_b_first_above_class_b",
    }
    for code, (message, english) in described.items():
        assert message != english and "%(" not in message, code
    assert described["claim.bad_level"][0] == (
        "Hospital level: “4” is not a hospital level (use 1, 2 or 3)."
    )
    assert described["claim.no_pack_in_force"][0] == (
        "No public pack given is in force on 2026-03-10 (given: sample-resident-2025@2)."
    )


# The bad input table: packs and files -----------------------------------------------------------


def test_an_unknown_pack_is_a_usage_error_and_nothing_is_written(
    adjudicate, tmp_path: Path
) -> None:
    claims = write_claims(tmp_path / "claims.csv", POOLING)
    out = tmp_path / "r.csv"

    run = adjudicate(
        "--policy", "no-such-pack", "--policy-source", "files", "--in", claims, "--out", out,
        "--language", "en",
    )  # fmt: skip

    assert run.code == 2
    assert "There is no policy pack “no-such-pack”" in run.err
    assert "sample-resident-2025" in run.err  # the known packs are listed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims.csv"]


def _broken_pack(tmp_path: Path, old: str, new: str) -> Path:
    text = shipped_registry().get("sample-resident-2025").text
    assert old in text
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_pack_with_a_missing_number_names_the_file_path_and_line(
    adjudicate, tmp_path: Path
) -> None:
    band = "    - {above: 10000, up_to: 100000}"
    broken = _broken_pack(tmp_path, "    - {above: 10000, up_to: 100000, ratio: 0.75}", band)
    claims = write_claims(tmp_path / "claims.csv", POOLING)

    run = adjudicate(
        "--policy", broken, "--in", claims, "--out", tmp_path / "r.csv", "--language", "en"
    )  # fmt: skip

    assert run.code == 2
    assert f"The policy pack {broken} cannot be loaded:" in run.err
    line = _line_of(broken, band)
    assert f"Line {line}, critical_illness.bands.0.ratio: This figure is required." in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "claims.csv"]


def test_a_pack_with_overlapping_bands_names_the_file_path_and_line(
    adjudicate, tmp_path: Path
) -> None:
    broken = _broken_pack(
        tmp_path,
        "    - {above: 100000, up_to: 200000, ratio: 0.85}",
        "    - {above: 90000, up_to: 200000, ratio: 0.85}",
    )
    claims = write_claims(tmp_path / "claims.csv", POOLING)

    run = adjudicate(
        "--policy", broken, "--in", claims, "--out", tmp_path / "r.csv", "--language", "en"
    )  # fmt: skip

    assert run.code == 2
    with pytest.raises(PackError) as raised:
        load_pack_file(broken)
    [problem] = raised.value.problems
    assert problem.message == "bands 1 and 2 overlap"
    assert problem.path == "critical_illness.bands"
    bands_line = next(i for i, t in enumerate(broken.read_text().splitlines(), 1) if "bands:" in t)
    assert problem.line == bands_line
    assert f"The policy pack {broken} cannot be loaded:" in run.err
    assert f"Line {bands_line}, critical_illness.bands: Bands 1 and 2 overlap." in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml", "claims.csv"]


def test_a_missing_column_is_a_usage_error(adjudicate, tmp_path: Path, pack: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text(HEADER.replace(",cross_region", "") + "\n", encoding="utf-8")

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", tmp_path / "r.csv", "--language", "en"
    )  # fmt: skip

    assert run.code == 2
    assert f"{claims}: the header lacks the columns cross_region." in run.err
    assert not (tmp_path / "r.csv").exists()


def test_a_missing_input_file_is_a_usage_error(adjudicate, tmp_path: Path, pack: Path) -> None:
    run = adjudicate(
        "--policy", pack, "--in", tmp_path / "nope.csv", "--out", tmp_path / "r.csv",
        "--language", "en",
    )  # fmt: skip

    assert run.code == 2
    assert f"{tmp_path / 'nope.csv'} cannot be read" in run.err
    assert not (tmp_path / "r.csv").exists()


def test_a_bad_accumulators_file_stops_before_anything_is_written(
    adjudicate, tmp_path: Path, pack: Path
) -> None:
    claims = write_claims(tmp_path / "claims.csv", POOLING)
    carried = tmp_path / "carried.csv"
    carried.write_text("person_id,year,counter,value\np2,2025,cap:outpatient_general,1.5\n")
    out = tmp_path / "r.csv"
    out.write_text("earlier results\n")

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--accumulators-in", carried,
        "--language", "en",
    )  # fmt: skip

    assert run.code == 2
    assert f"{carried}: line 2: Value “1.5” is not valid" in run.err
    assert out.read_text() == "earlier results\n"


def test_an_output_that_is_the_input_is_refused(adjudicate, tmp_path: Path, pack: Path) -> None:
    claims = write_claims(tmp_path / "claims.csv", POOLING)

    run = adjudicate("--policy", pack, "--in", claims, "--out", claims, "--language", "en")

    assert run.code == 2
    assert "is an input file" in run.err
    assert claims.read_text().endswith(POOLING + "\n")


def test_overlapping_public_packs_are_a_usage_error(adjudicate, tmp_path: Path, pack) -> None:
    claims = write_claims(tmp_path / "claims.csv", POOLING)

    run = adjudicate(
        "--policy", pack, "--policy", "sample-resident-2025", "--policy-source", "files",
        "--in", claims, "--out", tmp_path / "r.csv", "--language", "en",
    )  # fmt: skip

    assert run.code == 2
    assert "are in force on the same days" in run.err
    assert not (tmp_path / "r.csv").exists()


# Resolution through the database ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_pack_id_the_database_lacks_falls_back_to_the_shipped_file_in_auto_mode(
    tmp_path: Path,
) -> None:
    # call_command, not main: run_from_argv closes the connections the test's transaction holds.
    claims = write_claims(tmp_path / "claims.csv", POOLING)
    out = tmp_path / "r.csv"
    args = ["--policy", "sample-resident-2025", "--in", str(claims), "--out", str(out)]

    call_command("adjudicate", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert figures(out) == {"o1": GOOD_FIGURES["o1"]}
    out.unlink()

    with pytest.raises(CommandError) as raised:
        call_command(
            "adjudicate", *args, "--policy-source", "database", "--language", "en",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert raised.value.returncode == 2
    assert "There is no policy pack “sample-resident-2025”" in str(raised.value)
    assert not out.exists()


def test_a_database_never_migrated_is_not_a_pack_store(tmp_path: Path) -> None:
    """An embedded server that was started once but holds no tables: auto mode settles with the
    shipped packs (and stops the server it started); database mode says what is wrong."""
    claims = write_claims(tmp_path / "claims.csv", POOLING)
    var = tmp_path / "v"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JINGBAN_VAR_DIR")}
    env["JINGBAN_VAR_DIR"] = str(var)
    jingban = [sys.executable, "-m", "jingban.cli"]
    subprocess.run([*jingban, "db", "start"], env=env, check=True, capture_output=True)
    subprocess.run([*jingban, "db", "stop"], env=env, check=True, capture_output=True)
    args = ["--policy", "sample-resident-2025", "--in", str(claims), "--language", "en"]

    auto = subprocess.run(
        [*jingban, "adjudicate", *args, "--out", str(tmp_path / "a")],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    strict_args = [*args, "--out", str(tmp_path / "b"), "--policy-source", "database"]
    strict = subprocess.run(
        [*jingban, "adjudicate", *strict_args],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert (var / "pg" / "PG_VERSION").exists()
    assert auto.returncode == 0, auto.stderr
    assert figures(tmp_path / "a") == {"o1": GOOD_FIGURES["o1"]}
    assert strict.returncode == 2
    assert "cannot be read from the database" in strict.stderr
    assert not (tmp_path / "b").exists()
    status = subprocess.run([*jingban, "db", "status"], env=env, capture_output=True, text=True)
    assert status.stdout.startswith("running=False")


# Stays, order and streaming ---------------------------------------------------------------------

STAY_ROWS = (
    "s1,p1,outpatient_general,,1,2025-04-01,2025-04-02,400,0,0,general,local",
    "s2,p1,inpatient,,3,2025-03-01,,60000,5000,20000,general,local",
    "s3,p2,maternity_cesarean,,2,2025-05-01,,9000,0,0,general,local",
)


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "en",
            (
                "Discharge date is only for an inpatient or maternity stay: leave it empty for "
                "an outpatient visit (outpatient_general).",
                "Discharge date is required for an inpatient or maternity stay: a stay is "
                "settled once, at discharge (a settlement in the middle of a stay is not "
                "accepted).",
            ),
        ),
        (
            "zh-hans",
            (
                "出院日期仅用于住院和住院分娩：门诊就诊（outpatient_general）请留空。",
                "住院和住院分娩须填写出院日期：住院在出院时一次结算（不接受住院期间的中途结算）。",
            ),
        ),
    ],
)
def test_a_discharge_date_on_an_outpatient_row_or_none_on_a_stay_is_a_row_error(
    adjudicate, tmp_path: Path, pack: Path, language: str, messages: tuple[str, str]
) -> None:
    claims = write_claims(tmp_path / "claims.csv", *STAY_ROWS, WORKED_GENERAL, POOLING)
    out, errors = tmp_path / "r.csv", tmp_path / "errors.csv"

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--errors", errors, "--language", language
    )  # fmt: skip

    assert run.code == 1
    found = {
        e["line"]: (e["claim_id"], e["field"], e["code"], e["message"]) for e in read_csv(errors)
    }
    assert found == {
        "2": ("s1", "discharge_date", "claim.discharge_date_not_allowed", messages[0]),
        "3": ("s2", "discharge_date", "claim.discharge_date_required", messages[1]),
        "4": ("s3", "discharge_date", "claim.discharge_date_required", messages[1]),
    }
    # The other rows are settled all the same.
    assert figures(out) == {
        **GOOD_FIGURES,
        "s1": ("rejected", "", "", "", "", ""),
        "s2": ("rejected", "", "", "", "", ""),
        "s3": ("rejected", "", "", "", "", ""),
    }


def test_results_come_by_person_year_each_with_its_input_line(
    adjudicate, tmp_path: Path, pack: Path
) -> None:
    claims = write_claims(
        tmp_path / "claims.csv",
        "C10,p2,outpatient_general,,1,2025-04-01,,400,0,0,general,local",
        "bad,p1,outpatient_general,,1,2025-04-01,,abc,0,0,general,local",
        "C9,p2,outpatient_general,,1,2025-04-01,,400,0,0,general,local",
        "late,p1,inpatient,,3,2025-03-01,2025-03-10,60000,5000,20000,general,local",
        "C9,p1,outpatient_general,,1,2025-01-02,,400,0,0,general,local",
        "early,p1,outpatient_general,,1,2024-12-30,,400,0,0,general,local",
    )
    out, errors, after = tmp_path / "r.csv", tmp_path / "e.csv", tmp_path / "a.csv"

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--errors", errors,
        "--accumulators-out", after, "--language", "en",
    )  # fmt: skip

    assert run.code == 1
    # First the rows that could not be read, then person by person (p1, p2) and year by year,
    # each by date: p1's 2024 claim (no pack in force), p1's 2025 stay, then p2's two claims
    # of one day, C9 before C10. The second C9 repeats the id of line 4.
    assert [(r["line"], r["claim_id"], r["status"]) for r in read_csv(out)] == [
        ("3", "bad", "rejected"),
        ("7", "early", "rejected"),
        ("6", "C9", "rejected"),
        ("5", "late", "ok"),
        ("4", "C9", "ok"),
        ("2", "C10", "ok"),
    ]
    assert [(e["line"], e["code"]) for e in read_csv(errors)] == [
        ("3", "money.not_a_number"),
        ("7", "claim.no_pack_in_force"),
        ("6", "claim.duplicate_id"),
    ]
    assert {(r["person_id"], r["year"]) for r in read_csv(after)} == {
        ("p1", "2025"),
        ("p2", "2025"),
    }
    # The summary on stderr lists the refusals by line.
    assert run.err.index("Line 3 ") < run.err.index("Line 6 ") < run.err.index("Line 7 ")


def test_a_file_problem_found_late_in_the_file_leaves_nothing(
    adjudicate, tmp_path: Path, pack: Path
) -> None:
    claims = tmp_path / "claims.csv"
    rows = [
        f"c{n},p{n % 7},outpatient_general,,1,2025-04-01,,400,0,0,general,local"
        for n in range(3000)
    ]
    claims.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode() + "x,张三\n".encode("gb18030"))
    out = tmp_path / "out" / "r.csv"
    out.parent.mkdir()

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--errors", tmp_path / "out" / "e.csv",
        "--explain", tmp_path / "out" / "x.csv", "--language", "en",
    )  # fmt: skip

    assert run.code == 2
    assert "line 3002 is not UTF-8" in run.err
    assert list(out.parent.iterdir()) == []  # no results, no temporary file, no runs


def test_a_contribution_pack_is_refused_as_settling_no_claim(adjudicate, tmp_path: Path) -> None:
    """A contribution pack is public too, but says what a year costs, not what a claim pays."""
    claims = write_claims(
        tmp_path / "claims.csv",
        "c1,p1,outpatient,,1,2025-03-01,,40000,0,0,general,local",
    )
    out = tmp_path / "r.csv"
    run = adjudicate(
        "--policy", "sample-resident-contributions-2025", "--policy-source", "files",
        "--in", claims, "--out", out, "--language", "en",
    )  # fmt: skip
    assert run.code == 2
    assert "sample-resident-contributions-2025@2 settles no claim" in run.err
    assert not out.exists()


def test_every_bad_column_of_a_row_is_reported(adjudicate, tmp_path: Path, pack: Path) -> None:
    """A row with three bad columns is refused for the three, each with its field: the errors
    file has a row per problem, the result's reason and the summary name them all."""
    bad = "bad,p9,flying,,7,2025-02-30,,400,0,0,general,local"
    claims = write_claims(tmp_path / "claims.csv", WORKED_GENERAL, bad, POOLING)
    out, errors = tmp_path / "r.csv", tmp_path / "errors.csv"

    run = adjudicate(
        "--policy", pack, "--in", claims, "--out", out, "--errors", errors, "--language", "en"
    )  # fmt: skip

    assert run.code == 1
    rows = read_csv(errors)
    assert [(r["line"], r["claim_id"], r["field"], r["code"]) for r in rows] == [
        ("3", "bad", "visit_type", "claim.bad_visit_type"),
        ("3", "bad", "hospital_level", "claim.bad_level"),
        ("3", "bad", "service_date", "claim.bad_date"),
    ]
    [rejected] = [r for r in read_csv(out) if r["claim_id"] == "bad"]
    assert rejected["reason"] == "; ".join(r["message"] for r in rows)
    assert rejected["reason"].count("; ") == 2
    assert figures(out)["w1"] == GOOD_FIGURES["w1"]
    summary = next(line for line in run.err.splitlines() if line.startswith("Line 3"))
    for row in rows:
        assert row["message"] in summary


def test_every_bad_column_is_parsed_not_only_the_first() -> None:
    text = "\n".join([HEADER, "x,,inpatient,,3,2025-03-01,2025-13-10,abc,0,0,nobody,local"])
    result = parse_claims(io.StringIO(text))
    [refusal] = result.refused
    assert [(p.field, p.code) for p in refusal.problems] == [
        ("person_id", "claim.required"),
        ("discharge_date", "claim.bad_date"),
        ("total", refusal.problems[2].code),
        ("person_category", "claim.bad_category"),
    ]
    with translation.override("zh-hans"):
        said = describe(refusal)
    assert said.count("; ") == 3

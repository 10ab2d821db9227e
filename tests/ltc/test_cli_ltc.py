"""``jingban ltc level`` and ``jingban ltc settle``: real files in a temporary directory, the
command run as from a shell (``jingban.cli.main``) with the shipped packs, the exact output of a
good file, and bad rows going to the errors file with their line and reason while the good
rows still come out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jingban.cli import main

ITEMS = (
    "adl_feeding,adl_dressing,adl_grooming,adl_bowel,adl_bladder,adl_toilet,adl_walking,"
    "adl_transfer,adl_stairs,adl_bathing,cog_time,cog_person,cog_place,cog_memory,per_vision,"
    "per_hearing,per_communication"
)
LEVEL_HEADER = f"assessment_id,{ITEMS}"
FULL = "10,10,5,10,10,10,15,15,10,5,4,4,4,4,4,4,4"  # all maxima: level 0
ADL_55_COG_13 = "5,5,5,5,5,5,10,10,0,5,4,4,4,1,4,4,4"  # ADL 55, cognition 13: level 2
ADL_35_COG_2 = "5,5,0,5,5,0,5,5,0,5,1,1,0,0,4,4,4"  # ADL 35, cognition 2: level 5
SERVICE_HEADER = (
    "person_id,disability_level,person_category,care_form,hospital_level,service_date,hours,"
    "caregiver_id,institution_id,check_in,check_out,lat,lon"
)


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def ltc(capsys: pytest.CaptureFixture[str]):
    def run(*args: str | Path) -> Run:
        try:
            main(["jingban", "ltc", *(str(a) for a in args), "--policy-source", "files"])
            code = 0
        except SystemExit as stop:
            code = int(stop.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_level_of_a_good_file_is_exactly_this(ltc, tmp_path: Path) -> None:
    source = _write(
        tmp_path / "a.csv",
        LEVEL_HEADER,
        f"A1,{FULL}",
        f"A2,{ADL_55_COG_13}",
        f"A3,{ADL_35_COG_2}",
    )
    out = tmp_path / "levels.csv"
    run = ltc(
        "level",
        "--policy",
        "national-ltc-assessment-2021",
        "--in",
        source,
        "--out",
        out,
        "--language",
        "en",
    )
    assert run.code == 0, run.err
    assert out.read_text("utf-8") == (
        "line,assessment_id,status,adl_total,cognition_total,perception_total,adl_band,"
        "cognition_band,perception_band,level,reason\n"
        "2,A1,ok,100,16,12,intact,intact,intact,0,\n"
        "3,A2,ok,55,13,12,moderate,mild,intact,2,\n"
        "4,A3,ok,35,2,12,severe,severe,intact,5,\n"
    )
    assert "Rows read: 3; graded: 3; rejected: 0." in run.out
    assert "national-ltc-assessment-2021@1" in run.out


def test_level_bad_rows_go_to_the_errors_file_and_the_good_rows_still_out(
    ltc, tmp_path: Path
) -> None:
    out_of_range = FULL.replace("10,10,5", "10,10,7", 1)  # grooming 7
    source = _write(
        tmp_path / "a.csv",
        LEVEL_HEADER,
        f"A1,{FULL}",
        f"A2,{out_of_range}",
        f"A3,{FULL.rsplit(',', 1)[0]},x",  # communication x
        f"A4,{ADL_55_COG_13}",
        "A5,1,2",
    )
    out, errors = tmp_path / "levels.csv", tmp_path / "errors.csv"
    run = ltc(
        "level",
        "--policy",
        "national-ltc-assessment-2021",
        "--in",
        source,
        "--out",
        out,
        "--errors",
        errors,
        "--language",
        "en",
    )
    assert run.code == 1
    results = _rows(out)
    assert [(r["assessment_id"], r["status"], r["level"]) for r in results] == [
        ("A1", "ok", "0"),
        ("A2", "rejected", ""),
        ("A3", "rejected", ""),
        ("A4", "ok", "2"),
        ("", "rejected", ""),
    ]
    problems = _rows(errors)
    assert [(p["line"], p["id"], p["field"], p["code"]) for p in problems] == [
        ("3", "A2", "adl_grooming", "ltc.score_not_allowed"),
        ("4", "A3", "per_communication", "ltc.score_not_a_number"),
        ("6", "", "", "row.column_count"),
    ]
    assert problems[0]["message"] == "adl_grooming: 7 is not an allowed score (0/5)."
    assert "Line 3 (A2): adl_grooming: 7 is not an allowed score (0/5)." in run.err


def test_level_messages_in_chinese(ltc, tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", LEVEL_HEADER, f"A2,{FULL.replace('10,10,5', '10,10,7', 1)}")
    errors = tmp_path / "errors.csv"
    run = ltc(
        "level",
        "--policy",
        "national-ltc-assessment-2021",
        "--in",
        source,
        "--out",
        tmp_path / "o.csv",
        "--errors",
        errors,
        "--language",
        "zh-hans",
    )
    assert run.code == 1
    assert _rows(errors)[0]["message"] == "adl_grooming：7 不是允许的分值（0/5）。"
    assert "读取 1 行；评定 0 行；拒绝 1 行。" in run.out


def test_a_bad_header_is_one_clear_error_and_nothing_is_written(ltc, tmp_path: Path) -> None:
    source = _write(tmp_path / "a.csv", "assessment_id,adl_feeding", "A1,10")
    out = tmp_path / "levels.csv"
    run = ltc(
        "level",
        "--policy",
        "national-ltc-assessment-2021",
        "--in",
        source,
        "--out",
        out,
        "--language",
        "en",
    )
    assert run.code == 2
    assert "the header lacks the columns adl_dressing" in run.err
    assert not out.exists()
    wrong = ltc("level", "--policy", "suzhou-ltc", "--in", source, "--out", out, "--language", "en")
    assert wrong.code == 2 and "is not a pack of the family ltc_assessment" in wrong.err


def test_settle_of_a_good_file_is_exactly_this(ltc, tmp_path: Path) -> None:
    lines = [SERVICE_HEADER]
    # P2: a severe person's 15 home visits of 2 hours; P1: a moderate relief person in an
    # institution the whole of May (31 days); P3: a visit over nothing but a hospital day.
    for day in range(1, 16):
        lines.append(
            f"P2,3,general,home_visit,,2026-05-{day:02d},2,C1,,2026-05-{day:02d} 09:00,"
            f"2026-05-{day:02d} 11:00,31.30,120.60"
        )
    for day in range(1, 32):
        lines.append(f"P1,2,relief,institution,,2026-05-{day:02d},,,I1,,,,")
    source = _write(tmp_path / "s.csv", *lines)
    out = tmp_path / "statements.csv"
    run = ltc(
        "settle",
        "--policy",
        "suzhou-ltc",
        "--month",
        "2026-05",
        "--in",
        source,
        "--out",
        out,
        "--language",
        "en",
    )
    assert run.code == 0, run.err
    rows = out.read_text("utf-8").splitlines()
    assert rows[0] == (
        "person_id,month,billed,fund,self_pay,lines,rejected_count,reasons,policy,policy_hash"
    )
    assert [r.rsplit(",", 1)[0] for r in rows[1:]] == [
        "P1,2026-05,713.00,713.00,0.00,31,0,,suzhou-ltc@1",
        "P2,2026-05,1200.00,1125.00,75.00,15,0,,suzhou-ltc@1",
    ]
    assert "Billed: ¥1,913.00" in run.out and "Fund pays: ¥1,838.00" in run.out


def test_settle_bad_rows_and_rejected_units_go_to_the_errors_file(ltc, tmp_path: Path) -> None:
    visit = "P2,3,general,home_visit,,2026-05-{d:02d},2,C1,,,,31.30,120.60"
    lines = [SERVICE_HEADER, *(visit.format(d=d) for d in range(1, 17))]
    bad = [
        "P3,7,general,home_visit,,2026-05-02,2,C1,,,,31.3,120.6",  # level out of range
        "P3,3,general,massage,,2026-05-03,2,C1,,,,31.3,120.6",  # unknown care form
        "P3,3,general,home_visit,,2026-05-04,2,C1,,2026-05-04 11:00,2026-05-04 09:00,31.3,120.6",
        "P3,3,general,home_visit,,2026-05-32,2,C1,,,,31.3,120.6",  # bad date
        "P3,3,general,home_visit,,2026-05-05,2,C1,,,,31.3,120.6",  # good
    ]
    source = _write(tmp_path / "s.csv", *lines, *bad)
    out, errors = tmp_path / "statements.csv", tmp_path / "errors.csv"
    run = ltc(
        "settle",
        "--policy",
        "suzhou-ltc",
        "--month",
        "2026-05",
        "--in",
        source,
        "--out",
        out,
        "--errors",
        errors,
        "--language",
        "en",
    )
    assert run.code == 1
    statements = {r["person_id"]: r for r in _rows(out)}
    assert (statements["P2"]["billed"], statements["P2"]["rejected_count"]) == ("1200.00", "1")
    assert statements["P2"]["reasons"] == "ltc.over_quota"
    assert (statements["P3"]["billed"], statements["P3"]["fund"]) == ("80.00", "75.00")
    problems = [(p["line"], p["id"], p["field"], p["code"]) for p in _rows(errors)]
    assert problems == [
        ("18", "P3", "disability_level", "ltc.bad_level"),
        ("19", "P3", "care_form", "ltc.unknown_care_form"),
        ("20", "P3", "check_out", "ltc.check_out_before_check_in"),
        ("21", "P3", "service_date", "ltc.bad_date"),
        ("17", "P2", "", "ltc.over_quota"),
    ]
    messages = [p["message"] for p in _rows(errors)]
    assert messages[1] == "Care form: “massage” is not a care form."
    assert messages[4] == "Visit 16 is over the quota of 15 visits a month."


def test_settle_uses_the_version_in_force_for_the_month(ltc, tmp_path: Path) -> None:
    def month_of(year_month: str) -> str:
        year, month = year_month.split("-")
        return f"Y1,3,general,institution,,{year}-{month}-01,,,I1,,,,"

    for month, billed in (("2022-12", "14.52"), ("2023-01", "19.35")):
        source = _write(tmp_path / f"{month}.csv", SERVICE_HEADER, month_of(month))
        out = tmp_path / f"{month}-out.csv"
        run = ltc(
            "settle",
            "--policy",
            "yantai-ltc",
            "--month",
            month,
            "--in",
            source,
            "--out",
            out,
            "--language",
            "en",
        )
        assert run.code == 0, run.err
        [row] = _rows(out)
        # One day of 31: 450 / 31 = 14.52 in 2022 (version 1), 600 / 31 = 19.35 in 2023 (v2).
        assert row["billed"] == billed
        assert row["policy"] == ("yantai-ltc@1" if month == "2022-12" else "yantai-ltc@2")
    none = ltc(
        "settle",
        "--policy",
        "yantai-ltc",
        "--month",
        "2019-01",
        "--in",
        source,
        "--out",
        tmp_path / "x.csv",
        "--language",
        "en",
    )
    assert none.code == 2 and "No version of yantai-ltc is in force in 2019-01." in none.err
    bad_month = ltc(
        "settle",
        "--policy",
        "yantai-ltc",
        "--month",
        "2023-13x",
        "--in",
        source,
        "--out",
        tmp_path / "x.csv",
        "--language",
        "en",
    )
    assert bad_month.code == 2 and "is not a month written YYYY-MM" in bad_month.err


def test_a_pack_file_or_a_version_is_used_as_given(ltc, tmp_path: Path) -> None:
    from jingban.engine.policy.registry import SHIPPED_DIR

    row = "Z1,3,general,institution,,2025-06-01,,,I1,,,,"
    source = _write(tmp_path / "s.csv", SERVICE_HEADER, row)
    out = tmp_path / "out.csv"
    pack = SHIPPED_DIR / "zhangjiagang-ltc-2021.yaml"
    run = ltc("settle", "--policy", pack, "--month", "2025-06", "--in", source, "--out", out)
    assert run.code == 0, run.err
    assert _rows(out)[0]["billed"] == "30.00"
    run = ltc(
        "settle",
        "--policy",
        "yantai-ltc@1",
        "--month",
        "2025-06",
        "--in",
        source,
        "--out",
        out,
        "--language",
        "en",
    )
    assert run.code == 0 and _rows(out)[0]["policy"] == "yantai-ltc@1"
    assert _rows(out)[0]["billed"] == "15.00"  # 450 / 30

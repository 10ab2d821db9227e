"""``jingban policy``: check a file without a database; list, show, import, approve and sync
against it. Problems exit with status 2 and name the file, the path and the line."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.engine.policy import Family, PackRegistry, shipped_registry
from jingban.packs import queries, services
from jingban.packs.models import PackVersion
from jingban.packs.services import bump_version_line
from tests.packs.conftest import (
    OUTPATIENT_CAP,
    PACK_ID,
    SHIPPED_TEXT,
    SHIPPED_V1_TEXT,
    line_of,
    pack_text,
)
from tests.personas import Personas

BROKEN = pack_text(
    2,
    ("    amount: 150\n", ""),  # a missing number
    ("above: 100000, up_to: 200000", "above: 90000, up_to: 200000"),  # overlapping bands
)


@pytest.fixture(autouse=True)
def _english_messages():
    """The command speaks the default language (Chinese); these tests read its English."""
    with translation.override("en"):
        yield


def _policy(*args: str) -> str:
    out = io.StringIO()
    call_command("policy", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_check_reports_a_good_file(tmp_path: Path) -> None:
    pack = shipped_registry().get(PACK_ID)
    out = _policy("check", _file(tmp_path, "resident.yaml", SHIPPED_TEXT))
    assert out.splitlines()[0].startswith(f"{PACK_ID}@2  ")
    assert f"Content hash: {pack.hash}" in out
    assert f"{len(pack.figures)} figures, of which {len(pack.samples)} marked sample." in out
    assert "sample: benefits.inpatient.deductible.by_level.3 = 800" in out


def test_check_names_file_path_and_line_of_each_problem(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        _policy("check", _file(tmp_path, "broken.yaml", BROKEN))
    assert refused.value.returncode == 2
    lines = str(refused.value).splitlines()
    assert lines == [
        f"broken.yaml: Line {line_of(BROKEN, '  outpatient_general:')}, "
        "caps.outpatient_general.amount: This figure is required.",
        f"broken.yaml: Line {line_of(BROKEN, '  bands:')}, "
        "critical_illness.bands: Bands 1 and 2 overlap.",
    ]
    with pytest.raises(CommandError, match="The file cannot be read") as missing:
        _policy("check", str(tmp_path / "nowhere.yaml"))
    assert missing.value.returncode == 2


def _jingban(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JINGBAN_VAR_DIR")}
    env["JINGBAN_VAR_DIR"] = str(var)
    command = [sys.executable, "-m", "jingban.cli", *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_runs_where_no_database_was_ever_set_up(tmp_path: Path) -> None:
    var = tmp_path / "var"
    good = _jingban(var, "policy", "check", _file(tmp_path, "good.yaml", SHIPPED_TEXT))
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith(f"{PACK_ID}@2  ")
    bad = _jingban(var, "policy", "check", _file(tmp_path, "broken.yaml", BROKEN))
    assert bad.returncode == 2
    # The command line speaks Chinese unless told otherwise.
    bands = next(n for n, line in enumerate(BROKEN.splitlines(), 1) if line == "  bands:")
    overlap = f"broken.yaml: 第 {bands} 行，critical_illness.bands：第 1 段与第 2 段重叠。"
    assert overlap in bad.stderr
    assert "caps.outpatient_general.amount：此数字为必填项。" in bad.stderr
    assert not (var / "pg").exists()


def test_import_approve_list_and_show(personas: Personas, tmp_path: Path) -> None:
    path = _file(tmp_path, "v2.yaml", pack_text(3, OUTPATIENT_CAP))
    out = _policy("import", path, "--user", "admin")
    row = PackVersion.objects.get(pack_id=PACK_ID, version=3)
    assert f"Imported {PACK_ID}@3 as a draft (#{row.pk})" in out
    assert (row.origin, row.author) == ("imported", personas.user("admin"))

    with pytest.raises(CommandError, match="another person must review it") as own:
        _policy("approve", f"{PACK_ID}@3", "--user", "admin")
    assert own.value.returncode == 2
    assert "Approved" in _policy("approve", f"{PACK_ID}@3", "--user", "qian", "--note", "核对")
    row.refresh_from_db()
    assert (row.status, row.reviewer, row.review_note) == (
        "approved",
        personas.user("qian"),
        "核对",
    )

    listing = _policy("list")
    assert f"{PACK_ID}@3" in listing and row.content_hash[:12] in listing
    shown = _policy("show", PACK_ID)  # the latest approved version
    assert f"Pack: {PACK_ID}@3" in shown and f"Content hash: {row.content_hash}" in shown
    assert "caps.outpatient_general.amount = 180" in shown
    assert "benefits.inpatient.deductible.by_level.3 = 800  [sample]" in shown
    assert f"Pack: {PACK_ID}@2" in _policy("show", f"{PACK_ID}@2")


def test_refusals_exit_2_naming_the_problem(personas: Personas, tmp_path: Path) -> None:
    cases = [
        (("import", _file(tmp_path, "b.yaml", BROKEN), "--user", "admin"), "Line "),
        (("import", _file(tmp_path, "s.yaml", SHIPPED_TEXT), "--user", "admin"), "already"),
        (("import", _file(tmp_path, "v.yaml", pack_text(3)), "--user", "nobody"), "nobody"),
        (("import", str(tmp_path / "none.yaml"), "--user", "admin"), "Cannot read"),
        (("import", _file(tmp_path, "w.yaml", pack_text(3)), "--user", "wang"), "permission"),
        (("approve", PACK_ID, "--user", "qian"), f"{PACK_ID}@VERSION"),
        (("approve", f"{PACK_ID}@10", "--user", "qian"), f"{PACK_ID}@10"),
        (("approve", f"{PACK_ID}@2", "--user", "qian"), "only a draft"),
        (("show", "Bad Spec"), "is not a pack id"),
        (("show", "no-such-pack"), "no-such-pack"),
    ]
    before = PackVersion.objects.count()
    for args, says in cases:
        with pytest.raises(CommandError) as refused:
            _policy(*args)
        assert refused.value.returncode == 2, args
        assert says in str(refused.value), (args, str(refused.value))
    assert PackVersion.objects.count() == before


SHIPPED_SPECS = [
    "jiangsu-ankang-2026@1",
    "jiangsu-yihuibao-2021@1",
    "jiangsu-yihuibao-2021@2",
    "national-ltc-assessment-2021@1",
    f"{PACK_ID}@1",
    f"{PACK_ID}@2",
    "sample-resident-2026@1",
    "sample-resident-contributions-2025@1",
    "sample-resident-contributions-2025@2",
    "sample-resident-contributions-2026@1",
    "suzhou-desk-2026@1",
    "suzhou-filing-2026@1",
    "suzhou-ltc@1",
    "suzhou-reimbursement-2026@1",
    "tengzhou-ltc-2024@1",
    "yantai-ltc@1",
    "yantai-ltc@2",
    "yantai-ltc@3",
    "zhangjiagang-ltc-2021@1",
]


def test_sync_records_the_shipped_packs_once(empty_database, tmp_path: Path) -> None:
    create_account(username="root", password="root-pass-123", role=Role.ADMIN, acting_user=None)
    out = _policy("sync", "--user", "root")
    for spec in SHIPPED_SPECS:
        assert f"Recorded {spec} (shipped)." in out
    assert "recorded already" in _policy("sync", "--user", "root")
    rows = PackVersion.objects.filter(origin="shipped", status="approved").order_by("pack_id")
    assert sorted(row.spec for row in rows) == SHIPPED_SPECS


def _step_3_packs() -> PackRegistry:
    """What jingban shipped before the new layout: version 1 of the two packs."""
    return PackRegistry(p for p in shipped_registry().all() if p.layout == 1)


def test_a_database_holding_the_old_versions_accepts_the_new_ones(
    empty_database: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_account(username="root", password="root-pass-123", role=Role.ADMIN, acting_user=None)
    with monkeypatch.context() as patched:
        patched.setattr(services, "shipped_registry", _step_3_packs)
        _policy("sync", "--user", "root")
    old = {row.spec: (row.pk, row.content_hash) for row in PackVersion.objects.all()}
    assert sorted(old) == ["jiangsu-yihuibao-2021@1", f"{PACK_ID}@1"]

    out = _policy("sync", "--user", "root")
    assert "Recorded jiangsu-yihuibao-2021@2 (shipped)." in out
    assert f"Recorded {PACK_ID}@1" not in out
    assert sorted(row.spec for row in PackVersion.objects.all()) == SHIPPED_SPECS
    # The approved versions are untouched; both load, and the newest is the one in force.
    for row in PackVersion.objects.filter(version=1):
        if row.spec in old:
            assert (row.pk, row.content_hash) == old[row.spec]
    registry = queries.approved_registry()
    assert [p.layout for p in registry.all()] == [
        2,
        1,
        2,
        2,
        1,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
        2,
    ]
    june = dt.date(2025, 6, 1)
    assert registry.in_force("320582", "resident_medical", june, Family.MEDICAL).version == 2


def test_a_number_taken_here_is_left_to_the_version_that_holds_it(
    empty_database: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A site that drafted its own @2 before jingban shipped one keeps it: the shipped @2 is
    reported and not recorded (a number never names two texts)."""
    root = create_account(
        username="root", password="root-pass-123", role=Role.ADMIN, acting_user=None
    )
    with monkeypatch.context() as patched:
        patched.setattr(services, "shipped_registry", _step_3_packs)
        _policy("sync", "--user", "root")
    local = services.import_pack_text(
        bump_version_line(SHIPPED_V1_TEXT, 2).replace("    amount: 150\n", "    amount: 180\n"),
        acting_user=root,
    )
    out = _policy("sync", "--user", "root")
    assert (
        f"Not recorded: the shipped {PACK_ID}@2, since {PACK_ID}@2 (Imported from a file) "
        "already holds its number." in out
    )
    assert "Recorded jiangsu-yihuibao-2021@2 (shipped)." in out
    local.refresh_from_db()
    assert (local.origin, local.status) == ("imported", "draft")
    assert PackVersion.objects.filter(pack_id=PACK_ID).count() == 2

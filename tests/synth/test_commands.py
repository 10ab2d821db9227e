"""`jingban synth` and `jingban demo`: output, bad input refused with exit status 2 and nothing
written, the demo reusing what exists."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jingban.core import plugins
from jingban.core.models import ActionLog
from jingban.registry.models import Household, Person
from jingban.registry.synth.digest import digests
from jingban.registry.synth.generate import generate_frames


def _jingban(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from jingban.cli import main; main()", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=os.environ.copy(), check=False
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_synth_loads_and_reports_counts_digest_and_speed(monkeypatch) -> None:
    # The registry's city alone: with other apps' generators the printed digest is the digest of
    # every generator's digest (core.synthetic.SynthRun.digest).
    everyone = plugins.synth_generators
    monkeypatch.setattr(
        plugins, "synth_generators", lambda: [g for g in everyone() if g.name == "registry"]
    )
    out = StringIO()
    call_command("synth", "--persons", "300", "--seed", "9", stdout=out)
    text = out.getvalue()
    expected, _tables = digests(generate_frames(300, 9))
    assert f"Digest: {expected}" in text
    assert "persons per second" in text and "household_members" in text
    assert Person.objects.count() == 300


def test_synth_writes_parquet_without_touching_the_registry(tmp_path: Path) -> None:
    out = StringIO()
    call_command("synth", "--persons", "200", "--seed", "3", "--out", str(tmp_path), stdout=out)
    assert (tmp_path / "persons.parquet").exists() and (tmp_path / "city.json").exists()
    assert str(tmp_path) in out.getvalue()


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("persons", ["0", "-3"])
def test_synth_refuses_too_few_persons(persons: str, tmp_path: Path) -> None:
    before = (Person.objects.count(), Household.objects.count(), ActionLog.objects.count())
    with pytest.raises(CommandError, match="--persons must be at least 1") as refused:
        call_command("synth", "--persons", persons, "--out", str(tmp_path / "city"))
    assert refused.value.returncode == 2
    after = (Person.objects.count(), Household.objects.count(), ActionLog.objects.count())
    assert after == before and not (tmp_path / "city").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_synth_refuses_a_second_city() -> None:
    call_command("synth", "--persons", "100", "--seed", "1", stdout=StringIO())
    count = Person.objects.count()
    with pytest.raises(CommandError, match="already holds a synthetic city"):
        call_command("synth", "--persons", "100", "--seed", "1", stdout=StringIO())
    assert Person.objects.count() == count


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--persons", "0"], "--persons"),
        (["--persons", "-1"], "--persons"),
        (["--seed", "abc"], "--seed"),
        (["--persons", "ten"], "--persons"),
    ],
)
def test_bad_input_exits_with_status_2_naming_the_option(
    args: list[str], named: str, tmp_path: Path
) -> None:
    result = _jingban("synth", *args, "--out", str(tmp_path / "city"))
    assert result.returncode == 2, result.stderr
    assert named in result.stderr
    assert not (tmp_path / "city").exists()


@pytest.mark.django_db(transaction=True)
def test_demo_no_serve_prepares_and_a_second_run_reuses_it(settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("demo", "--persons", "60", "--seed", "4", "--no-serve", stdout=out)
    counts = (Person.objects.count(), Household.objects.count(), ActionLog.objects.count())
    # The city of 60 and the named applicants the apps' demos register beside it.
    assert counts[0] == 60 + plugins.demo_persons() and counts[1] > 0
    assert "chen" in out.getvalue()
    call_command("demo", "--persons", "90", "--no-serve", stdout=StringIO())
    assert (Person.objects.count(), Household.objects.count(), ActionLog.objects.count()) == counts
    assert (tmp_path / "demo-accounts.json").exists()


@pytest.fixture(autouse=True)
def _english_messages():
    """The commands speak the default language (Chinese); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield

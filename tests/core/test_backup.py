"""Backups: `jingban backup` and `jingban restore` (pg_dump / pg_restore), the per-table
checksums, what a bad file does (nothing), and the action log chain after a restore."""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pgtrigger
import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from jingban import backup as backups
from jingban.backup import (
    ArchiveInfo,
    BackupError,
    check_same_major,
    database_name,
    manifest_path,
    restoring,
    table_checksums,
    tools,
    using_database,
)
from jingban.core.actionlog import anchor_file, log_action, verify
from jingban.core.models import ActionLog, ActionLogHead, Scheme
from jingban.registry.models import Person
from tests.files.samples import forget_stored_files

# The two tables a restore adds its own row to (the restore is logged in the restored database).
LOG_TABLES = {"core_actionlog", "core_actionloghead"}


def _databases() -> set[str]:
    with tools.connect("postgres") as conn:
        return {name for (name,) in conn.execute("SELECT datname FROM pg_database")}


_SIDE_NAME = re.compile(r"(?P<target>.*)_(?:restoring|replaced)_\d{14}_[0-9a-f]{4}")


def _leftovers() -> set[str]:
    """Temporary or replaced databases a restore of this test database (or of its copy) left
    behind; not those of another test worker's database on the same server."""
    ours = database_name()
    found = set()
    for name in _databases():
        match = _SIDE_NAME.fullmatch(name)
        # The target's name is shortened when the suffix would pass PostgreSQL's limit.
        if match and (match["target"].startswith(ours) or ours.startswith(match["target"])):
            found.add(name)
    return found


def _drop(name: str) -> None:
    with tools.connect("postgres") as conn:
        restoring._drop(conn, name)


@pytest.fixture
def copy_name() -> Iterator[str]:
    """A database name for `restore --into`, dropped again afterwards."""
    name = f"{database_name()}_copy"
    _drop(name)
    yield name
    connection.close()
    _drop(name)


@pytest.fixture
def no_leftovers() -> Iterator[None]:
    before = _leftovers()
    yield
    assert _leftovers() == before


def _log_rows(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            log_action(acting_user=None, action="test.thing.changed", object_id=i, after={"n": i})


def _tamper(sql: str, params: list[Any] | None = None) -> None:
    with pgtrigger.ignore(
        "core.ActionLog:actionlog_sealed_immutable", "core.ActionLog:actionlog_no_delete"
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])


def _found(report: Any) -> set[tuple[str, int | None]]:
    return {(problem.kind, problem.seq) for problem in report.problems}


# Checksums


@pytest.mark.django_db(transaction=True)
def test_checksums_follow_content_not_row_order() -> None:
    Scheme.objects.create(code="a", kind="medical", name_zh="甲", name_en="A")
    Scheme.objects.create(code="b", kind="medical", name_zh="乙", name_en="B")
    first = table_checksums()

    # The same names, swapped between the two rows: same count, other content.
    Scheme.objects.filter(code="a").update(name_zh="乙")
    Scheme.objects.filter(code="b").update(name_zh="甲")
    swapped = table_checksums()
    Scheme.objects.filter(code="a").update(name_zh="甲")
    Scheme.objects.filter(code="b").update(name_zh="乙")

    assert first["core_scheme"].rows == swapped["core_scheme"].rows == 2
    assert swapped["core_scheme"] != first["core_scheme"]
    assert {k: v for k, v in swapped.items() if k != "core_scheme"} == {
        k: v for k, v in first.items() if k != "core_scheme"
    }
    assert table_checksums() == first  # same content, same checksum (rows were rewritten)


# Backup, then restore into a fresh database


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_table_for_table(
    personas: Any, tmp_path: Path, copy_name: str, no_leftovers: None
) -> None:
    before = table_checksums()
    assert before["registry_person"].rows == Person.objects.count() >= 24
    assert before["core_actionlog"].rows == ActionLog.objects.count() > 0

    result = backups.backup(tmp_path / "city.dump")

    # The manifest describes the dump, taken in the dump's own snapshot.
    manifest = json.loads(manifest_path(result.path).read_text())
    assert manifest["sha256"] == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert manifest["bytes"] == result.path.stat().st_size == result.size
    assert manifest["server_major"] == 18
    assert manifest["database"] == database_name()
    assert manifest["tables"] == {
        name: {"rows": value.rows, "checksum": value.checksum} for name, value in before.items()
    }
    leaves = MigrationLoader(None).graph.leaf_nodes()
    assert {(app, name) for app, names in manifest["migrations"].items() for name in names} == set(
        leaves
    )
    assert manifest["action_log_head"] == {
        "seq": ActionLogHead.objects.get().seq - 1,  # the backup's own row came after the dump
        "hash": ActionLog.objects.get(seq=ActionLogHead.objects.get().seq - 1).hash,
    }
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600  # it holds personal data
    backed_up = ActionLog.objects.order_by("-id").first()
    assert backed_up is not None and backed_up.action == "core.database.backed_up"
    assert backed_up.after is not None and backed_up.after["sha256"] == result.sha256

    call_command("restore", str(result.path), "--into", copy_name)

    # Every table of the copy is the source as it was at the dump.
    assert table_checksums(copy_name) == before
    with using_database(copy_name):
        report = verify()
        call_command("audit", "verify")  # raises CommandError on any problem
    assert report.ok, report.problems
    assert report.checked == before["core_actionlog"].rows
    # The current database recorded the restore, and is otherwise what it was.
    restored = ActionLog.objects.order_by("-id").first()
    assert restored is not None and restored.action == "core.database.restored"
    assert restored.after is not None and restored.after["into"] == copy_name
    assert table_checksums()["registry_person"] == before["registry_person"]


@pytest.mark.django_db(transaction=True)
def test_restore_replaces_the_current_database_and_the_chain_still_verifies(
    personas: Any, tmp_path: Path, no_leftovers: None
) -> None:
    person = personas.in_scope_person
    forget_stored_files()  # the demo's files are not in this test's files directory
    result = backups.backup(tmp_path / "city.dump")
    at_backup = {
        name: backups.TableChecksum(value["rows"], value["checksum"])
        for name, value in json.loads(manifest_path(result.path).read_text())["tables"].items()
    }
    dumped_head = json.loads(manifest_path(result.path).read_text())["action_log_head"]["seq"]
    # Work done after the backup, sealed and anchored: it is what the restore throws away.
    Person.objects.filter(pk=person.pk).update(name="改名之后")
    _log_rows(3)
    later_head = ActionLogHead.objects.get().seq
    anchored = [json.loads(line)["seq"] for line in anchor_file().read_text().splitlines()]
    assert max(anchored) == later_head > dumped_head
    # Another session on the database, like a web server's: the restore ends it.
    other = tools.connect(database_name())
    other.execute("SELECT 1")

    call_command("restore", str(result.path), "--yes")

    with pytest.raises(psycopg.OperationalError):
        other.execute("SELECT 1")
    other.close()
    after = table_checksums()
    assert {k: v for k, v in after.items() if k not in LOG_TABLES} == {
        k: v for k, v in at_backup.items() if k not in LOG_TABLES
    }
    assert Person.objects.get(pk=person.pk).name == person.name
    # The dump's chain plus the restore's own row, sealed right after the dumped head.
    assert after["core_actionlog"].rows == at_backup["core_actionlog"].rows + 1
    last = ActionLog.objects.get(seq=dumped_head + 1)
    assert last.action == "core.database.restored"
    assert last.after is not None and last.after["sha256"] == result.sha256
    # Anchors of the replaced chain (positions up to later_head, other rows) are in the file,
    # and verify still passes: the restore started a new anchor epoch at the dumped head.
    report = verify()
    assert report.ok, report.problems
    assert (report.checked, report.last_seq, report.unsealed) == (
        dumped_head + 1,
        dumped_head + 1,
        0,
    )
    call_command("audit", "verify")

    # ... and it still catches tampering with the restored chain: a changed row, and the last
    # row deleted with the head rewritten to match (only the anchor file knows).
    _tamper("UPDATE core_actionlog SET reason = 'forged' WHERE seq = 1")
    _tamper("DELETE FROM core_actionlog WHERE seq = %s", [dumped_head + 1])
    row = ActionLog.objects.get(seq=dumped_head)
    ActionLogHead.objects.filter(id=1).update(seq=dumped_head, hash=row.hash)
    problems = _found(verify())
    assert ("modified", 1) in problems
    assert ("anchor_mismatch", dumped_head + 1) in problems


# Bad files: refused, the current database untouched


def _truncated(dump: Path, target: Path, *, keep: int, with_manifest: bool) -> Path:
    target.write_bytes(dump.read_bytes()[:keep])
    if with_manifest:
        manifest_path(target).write_text(manifest_path(dump).read_text())
    return target


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("random", "is not a PostgreSQL custom-format dump"),
        ("text", "is not a PostgreSQL custom-format dump"),
        ("empty", "is not a PostgreSQL custom-format dump"),
        ("first_half", "is truncated or damaged"),
        # Short of its last bytes, its table of contents still reads: the whole file is checked.
        ("tail_cut", "is truncated or damaged"),
        ("tail_cut_with_manifest", "does not match its manifest"),
        ("missing", "does not exist or is not a file"),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_a_bad_file_is_refused_and_the_database_stays_as_it_was(
    kind: str, message: str, tmp_path: Path, no_leftovers: None
) -> None:
    _log_rows(3)
    good = backups.backup(tmp_path / "good.dump").path
    bad = tmp_path / f"{kind}.dump"
    if kind == "random":
        bad.write_bytes(os.urandom(4096))
    elif kind == "text":
        bad.write_text("SELECT 1;\n这不是备份文件\n" * 50)
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind != "missing":
        size = good.stat().st_size
        keep = size // 2 if kind == "first_half" else size - 64
        _truncated(good, bad, keep=keep, with_manifest=kind.endswith("manifest"))
    before = table_checksums()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), "--yes")

    assert message in str(refused.value)
    assert str(bad) in str(refused.value)
    assert refused.value.returncode != 0
    assert table_checksums() == before


@pytest.mark.django_db(transaction=True)
def test_a_dump_that_differs_from_its_manifest_is_not_swapped_in(
    tmp_path: Path, no_leftovers: None
) -> None:
    _log_rows(2)
    dump = backups.backup(tmp_path / "good.dump").path
    manifest = json.loads(manifest_path(dump).read_text())
    manifest["tables"]["core_actionlog"]["rows"] += 1  # as if a row had gone missing
    manifest_path(dump).write_text(json.dumps(manifest))
    _log_rows(1)
    before = table_checksums()

    with pytest.raises(CommandError, match="do not match its manifest: core_actionlog"):
        call_command("restore", str(dump), "--yes")

    assert table_checksums() == before


@pytest.mark.django_db(transaction=True)
def test_a_failed_swap_puts_the_current_database_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_leftovers: None
) -> None:
    _log_rows(2)
    dump = backups.backup(tmp_path / "good.dump").path
    _log_rows(1)
    before = table_checksums()
    real_rename = restoring._rename
    calls: list[tuple[str, str]] = []

    def failing_rename(conn: psycopg.Connection[Any], old: str, new: str) -> None:
        calls.append((old, new))
        if "_restoring_" in old:  # the restored database into place: fails
            raise psycopg.errors.InsufficientPrivilege("must be owner of database")
        real_rename(conn, old, new)

    monkeypatch.setattr(restoring, "_rename", failing_rename)

    with pytest.raises(CommandError, match="failed: must be owner of database"):
        call_command("restore", str(dump), "--yes")

    current = database_name()
    (moved, aside), (restored, into), put_back = calls
    assert (moved, into, put_back) == (current, current, (aside, current))
    assert "_replaced_" in aside and "_restoring_" in restored
    assert table_checksums() == before


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_existing_database_is_refused(tmp_path: Path) -> None:
    dump = backups.backup(tmp_path / "good.dump").path

    with pytest.raises(CommandError, match="already exists"):
        call_command("restore", str(dump), "--into", database_name())


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    target = tmp_path / "taken.dump"
    target.write_text("keep me")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--out", str(target))

    assert target.read_text() == "keep me"


@pytest.mark.django_db(transaction=True)
def test_backup_without_out_goes_to_the_backup_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGBAN_BACKUP_DIR", str(tmp_path / "backups"))

    first = backups.backup()
    second = backups.backup()  # within the same second: a new name, not an overwrite

    assert first.path.parent == second.path.parent == tmp_path / "backups"
    assert first.path != second.path
    assert first.path.name.startswith("jingban-") and first.path.suffix == ".dump"
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == sorted(
        [
            name
            for result in (first, second)
            for name in (
                result.path.name,
                result.manifest_path.name,
                f"{result.path.name}.files.tar",
            )
        ]
    )


# Only the server's major version


def test_version_check_accepts_the_servers_major_only() -> None:
    assert check_same_major("pg_dump", "pg_dump (PostgreSQL) 18.6\n", 180006) == 18
    assert (
        check_same_major("pg_dump", "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", 150013)
        == 15
    )
    with pytest.raises(BackupError, match="PostgreSQL 16 but the server runs PostgreSQL 18"):
        check_same_major("pg_dump", "pg_dump (PostgreSQL) 16.4", 180006)
    with pytest.raises(BackupError, match="PostgreSQL 18 but the server runs PostgreSQL 17"):
        check_same_major("pg_restore", "pg_restore (PostgreSQL) 18.0", 170002)
    with pytest.raises(BackupError, match="Cannot tell the version"):
        check_same_major("pg_dump", "command not found", 180006)


def _fake_tools(directory: Path, version: str) -> Path:
    directory.mkdir()
    for name in ("pg_dump", "pg_restore"):
        tool = directory / name
        tool.write_text(f'#!/bin/sh\necho "{name} (PostgreSQL) {version}"\n')
        tool.chmod(0o755)
    return directory


@pytest.mark.django_db(transaction=True)
def test_external_server_refuses_client_programs_of_another_major(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any, no_leftovers: None
) -> None:
    settings.EMBEDDED_DATABASE = False  # as with DATABASE_URL: the tools come from the setting
    monkeypatch.setenv("JINGBAN_PG_BINDIR", str(_fake_tools(tmp_path / "bin", "16.4")))
    out = tmp_path / "out"
    out.mkdir()

    with pytest.raises(CommandError, match="pg_dump is from PostgreSQL 16 but the server runs"):
        call_command("backup", "--out", str(out / "x.dump"))
    with pytest.raises(CommandError, match="pg_restore is from PostgreSQL 16 but the server"):
        call_command("restore", str(tmp_path / "whatever.dump"), "--yes")

    assert list(out.iterdir()) == []  # no partial file left behind
    monkeypatch.setenv("JINGBAN_PG_BINDIR", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="pg_dump is not in JINGBAN_PG_BINDIR"):
        call_command("backup", "--out", str(out / "x.dump"))


@pytest.mark.django_db(transaction=True)
def test_a_dump_from_another_major_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_leftovers: None
) -> None:
    dump = backups.backup(tmp_path / "good.dump").path
    monkeypatch.setattr(
        restoring, "inspect_dump", lambda path, tool: ArchiveInfo("CUSTOM", "17.2", 17, 400)
    )
    before = table_checksums()

    with pytest.raises(CommandError, match=r"dumped from PostgreSQL 17\.2, but this server runs"):
        call_command("restore", str(dump), "--yes")

    assert table_checksums() == before


@pytest.fixture(autouse=True)
def _own_files_dir(settings: Any, tmp_path: Path) -> None:
    """Backups archive, and restores replace, the files directory: never the development one."""
    settings.FILES_DIR = tmp_path / "files"


@pytest.fixture(autouse=True)
def _english_messages():
    """The commands speak the default language (Chinese); these tests read their English."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_the_connection_options_of_database_url_reach_the_backup_tools(monkeypatch) -> None:
    """sslmode=verify-full in DATABASE_URL holds for pg_dump, pg_restore and the backup's own
    connections, not only for Django's: a backup never reaches the server without it."""
    from django.db import connections

    from jingban.backup import tools

    settings_dict = dict(connections["default"].settings_dict)
    settings_dict["OPTIONS"] = {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/jingban/ca.pem",
        "connect_timeout": "5",
        "keepalives": "1",
    }
    monkeypatch.setattr(tools, "_db_settings", lambda: settings_dict)
    env = tools._tool_env()
    assert env["PGSSLMODE"] == "verify-full"
    assert env["PGSSLROOTCERT"] == "/etc/jingban/ca.pem"
    assert env["PGCONNECT_TIMEOUT"] == "5"
    seen: dict[str, object] = {}
    monkeypatch.setattr(tools.psycopg, "connect", lambda **kwargs: seen.update(kwargs))
    tools.connect("jingban")
    assert seen["sslmode"] == "verify-full" and seen["sslrootcert"] == "/etc/jingban/ca.pem"
    assert seen["keepalives"] == "1" and seen["application_name"] == "jingban-backup"

"""The embedded server under a loaded machine (what made
``test_a_database_never_migrated_is_not_a_pack_store`` fail once): the application database
is created even while something is connected to template1, no limit a slow start or shutdown
reaches before the program itself gives up, and a limit reached is the server's error, not a
traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from jingban import devdb


class Recorder:
    def __init__(self, *, expire: bool = False) -> None:
        self.calls: list[tuple[list[str], float]] = []
        self.expire = expire

    def __call__(self, args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((args, kwargs["timeout"]))
        if self.expire:
            raise subprocess.TimeoutExpired(args, kwargs["timeout"])
        if Path(args[0]).name == "initdb":
            Path(args[args.index("-D") + 1], "PG_VERSION").write_text("16\n")
        return subprocess.CompletedProcess(args, 0, "", "")


@pytest.fixture
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JINGBAN_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(devdb, "_as_root", lambda: False)
    return tmp_path


def test_start_waits_longer_than_a_minute_and_initdb_does_not_sync(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    monkeypatch.setattr(devdb.subprocess, "run", recorder)
    assert devdb.start() is True
    (initdb, initdb_limit), (pg_ctl, pg_ctl_limit) = recorder.calls
    assert Path(initdb[0]).name == "initdb" and "--no-sync" in initdb
    assert pg_ctl[-1] == "start"
    wait = int(pg_ctl[pg_ctl.index("-t") + 1])
    assert wait == devdb.PG_CTL_WAIT_SECONDS > 60
    assert initdb_limit > wait and pg_ctl_limit > wait  # pg_ctl says why before it is killed


def test_stop_waits_as_long_as_start(var: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(devdb.subprocess, "run", recorder)
    pids = iter([12345, None])
    monkeypatch.setattr(devdb, "_read_pid", lambda pgdata: next(pids))
    assert devdb.stop() is True
    [(pg_ctl, limit)] = recorder.calls
    assert pg_ctl[-1] == "stop" and "-w" in pg_ctl
    assert int(pg_ctl[pg_ctl.index("-t") + 1]) == devdb.PG_CTL_WAIT_SECONDS < limit


def test_a_program_that_overruns_its_limit_is_the_servers_error(
    var: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(devdb.subprocess, "run", Recorder(expire=True))
    with pytest.raises(devdb.EmbeddedDatabaseError, match=r"initdb did not finish within \d+"):
        devdb.start()


@pytest.mark.django_db
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the embedded server is not used")
def test_a_database_is_created_while_someone_is_connected_to_template1() -> None:
    """What an autovacuum worker does on a server just started: CREATE DATABASE copying
    template1 would wait five seconds for it and then fail."""
    import psycopg

    name = "jingban_devdb_probe"
    where = {"host": str(devdb.socket_dir()), "port": devdb.PORT, "user": devdb.SUPERUSER}
    with psycopg.connect(**where, dbname="postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        try:
            with psycopg.connect(**where, dbname="template1"):
                devdb.ensure_database(name)
                devdb.ensure_database(name)  # a second time: it exists, nothing happens
            found = admin.execute(
                "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = %s", [name]
            ).fetchall()
            assert found == [("UTF8",)]
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")

"""`jingban serve` and `jingban demo`: the production server unless JINGBAN_DEBUG, a worker beside
it, both stopped on the way out; no query string in the access log, no product in `Server:`."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from jingban import devdb, webserver
from jingban.config import ConfigError

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
# Ignores SIGTERM: only SIGKILL stops it.
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', "
    "flush=True); time.sleep(120)",
]
SERVE = [sys.executable, "-m", "jingban.cli", "serve", "--host", "127.0.0.1"]
FAILING = [sys.executable, "-c", "import sys, time; time.sleep(0.5); sys.exit(3)"]


# Which server


@pytest.mark.parametrize(("debug", "expected"), [(False, "production"), (True, "development")])
def test_serve_picks_the_production_server_unless_debug(
    debug: bool, expected: str, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DEBUG = debug
    calls: list[tuple[str, str, int, bool]] = []
    for kind in ("production", "development"):
        monkeypatch.setattr(
            webserver,
            f"serve_{kind}",
            lambda host, port, *, worker, kind=kind: calls.append((kind, host, port, worker)),
        )
    webserver.serve("127.0.0.1", 8123)
    webserver.serve("127.0.0.1", 8124, worker=False)
    assert calls == [(expected, "127.0.0.1", 8123, True), (expected, "127.0.0.1", 8124, False)]


def test_the_production_command_line() -> None:
    argv = webserver.production_command("0.0.0.0", 8080, workers=3, threads=4)  # noqa: S104

    assert argv[:3] == [sys.executable, "-m", "granian"]
    assert argv[-1] == "jingban.wsgi:application"

    def option(name: str) -> str:
        return argv[argv.index(name) + 1]

    assert option("--interface") == "wsgi"
    assert (option("--host"), option("--port")) == ("0.0.0.0", "8080")  # noqa: S104
    assert (option("--workers"), option("--blocking-threads")) == ("3", "4")
    assert option("--http") == "1"
    assert "--access-log" in argv
    access_format = option("--access-log-fmt")
    assert "%(path)s" in access_format
    assert "query" not in access_format  # never %(query_string)s
    assert "%(" not in access_format.replace("%(time)s", "").replace("%(addr)s", "").replace(
        "%(method)s", ""
    ).replace("%(path)s", "").replace("%(protocol)s", "").replace("%(status)d", "").replace(
        "%(dt_ms).1f", ""
    )  # no header atoms either (cookies, tokens)


def test_workers_and_threads_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JINGBAN_WEB_WORKERS", raising=False)
    monkeypatch.delenv("JINGBAN_WEB_THREADS", raising=False)
    monkeypatch.setattr(webserver.os, "cpu_count", lambda: 6)
    assert (webserver.web_workers(), webserver.web_threads()) == (6, 4)
    monkeypatch.setattr(webserver.os, "cpu_count", lambda: None)
    assert webserver.web_workers() == 1

    monkeypatch.setenv("JINGBAN_WEB_WORKERS", "5")
    monkeypatch.setenv("JINGBAN_WEB_THREADS", "2")
    assert (webserver.web_workers(), webserver.web_threads()) == (5, 2)

    monkeypatch.setenv("JINGBAN_WEB_WORKERS", "-1")
    with pytest.raises(ConfigError, match="JINGBAN_WEB_WORKERS must be 0"):
        webserver.web_workers()
    monkeypatch.setenv("JINGBAN_WEB_THREADS", "0")
    with pytest.raises(ConfigError, match="JINGBAN_WEB_THREADS must be 1 or more"):
        webserver.web_threads()


# Children: started, stopped, never left behind


def test_a_server_that_ends_by_itself_stops_the_worker_and_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        child = real_popen(*args, **kwargs)
        seen.append(child)
        return child

    monkeypatch.setattr(webserver, "worker_command", lambda: SLEEPER)
    monkeypatch.setattr(webserver, "production_command", lambda *a, **k: FAILING)
    monkeypatch.setattr(webserver.subprocess, "Popen", popen)

    with pytest.raises(webserver.CommandError, match="stopped with status 3"):
        webserver.serve_production("127.0.0.1", 8000)

    assert len(seen) == 2  # the worker, then the server
    assert seen[0].returncode == -signal.SIGTERM  # the worker was stopped, not left running
    assert seen[1].returncode == 3


def test_interrupting_the_production_server_stops_both(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        child = real_popen(*args, **kwargs)
        seen.append(child)
        if len(seen) == 2:
            real_wait = child.wait
            interrupted: list[bool] = []

            def wait(timeout: float | None = None) -> int:
                if not interrupted:
                    # Ctrl+C while serving: this process gets SIGINT (KeyboardInterrupt).
                    interrupted.append(True)
                    raise KeyboardInterrupt
                return real_wait(timeout)

            child.wait = wait  # type: ignore[method-assign]
        return child

    monkeypatch.setattr(webserver, "worker_command", lambda: SLEEPER)
    monkeypatch.setattr(webserver, "production_command", lambda *a, **k: SLEEPER)
    monkeypatch.setattr(webserver.subprocess, "Popen", popen)

    with pytest.raises(KeyboardInterrupt):
        webserver.serve_production("127.0.0.1", 8000)

    assert len(seen) == 2
    for child in seen:
        assert child.returncode == -signal.SIGTERM  # stopped and reaped: no orphan


def test_the_worker_is_stopped_when_the_development_server_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        child = real_popen(*args, **kwargs)
        seen.append(child)
        return child

    def runserver(*args: object, **kwargs: object) -> None:
        assert seen and seen[0].poll() is None  # the worker runs while the server does
        raise KeyboardInterrupt  # Ctrl+C

    monkeypatch.setattr(webserver, "worker_command", lambda: SLEEPER)
    monkeypatch.setattr(webserver.subprocess, "Popen", popen)
    monkeypatch.setattr(webserver, "call_command", runserver)

    with pytest.raises(KeyboardInterrupt):
        webserver.serve_development("127.0.0.1", 8000)

    assert len(seen) == 1
    assert seen[0].returncode is not None  # stopped and reaped: no orphan


def test_the_development_server_without_a_worker_starts_no_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(webserver, "call_command", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(webserver.subprocess, "Popen", None)  # would fail if called
    webserver.serve_development("127.0.0.1", 8001, worker=False)
    assert calls == [("runserver", "127.0.0.1:8001")]


def test_the_development_server_logs_no_query_string(monkeypatch: pytest.MonkeyPatch) -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("django.server")
    handler = Keep()
    logger.addHandler(handler)

    def runserver(*args: object, **kwargs: object) -> None:
        # As Django's request handler logs a request.
        logger.info('"%s" %s %s', "GET /persons/?q=110101199003071234 HTTP/1.1", "200", "5120")

    monkeypatch.setattr(webserver, "call_command", runserver)
    try:
        webserver.serve_development("127.0.0.1", 8001, worker=False)
        logger.info('"%s" %s %s', "GET /persons/?q=after HTTP/1.1", "200", "1")
    finally:
        logger.removeHandler(handler)
    assert records == [
        '"GET /persons/ HTTP/1.1" 200 5120',
        '"GET /persons/?q=after HTTP/1.1" 200 1',  # the filter goes with the server
    ]


def test_a_worker_that_ignores_sigterm_is_killed() -> None:
    with webserver.background_process(STUBBORN) as child:
        pass  # leaving at once: SIGTERM may even arrive before the handler is set
    assert child.returncode is not None
    child = subprocess.Popen(STUBBORN, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    webserver.stop_process(child, timeout=0.5)
    child.stdout.close()
    assert child.returncode == -9


def test_the_worker_command_is_jingban_worker_with_this_python() -> None:
    assert webserver.worker_command() == [sys.executable, "-m", "jingban.cli", "worker"]


# The real thing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, Message, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.status, response.headers, response.read().decode()


def _processes() -> dict[int, tuple[int, str]]:
    """Every live process: its parent and its command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue  # gone meanwhile
        fields = text[text.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            found[int(stat.parent.name)] = (int(fields[1]), command)
    return found


def _descendants(pid: int) -> dict[int, str]:
    processes = _processes()
    found: dict[int, str] = {}
    parents = {pid}
    while parents:
        children = {p for p, (ppid, _) in processes.items() if ppid in parents}
        found.update({p: processes[p][1] for p in children})
        parents = children
    return found


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="uses the embedded server")
def test_jingban_serve_runs_the_production_server_and_stops_cleanly(
    transactional_db: None, tmp_path: Path
) -> None:
    """`jingban serve` on a free loopback port against the test database: the sign-in page in
    Chinese, static files, no product in `Server:`, no query string in the access log; SIGTERM
    stops the server, its worker processes and the job worker, and the command exits 0."""
    port = _free_port()
    socket_dir = quote(str(devdb.socket_dir()), safe="")
    database = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://{devdb.SUPERUSER}@/{database}?host={socket_dir}"
        f"&port={devdb.PORT}&application_name=jingban-serve-test",
        "JINGBAN_SECRET_KEY": "serve-test-" + "k" * 40,
        "JINGBAN_PII_KEY": "serve-test-pii-" + "p" * 40,
        "JINGBAN_DEBUG": "false",
        "JINGBAN_ALLOWED_HOSTS": "127.0.0.1",
        "JINGBAN_WEB_WORKERS": "2",
        "JINGBAN_WEB_THREADS": "2",
        "JINGBAN_LANGUAGE": "zh-hans",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        command = subprocess.Popen(
            [*SERVE, "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                status, headers, text = _get(f"{base}/login/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert command.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        assert status == 200
        assert "登录" in text
        server = headers.get("Server", "")
        assert server == "jingban"
        assert not any(name in server.lower() for name in ("granian", "gunicorn", "python", "/"))
        assert _get(f"{base}/login/?q=110101199003071234")[0] == 200
        status, headers, text = _get(f"{base}/static/core/css/jingban.css")
        assert status == 200 and "text/css" in headers["Content-Type"]
        assert headers["Server"] == "jingban"
        children = _descendants(command.pid)
        commands = list(children.values())
        assert sum("granian" in c for c in commands) == 3  # Granian and its two workers
        assert sum(c.endswith("jingban.cli worker ") for c in commands) == 1, (
            commands,
            log.read_text(),
        )

        os.kill(command.pid, signal.SIGTERM)
        assert command.wait(timeout=60) == 0
    finally:
        if command.poll() is None:
            os.killpg(command.pid, signal.SIGKILL)
            command.wait()
    deadline = time.monotonic() + 10
    while set(children) & set(_processes()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert set(children) & set(_processes()) == set()  # nothing left behind
    output = log.read_text()
    assert "GET /login/ HTTP/1.1" in output  # the access log is there …
    assert "110101199003071234" not in output  # … without the query string

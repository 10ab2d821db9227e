"""`jingban serve` and `jingban demo` run a worker beside the server and stop it on the way out."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jingban import webserver

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
# Ignores SIGTERM: only SIGKILL stops it.
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', "
    "flush=True); time.sleep(120)",
]


def test_the_worker_is_stopped_when_the_server_ends(monkeypatch: pytest.MonkeyPatch) -> None:
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
        webserver.serve("127.0.0.1", 8000)

    assert len(seen) == 1
    assert seen[0].returncode is not None  # stopped and reaped: no orphan


def test_serve_without_a_worker_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(webserver, "call_command", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(webserver.subprocess, "Popen", None)  # would fail if called
    webserver.serve("127.0.0.1", 8001, worker=False)
    assert calls == [("runserver", "127.0.0.1:8001")]


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

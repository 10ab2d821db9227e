"""Serving the web app from the `jingban serve` and `jingban demo` commands, with a worker for the
background jobs running beside it."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence

from django.core.management import call_command

# How long a stopping worker may take (it lets a running job finish for a few seconds, then asks
# it to stop) before it is killed; a killed job's transaction is rolled back by PostgreSQL.
WORKER_STOP_SECONDS = 15.0


def worker_command() -> list[str]:
    """`jingban worker` in a child process, with this Python and this environment (the same
    JINGBAN_VAR_DIR and DATABASE_URL, so the same database)."""
    return [sys.executable, "-m", "jingban.cli", "worker"]


def _die_with_parent() -> None:
    """In the child, before it runs: on Linux, get SIGTERM when the parent dies, even killed
    with SIGKILL, so a worker is never left behind."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@contextlib.contextmanager
def background_process(argv: Sequence[str]) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``argv`` as a child for the duration of the block, then stop it: SIGTERM, a wait of
    ``WORKER_STOP_SECONDS``, then SIGKILL. Also on Ctrl+C and on any error in the block.

    The child has a session of its own, so Ctrl+C in the terminal reaches only this process,
    which then sends the child exactly one SIGTERM: a second signal would stop it at once.
    """
    child = subprocess.Popen(list(argv), start_new_session=True, preexec_fn=_die_with_parent)
    try:
        yield child
    finally:
        stop_process(child)


def stop_process(child: subprocess.Popen[bytes], timeout: float = WORKER_STOP_SECONDS) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    except KeyboardInterrupt:
        # A second Ctrl+C while waiting: stop at once.
        child.kill()
        child.wait()
        raise


def serve(host: str, port: int, *, worker: bool = True) -> None:
    """Django's server in one process without auto-reload, so the command that started the
    embedded database is the one that stops it; and, unless ``worker`` is False, `jingban
    worker` in a child process for as long as the server runs."""
    with _terminate_as_interrupt():
        if not worker:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
            return
        with background_process(worker_command()):
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager stopping the server) ends the server like Ctrl+C does, so the
    worker and the embedded database are stopped too instead of being left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

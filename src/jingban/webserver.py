"""Serving the web app from the `jingban serve` and `jingban demo` commands, with a worker for the
background jobs running beside it.

Without JINGBAN_DEBUG the app is served by Granian (docs/adr/0005-production-server.md): several
worker processes, each with a few threads, started as a child process of the command. Under
JINGBAN_DEBUG it is Django's development server, in this process.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from jingban.config import ConfigError, env_int

# How long a stopping worker may take (it lets a running job finish for a few seconds, then asks
# it to stop) before it is killed; a killed job's transaction is rolled back by PostgreSQL.
WORKER_STOP_SECONDS = 15.0
# How long the production server may take to finish the requests it is serving when asked to
# stop; then its workers are killed (SERVER_STOP_SECONDS), then the server itself.
SERVER_DRAIN_SECONDS = 20
SERVER_STOP_SECONDS = 30.0

# The access log: the path only, never the query string (a search by document number would put
# personal data into the log), no headers (cookies, tokens).
ACCESS_LOG_FORMAT = '[%(time)s] %(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1f'


def worker_command() -> list[str]:
    """`jingban worker` in a child process, with this Python and this environment (the same
    JINGBAN_VAR_DIR and DATABASE_URL, so the same database)."""
    return [sys.executable, "-m", "jingban.cli", "worker"]


def web_workers() -> int:
    """JINGBAN_WEB_WORKERS, or by default one process per CPU core: a request is mostly Python
    holding its process's interpreter, so more processes than cores only take turns (see the
    ADR's figures), while the threads of each process cover its waits on the database."""
    workers = env_int("JINGBAN_WEB_WORKERS")
    if workers < 0:
        raise ConfigError(f"JINGBAN_WEB_WORKERS must be 0 (automatic) or more, not {workers}")
    return workers or max(os.cpu_count() or 1, 1)


def web_threads() -> int:
    threads = env_int("JINGBAN_WEB_THREADS")
    if threads < 1:
        raise ConfigError(f"JINGBAN_WEB_THREADS must be 1 or more, not {threads}")
    return threads


def production_command(host: str, port: int, *, workers: int, threads: int) -> list[str]:
    """Granian serving the WSGI app: HTTP/1.1 only (a reverse proxy terminates TLS and HTTP/2 in
    front of it), an access log without query strings, crashed workers started again."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--http",
        "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        str(SERVER_DRAIN_SECONDS),
        "--log-level",
        "info",
        "--access-log",
        "--access-log-fmt",
        ACCESS_LOG_FORMAT,
        "jingban.wsgi:application",
    ]


def _die_with_parent() -> None:
    """In the child, before it runs: on Linux, get SIGTERM when the parent dies, even killed
    with SIGKILL, so a worker is never left behind."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@contextlib.contextmanager
def background_process(
    argv: Sequence[str], timeout: float = WORKER_STOP_SECONDS
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``argv`` as a child for the duration of the block, then stop it: SIGTERM, a wait of
    ``timeout`` seconds, then SIGKILL. Also on Ctrl+C and on any error in the block.

    The child has a session of its own, so Ctrl+C in the terminal reaches only this process,
    which then sends the child exactly one SIGTERM: a second signal would stop it at once.
    """
    child = subprocess.Popen(list(argv), start_new_session=True, preexec_fn=_die_with_parent)
    try:
        yield child
    finally:
        stop_process(child, timeout)


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
    """Serve until Ctrl+C or SIGTERM, with `jingban worker` in a child process beside the server
    unless ``worker`` is False. The production server unless JINGBAN_DEBUG is set."""
    if settings.DEBUG:
        serve_development(host, port, worker=worker)
    else:
        serve_production(host, port, worker=worker)


def serve_production(host: str, port: int, *, worker: bool = True) -> None:
    """Granian in a child process, for as long as it runs. On Ctrl+C or SIGTERM it gets one
    SIGTERM: it stops accepting connections, finishes the requests under way (at most
    ``SERVER_DRAIN_SECONDS``) and exits; then the job worker is stopped the same way. If the
    server ends by itself (the port is taken, say), the worker is stopped and the command fails.
    """
    argv = production_command(host, port, workers=web_workers(), threads=web_threads())
    with _terminate_as_interrupt(), contextlib.ExitStack() as children:
        # Stopped in reverse order: the server first, so no request is left without its worker.
        if worker:
            children.enter_context(background_process(worker_command()))
        server = children.enter_context(background_process(argv, SERVER_STOP_SECONDS))
        code = server.wait()
    if code != 0:
        raise CommandError(f"the web server stopped with status {code}", returncode=1)


def serve_development(host: str, port: int, *, worker: bool = True) -> None:
    """Django's server in one process without auto-reload, so the command that started the
    embedded database is the one that stops it; and, unless ``worker`` is False, `jingban
    worker` in a child process for as long as the server runs."""
    with _terminate_as_interrupt(), _no_query_strings_in("django.server"):
        if not worker:
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
            return
        with background_process(worker_command()):
            call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)


class QueryStringFilter(logging.Filter):
    """Cuts the query string out of a logged request line ("GET /persons/?q=… HTTP/1.1")."""

    _QUERY = re.compile(r"\?[^ \"]*")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._QUERY.sub("", value) if isinstance(value, str) else value
                for value in record.args
            )
        return True


@contextlib.contextmanager
def _no_query_strings_in(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    query_filter = QueryStringFilter()
    logger.addFilter(query_filter)
    try:
        yield
    finally:
        logger.removeFilter(query_filter)


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

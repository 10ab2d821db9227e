"""`jingban serve`: serve the web app, with the background-job worker beside it.

The production server (Granian, JINGBAN_WEB_WORKERS processes of JINGBAN_WEB_THREADS threads)
unless JINGBAN_DEBUG is set; then Django's development server, in one process without
auto-reload. With the embedded database it stops the server on exit when this command started
it. Ctrl+C or SIGTERM stops everything gracefully.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jingban.config import env_int, env_str
from jingban.webserver import serve


class Command(BaseCommand):
    help = "Serve the web application on JINGBAN_HOST:JINGBAN_PORT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=env_str("JINGBAN_HOST"))
        parser.add_argument("--port", type=int, default=env_int("JINGBAN_PORT"))
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a background-job worker (one runs elsewhere).",
        )

    def handle(self, *args: Any, host: str, port: int, no_worker: bool, **options: Any) -> None:
        serve(host, port, worker=not no_worker)

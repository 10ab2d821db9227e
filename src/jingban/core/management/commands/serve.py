"""`jingban serve`: serve the web app (Django's server, single process, no auto-reload).

With the embedded database it stops the server on exit when this command started it.
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

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        serve(host, port)

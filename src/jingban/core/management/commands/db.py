"""`jingban db start|stop|status`: the embedded development database."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingban import devdb


class Command(BaseCommand):
    help = "Start, stop or show the embedded PostgreSQL server (development, demo, tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if not settings.EMBEDDED_DATABASE:
            raise CommandError("DATABASE_URL is set: the embedded server is not used.")
        try:
            if action == "start":
                started = devdb.start()
                devdb.ensure_database(str(settings.DATABASES["default"]["NAME"]))
                self.stdout.write("started" if started else "already running")
            elif action == "stop":
                self.stdout.write("stopped" if devdb.stop() else "not running")
        except devdb.EmbeddedDatabaseError as err:
            raise CommandError(str(err)) from err
        state = devdb.status()
        self.stdout.write(
            f"running={state.running} pid={state.pid} data={state.data_dir} "
            f"socket={state.socket_dir}"
        )

"""`jingban demo`: migrate, load the demo city, print the demo accounts, and serve.

Run twice, it reuses what exists. ``--no-serve`` prepares and exits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingban.config import env_int, env_str
from jingban.core.roles import ROLE_LABELS
from jingban.demo import ACCOUNTS, build_world
from jingban.webserver import serve


class Command(BaseCommand):
    help = "Prepare the demo city and serve the web app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--host", default=env_str("JINGBAN_HOST"))
        parser.add_argument("--port", type=int, default=env_int("JINGBAN_PORT"))

    def handle(
        self,
        *args: Any,
        persons: int,
        seed: int,
        no_serve: bool,
        host: str,
        port: int,
        **options: Any,
    ) -> None:
        if persons < 1:
            raise CommandError("--persons must be at least 1")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("calendar", "seed", verbosity=0)
        world = build_world(persons=persons, seed=seed, var_dir=settings.VAR_DIR)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(world.persons)} insured persons. Accounts (username / password):"
            )
        )
        for username, display, role, *_rest in ACCOUNTS:
            self.stdout.write(
                f"  {username:<10} {world.passwords[username]:<14} {ROLE_LABELS[role]} · {display}"
            )
        if no_serve:
            return
        self.stdout.write(f"Serving on http://{host}:{port}/ — press Ctrl+C to stop.")
        serve(host, port)

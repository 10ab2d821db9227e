"""`jingban demo`: migrate, load the demo city, print the demo accounts, and serve.

Run twice, it reuses what exists. ``--no-serve`` prepares and exits.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jingban.config import env_int, env_str
from jingban.core.errors import DomainError
from jingban.core.roles import ROLE_LABELS
from jingban.demo.world import ACCOUNTS, DEFAULT_PERSONS, DEFAULT_SEED, build_world
from jingban.registry.models import Person
from jingban.webserver import serve


class Command(BaseCommand):
    help = "Prepare the demo city and serve the web app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=DEFAULT_PERSONS,
            help="Insured persons of the demo city, on its first run.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Seed of the synthetic city, on its first run.",
        )
        parser.add_argument("--no-serve", action="store_true", help="Prepare, then exit.")
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
            raise CommandError(
                _("--persons must be at least 1 (got %(value)s).") % {"value": persons},
                returncode=2,
            )
        if seed < 0:
            raise CommandError(
                _("--seed must be 0 or more (got %(value)s).") % {"value": seed}, returncode=2
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("calendar", "seed", verbosity=0)
        first_run = not Person.objects.exists()
        if first_run:
            self.stdout.write(
                _("Generating the demo city (%(persons)s persons)…") % {"persons": f"{persons:,}"}
            )
        try:
            world = build_world(persons=persons, seed=seed, var_dir=settings.VAR_DIR)
        except DomainError as err:
            # A shipped pack changed under an existing demo database, for instance.
            raise CommandError(str(err.message)) from err
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo ready: %(count)s insured persons. Accounts (username / password):")
                % {"count": f"{len(world.persons):,}"}
            )
        )
        for username, display, role, *_rest in ACCOUNTS:
            self.stdout.write(
                f"  {username:<10} {world.passwords[username]:<14} {ROLE_LABELS[role]} · {display}"
            )
        if no_serve:
            return
        self.stdout.write(
            _("Serving on http://%(host)s:%(port)s/ — press Ctrl+C to stop.")
            % {"host": host, "port": port}
        )
        serve(host, port)

"""`jingban config`: every environment variable the application reads, with its value now."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from jingban.config import VARIABLES

_SECRET = {"JINGBAN_SECRET_KEY", "JINGBAN_AUDIT_KEY", "DATABASE_URL"}


class Command(BaseCommand):
    help = "List the configuration variables, their defaults and current values."

    def handle(self, *args: Any, **options: Any) -> None:
        for variable in VARIABLES.values():
            value = os.environ.get(variable.name)
            if value is None:
                shown = f"(default) {variable.default!r}"
            elif variable.name in _SECRET:
                shown = "(set, hidden)"
            else:
                shown = repr(value)
            self.stdout.write(f"{variable.name} = {shown}\n    {variable.help}")

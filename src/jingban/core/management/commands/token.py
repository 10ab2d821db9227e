"""`jingban token create USERNAME --name NAME`: issue an API token (printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingban.core.models import User
from jingban.core.services.accounts import issue_api_token


class Command(BaseCommand):
    help = "Issue an API bearer token for a user. The token is printed once and not stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, action: str, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        self.stdout.write(issue_api_token(user, name=name, acting_user=None))

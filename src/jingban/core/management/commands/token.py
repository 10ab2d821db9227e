"""`jingban token create USERNAME [--name NAME] [--days N]`: issue an API token (printed once).
`jingban token revoke ID`: revoke one (as the system). Tokens are listed on /tokens/."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingban.core.errors import NotFound, ValidationFailed
from jingban.core.models import User
from jingban.core.services.accounts import issue_api_token, revoke_api_token


class Command(BaseCommand):
    help = (
        "Issue an API bearer token for a user (printed once, only its digest is stored), "
        "or revoke one by its id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke"])
        parser.add_argument("target", help="create: the user name; revoke: the token's id")
        parser.add_argument("--name", default="cli")
        parser.add_argument(
            "--days", type=int, default=None, help="Lifetime in days (default JINGBAN_TOKEN_DAYS)"
        )

    def handle(
        self, *args: Any, action: str, target: str, name: str, days: int | None, **options: Any
    ) -> None:
        if action == "revoke":
            self._revoke(target)
            return
        user = User.objects.filter(username=target, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {target!r}")
        try:
            self.stdout.write(issue_api_token(user, name=name, acting_user=None, days=days))
        except ValidationFailed as error:
            raise CommandError("; ".join(str(m) for m in error.fields.get("days", []))) from None

    def _revoke(self, target: str) -> None:
        if not target.isdigit() or len(target) > 18:
            raise CommandError(f"no API token with id {target!r}")
        try:
            token = revoke_api_token(int(target), acting_user=None)
        except NotFound:
            raise CommandError(f"no API token with id {target!r}") from None
        self.stdout.write(f"token {token.pk} ({token.prefix}…) is revoked")

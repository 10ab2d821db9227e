"""`jingban gateway USERNAME`: give a hospital account a gateway identity for the signature
headers of the national hospital interface, printing its paasid and secret once (a second run
issues a new secret and invalidates the old one). `jingban gateway USERNAME --revoke` withdraws
it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingban.core.models import User
from jingban.medical.national.auth import CALL_CAPABILITY, issue_credential, revoke_credential


class Command(BaseCommand):
    help = (
        "Issue a hospital account's gateway credential (x-tif-paasid and its secret) for the "
        "national hospital interface; printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="withdraw the credential")

    def handle(self, *args: Any, username: str, revoke: bool, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if revoke:
            if not revoke_credential(user, acting_user=None):
                raise CommandError(f"{username!r} has no gateway credential in force")
            self.stdout.write(f"the gateway credential of {username} is revoked")
            return
        if not user.is_active:
            raise CommandError(f"no active user named {username!r}")
        if not user.can(CALL_CAPABILITY):
            raise CommandError(f"{username!r} may not use the hospital interface")
        paasid, secret = issue_credential(user, acting_user=None)
        self.stdout.write(f"x-tif-paasid: {paasid}\nsecret: {secret}")

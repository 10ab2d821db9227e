"""`jingban gateway USERNAME`: give a hospital account a gateway identity for the signature
headers of the national hospital interface, printing its paasid and secret once (a second run
issues a new secret and invalidates the old one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingban.core.models import User
from jingban.medical.national.auth import CALL_CAPABILITY, issue_credential


class Command(BaseCommand):
    help = (
        "Issue a hospital account's gateway credential (x-tif-paasid and its secret) for the "
        "national hospital interface; printed once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        if not user.can(CALL_CAPABILITY):
            raise CommandError(f"{username!r} may not use the hospital interface")
        paasid, secret = issue_credential(user, acting_user=None)
        self.stdout.write(f"x-tif-paasid: {paasid}\nsecret: {secret}")

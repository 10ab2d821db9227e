"""Named personas, built from the demo world (small): 经办员 wang, 审核员 sun, 评估员 li,
稽核员 zhao, 机构 kangning, 护理员 zhou, 参保人 chen, 监督 qian, admin. Their scope is Suzhou
(320500); persons in Nanjing (320100) are outside every scope but admin's.

The world is built once per test database (``tests/conftest.py``: ``django_db_setup``) and
committed; each test runs in a transaction that is rolled back, so it finds the world as built
and leaves it so. A test that flushes the database (``transaction=True``, the browser tests' live
server) finds none, and the fixture builds the world inside that test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from jingban.core.models import User
from jingban.demo.world import ACCOUNTS, World, build_world, demo_passwords
from jingban.registry.models import Person

NANJING = "320100/"


@dataclass
class Personas:
    world: World

    def user(self, username: str) -> User:
        return self.world.users[username]

    def client(self, username: str, *, language: str = "zh-hans") -> Client:
        client = Client(enforce_csrf_checks=False)
        client.force_login(self.user(username))
        if language != self.user(username).language:
            User.objects.filter(username=username).update(language=language)
        return client

    @property
    def in_scope_person(self) -> Person:
        """A Suzhou person that is not the insured persona's own record."""
        return next(
            p for p in self.world.persons if "320500/" in p.region.path and p.account_id is None
        )

    @property
    def out_of_scope_person(self) -> Person:
        return next(p for p in self.world.persons if NANJING in p.region.path)

    @property
    def own_person(self) -> Person:
        return next(p for p in self.world.persons if p.account_id == self.user("chen").pk)


# The tests' world: small, fixed, and fast to sign in to (MD5 hashes, test-only).
WORLD_SIZE = {"persons": 24, "seed": 7}
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def current_world() -> World:
    """The demo world in the test database: the one built for the session when it is there
    (a few reads), else a new one (a test whose database was flushed)."""
    admin = User.objects.filter(username="admin").first()
    if admin is None or not Person.objects.exists():
        return build_world(**WORLD_SIZE, var_dir=None)
    names = [username for username, *_ in ACCOUNTS]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    return World(
        admin=admin,
        users={name: users[name] for name in names},
        passwords=demo_passwords(None),
        persons=list(Person.objects.select_related("region").order_by("id")),
    )


@pytest.fixture
def personas(db, settings) -> Personas:
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return Personas(current_world())

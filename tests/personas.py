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

import psycopg
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


# The session's world as it was built, table by table in PostgreSQL's COPY format (taken by
# ``tests/conftest.py`` right after building it): a test whose database was flushed gets it
# back from here in a few COPY statements instead of building it again.
WORLD_SNAPSHOT: dict[str, bytes] = {}


def take_snapshot() -> None:
    """Copy every table of the built world into ``WORLD_SNAPSHOT``."""
    from django.db import connection

    WORLD_SNAPSHOT.clear()
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table in tables:
            data = bytearray()
            with raw.copy(f'COPY "{table}" TO STDOUT') as copy:
                for block in copy:
                    data += block
            if data:
                WORLD_SNAPSHOT[table] = bytes(data)


def restore_snapshot() -> bool:
    """Put the session's world back into a flushed database; False when there is none to put
    back or the database refuses it (nothing is then changed)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import DatabaseError, connection, transaction

    if not WORLD_SNAPSHOT:
        return False
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The rows go back as they were: no trigger fires (the history tables' triggers
            # would record the copy as new events, and foreign keys are checked at no point of
            # a copy of rows that were consistent). This needs the database's superuser, which
            # the embedded server's tests connect as; without it the world is built again.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            raw = cursor.cursor
            for table, data in WORLD_SNAPSHOT.items():
                with raw.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(data)
            # With the many-to-many tables: an insert there that met a stale sequence would be
            # dropped without a word (Django adds their rows ignoring conflicts).
            models = apps.get_models(include_auto_created=True)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    except (DatabaseError, psycopg.Error):
        return False
    return True


def current_world() -> World:
    """The demo world in the test database: the one built for the session when it is there
    (a few reads); else, in a test whose database was flushed, the session's world copied back
    (or built again when there is no copy)."""
    admin = User.objects.filter(username="admin").first()
    if (admin is None or not Person.objects.exists()) and not restore_snapshot():
        return build_world(**WORLD_SIZE, var_dir=None)
    admin = User.objects.filter(username="admin").first()
    if admin is None:
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

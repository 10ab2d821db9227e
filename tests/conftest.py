"""Test session set-up: the embedded PostgreSQL, hypothesis profiles, the audit anchor file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import pytest_django
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from jingban import devdb
from jingban.demo.world import build_world

# Fixed example budgets so a CI run takes the same time every time.
hypothesis_settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", max_examples=30, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_started_embedded = False


def _is_xdist_worker(config: pytest.Config) -> bool:
    """True in a pytest-xdist worker process (``-n 2``): the controller owns the server."""
    return hasattr(config, "workerinput")


def pytest_sessionstart(session: pytest.Session) -> None:
    """The embedded server is started once, by the controller (or the only process), before any
    worker starts: each worker then makes its own test database on it (``test_jingban_gw0`` …)."""
    global _started_embedded
    if os.environ.get("DATABASE_URL") or _is_xdist_worker(session.config):
        return
    _started_embedded = devdb.start()
    devdb.ensure_database("jingban")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _started_embedded and not _is_xdist_worker(session.config):
        devdb.stop()


@pytest.fixture(autouse=True)
def _audit_anchor_file(settings, tmp_path: Path) -> None:
    """Each test writes anchors to its own file, never to the development one."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.log"


pytest_plugins = ["tests.personas"]


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None,
    django_db_blocker: pytest_django.DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The test database, with the tests' demo world built once and committed: building it
    for every test was most of the suite's time. Each test's transaction is rolled back, so
    every test starts from the same world (``tests/personas.py``)."""
    from django.test import override_settings

    from tests.personas import FAST_HASHERS, WORLD_SIZE, take_snapshot

    anchors = tmp_path_factory.mktemp("session-world") / "anchors.log"
    _WORLD_SETTINGS.update(PASSWORD_HASHERS=FAST_HASHERS, AUDIT_ANCHOR_FILE=anchors)
    with django_db_blocker.unblock(), override_settings(**_WORLD_SETTINGS):
        _PRISTINE.update(_table_rows())
        build_world(**WORLD_SIZE, var_dir=None)
        take_snapshot()


# The settings the session's world is built with (a world built again uses them too).
_WORLD_SETTINGS: dict[str, object] = {}


# The rows a new installation holds before anything is done in it (content types, permissions,
# what the migrations write), table by table: ``empty_database`` puts them back.
_PRISTINE: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}


def _table_rows() -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        ):
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = cursor.fetchall()
            if rows:
                found[table] = ([c.name for c in cursor.description], rows)
    return found


@pytest.fixture
def empty_database(db: None) -> None:
    """This test starts from a new installation's database, without the session's world: every
    table is emptied and given back what the migrations put in it, inside the test's
    transaction, so the world is back for the next test."""
    from django.db import connection

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table, (columns, rows) in _PRISTINE.items():
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _flushes(item: pytest.Item) -> bool:
    """A test whose database is emptied after it (``transaction=True``, a live server)."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


_world_flushed = False


@pytest.fixture(autouse=True)
def _empty_database_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """A test that commits starts, as it always did, from an empty database: the first one
    empties the session's world (they run after the others, see below)."""
    global _world_flushed
    if _world_flushed or not _flushes(request.node):
        return
    from django.core.management import call_command

    request.getfixturevalue("django_db_blocker")
    with request.getfixturevalue("django_db_blocker").unblock():
        call_command("flush", interactive=False, verbosity=0)
    _world_flushed = True


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Two test runs on one server can keep apart with JINGBAN_TEST_DB_SUFFIX=anything."""
    from django.conf import settings as django_settings

    suffix = os.environ.get("JINGBAN_TEST_DB_SUFFIX", "")
    if suffix:
        test = django_settings.DATABASES["default"].setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_jingban'}_{suffix}"


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in getattr(
        item, "fixturenames", ()
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that does not commit, coming after one that emptied the database, gets the
    session's world back first, committed, before its own transaction starts (its fixtures are
    set up after this hook). The order below makes that rare (never, in one process); with
    several workers, or a test picked out by name, it keeps every test independent of the
    order in which the tests run."""
    global _world_flushed
    if not _world_flushed or _flushes(item) or not _uses_database(item):
        return
    from django.test import override_settings
    from pytest_django.plugin import blocking_manager_key

    from tests.personas import WORLD_SIZE, restore_snapshot

    with item.config.stash[blocking_manager_key].unblock():
        if not restore_snapshot():
            with override_settings(**_WORLD_SETTINGS):
                build_world(**WORLD_SIZE, var_dir=None)
    _world_flushed = False


# Browser tests that take longest (a walk through every page of a role) start first among the
# browser tests, so that two workers finish together rather than one waiting on the last walk.
_LONG_BROWSER_TESTS = ("test_no_page_scrolls_sideways", "test_every_page_of_every_role_passes_axe")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that commit run after the others, since the first of them empties the session's
    world; browser tests run last: Playwright's synchronous API keeps an event loop running in
    the main thread for the rest of the session, which code that starts its own loop (the job
    worker's ``asyncio.run``) cannot share; and the quick tests report first. The order is the
    same in every xdist worker (``--dist load`` hands the tests out in this order, so each
    worker runs its share in it too)."""

    def is_browser(item: pytest.Item) -> bool:
        return item.get_closest_marker("browser") is not None or "browser" in item.path.parts

    def is_long(item: pytest.Item) -> bool:
        return getattr(item, "originalname", item.name) in _LONG_BROWSER_TESTS

    items.sort(key=lambda item: (is_browser(item), _flushes(item), not is_long(item)))

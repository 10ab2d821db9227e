"""Test session set-up: the embedded PostgreSQL, hypothesis profiles, the audit anchor file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from jingban import devdb

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
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Two test runs on one server can keep apart with JINGBAN_TEST_DB_SUFFIX=anything."""
    from django.conf import settings as django_settings

    suffix = os.environ.get("JINGBAN_TEST_DB_SUFFIX", "")
    if suffix:
        test = django_settings.DATABASES["default"].setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_jingban'}_{suffix}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's synchronous API keeps an event loop running in the
    main thread for the rest of the session, which code that starts its own loop (the job
    worker's ``asyncio.run``) cannot share; and the quick tests report first."""

    def is_browser(item: pytest.Item) -> bool:
        return item.get_closest_marker("browser") is not None or "browser" in item.path.parts

    items.sort(key=is_browser)

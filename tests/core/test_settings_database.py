"""DATABASE_URL: the connection and its libpq options (TLS above all) reach the connection."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.db.backends.postgresql.base import DatabaseWrapper

from jingban import devdb
from jingban.config import ConfigError
from jingban.settings import _database_from_url

TLS_URL = (
    "postgresql://jingban:secret@db.example.org:6543/jingban"
    "?sslmode=verify-full&sslrootcert=/etc/jingban/ca.pem"
    "&sslcert=/etc/jingban/client.crt&sslkey=/etc/jingban/client.key"
    "&connect_timeout=10&application_name=jingban-web"
    "&options=-c%20statement_timeout%3D30000&target_session_attrs=read-write"
)


def test_the_query_options_arrive_in_options_as_written() -> None:
    db = _database_from_url(TLS_URL)

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example.org", "6543", "jingban")
    assert (db["USER"], db["PASSWORD"]) == ("jingban", "secret")
    assert db["OPTIONS"] == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/jingban/ca.pem",
        "sslcert": "/etc/jingban/client.crt",
        "sslkey": "/etc/jingban/client.key",
        "connect_timeout": "10",  # text, as libpq takes it: not turned into 10
        "application_name": "jingban-web",
        "options": "-c statement_timeout=30000",
        "target_session_attrs": "read-write",
    }


def test_django_hands_the_options_to_libpq() -> None:
    params = DatabaseWrapper({**_database_from_url(TLS_URL), **_django_defaults()})
    connect = params.get_connection_params()

    assert connect["sslmode"] == "verify-full"
    assert connect["sslrootcert"] == "/etc/jingban/ca.pem"
    assert connect["options"] == "-c statement_timeout=30000"
    assert (connect["host"], connect["port"], connect["user"]) == (
        "db.example.org",
        "6543",
        "jingban",
    )


def _django_defaults() -> dict[str, Any]:
    return {
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "TEST": {},
    }


def test_options_take_effect_on_a_real_connection() -> None:
    """The embedded server through a URL of libpq's own form (the socket directory as ?host=):
    the server sees the application name and the session option the URL carries."""
    url = (
        f"postgresql://{devdb.SUPERUSER}@/postgres?host={quote(str(devdb.socket_dir()), safe='')}"
        f"&port={devdb.PORT}&application_name=jingban-url-test"
        "&options=-c%20statement_timeout%3D4321"
    )
    db = _database_from_url(url)
    assert db["HOST"] == str(devdb.socket_dir())
    params = DatabaseWrapper({**db, **_django_defaults()}).get_connection_params()
    with psycopg.connect(**params) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() == ("4321ms",)
        assert conn.execute("SHOW application_name").fetchone() == ("jingban-url-test",)


def test_percent_encoded_user_and_password_are_decoded() -> None:
    db = _database_from_url("postgres://j%40b:p%40ss%3Aw%2Frd%20x@10.0.0.5/jing%20ban")

    assert (db["USER"], db["PASSWORD"]) == ("j@b", "p@ss:w/rd x")
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("10.0.0.5", "", "jing ban")
    assert db["OPTIONS"] == {}


@pytest.mark.parametrize(
    "url",
    [
        "mysql://u:hunter2@db/jingban",
        "sqlite:///var/jingban.sqlite3",
        "pgsql://u:hunter2@db/jingban",
        "db.example.org:5432/jingban",
        "",
    ],
)
def test_other_schemes_are_refused_without_echoing_the_url(url: str) -> None:
    with pytest.raises(ConfigError, match="must start with postgresql://") as err:
        _database_from_url(url)
    assert "hunter2" not in str(err.value)


def test_an_unknown_option_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="'ssl_mode' is not a PostgreSQL connection parameter"):
        _database_from_url("postgresql://u:hunter2@db/jingban?ssl_mode=require")
    # Django's own OPTIONS keys are not libpq's: not through the URL either.
    with pytest.raises(ConfigError, match="'isolation_level'"):
        _database_from_url("postgresql://u@db/jingban?isolation_level=1")


def test_an_option_given_twice_is_refused() -> None:
    with pytest.raises(ConfigError, match="'sslmode' is given more than once"):
        _database_from_url("postgresql://u@db/jingban?sslmode=disable&sslmode=verify-full")


def test_a_malformed_url_says_what_to_encode_without_echoing_it() -> None:
    with pytest.raises(ConfigError, match="percent-encode") as err:
        _database_from_url("postgresql://u:hunter2@db:notaport/jingban")
    assert "hunter2" not in str(err.value)


def test_the_settings_refuse_a_bad_url_at_start_up() -> None:
    """Set in the environment, a bad DATABASE_URL stops the settings from loading, naming what is
    wrong: the application never starts on a connection without the options it was given."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://u:hunter2@db/jingban?sslmode=verify-full&sslrotcert=/ca.pem",
        "JINGBAN_SECRET_KEY": "x" * 50,
        "JINGBAN_PII_KEY": "p" * 50,
    }
    done = subprocess.run(
        [sys.executable, "-c", "import jingban.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "'sslrotcert' is not a PostgreSQL connection parameter" in done.stderr
    assert "hunter2" not in done.stderr

    env["DATABASE_URL"] = TLS_URL
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from jingban import settings as s; d = s.DATABASES['default']; "
            "print(d['OPTIONS']['sslmode'], d['OPTIONS']['sslrootcert'], d['CONN_MAX_AGE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.split() == ["verify-full", "/etc/jingban/ca.pem", "60"]

"""Resolving ``--policy ID[@VERSION]`` for the command line: from the database when one is
configured, from the shipped files otherwise.

"Configured" means ``DATABASE_URL`` is set or the embedded server has a data directory (a
``jingban demo`` or ``migrate`` has run here). In ``auto`` mode a pack id the database has no
approved version of falls back to the shipped file of that id; ``database`` never falls back and
``files`` never touches a database, so ``jingban adjudicate`` works on a machine without one.

A spec that ends in ``.yaml`` or ``.yml`` is a pack file read as it is (a draft being tried out
before it is imported, say); it must load like any other pack.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from jingban.engine.policy import (
    PackRegistry,
    PolicyPack,
    UnknownPack,
    load_pack_file,
    parse_spec,
)
from jingban.engine.policy import shipped_registry as shipped


class PackSource(StrEnum):
    AUTO = "auto"
    FILES = "files"
    DATABASE = "database"


def database_configured() -> bool:
    if os.environ.get("DATABASE_URL"):
        return True
    from jingban import devdb

    return (devdb.data_dir() / "PG_VERSION").exists()


@contextmanager
def _database() -> Iterator[None]:
    """The database, started for the duration when it is the embedded one and not running."""
    started = False
    if not os.environ.get("DATABASE_URL"):
        from jingban import devdb

        started = devdb.start()
        devdb.ensure_database("jingban")
    try:
        yield
    finally:
        if started:
            from django.db import connections

            connections.close_all()
            from jingban import devdb

            devdb.stop()


def resolve_specs(specs: Sequence[str], source: PackSource = PackSource.AUTO) -> list[PolicyPack]:
    """The packs named by ``specs``, in order. Raises ``UnknownPack`` or ``BadPackSpec`` for a
    spec that names nothing, and ``PackError`` when a shipped file is broken (``PackTampered``,
    a ``PackError``, when a stored version no longer matches its hash)."""
    source = PackSource(source)  # "database" as a plain string compares by identity below
    files = {spec: load_pack_file(Path(spec)) for spec in specs if _is_file(spec)}
    parsed = [(spec, *parse_spec(spec)) for spec in specs if spec not in files]
    use_database = bool(parsed) and (
        source is PackSource.DATABASE or (source is PackSource.AUTO and database_configured())
    )
    database: PackRegistry | None = None
    if use_database:
        with _database():
            database = _approved_or_none(source)
    found = dict(files)
    for spec, pack_id, version in parsed:
        if database is not None and pack_id in database.ids():
            found[spec] = database.get(pack_id, version)
        elif source is PackSource.DATABASE:
            raise UnknownPack(spec, database.ids() if database else ())
        else:
            found[spec] = shipped().get(pack_id, version)
    return [found[spec] for spec in specs]


def _approved_or_none(source: PackSource) -> PackRegistry | None:
    """The approved versions; in auto mode nothing (so the files are used) when the database
    was never migrated: a server started once and left empty is not a pack store."""
    from django.db import connection

    from jingban.packs.models import PackVersion
    from jingban.packs.queries import approved_registry

    if source is PackSource.AUTO:
        if PackVersion._meta.db_table not in connection.introspection.table_names():
            return None
    return approved_registry()


def _is_file(spec: str) -> bool:
    return spec.endswith((".yaml", ".yml"))

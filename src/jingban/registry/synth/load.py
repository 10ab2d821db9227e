"""Load a generated city into PostgreSQL: COPY in one transaction, all or nothing.

- Reference data first, through the services: missing regions, schemes and special groups.
- Tables are written one after the other as the generator produces them (``frames`` may be a
  mapping whose lookups wait for a frame still being drawn), so the first COPYs overlap the
  generation of the later tables.
- Ids come from each table's own sequence: the loader reserves a range (``nextval`` then
  ``setval``) while it holds a SHARE ROW EXCLUSIVE lock on the five tables, so no concurrent insert
  can take an id inside the range, and maps the generator's person and household keys onto it.
- Rows go in with ``COPY … FROM STDIN (FORMAT binary)`` (``jingban.core.pgcopy``), encoded in
  chunks while a writer thread sends the previous one.
- A large city (``_REBUILD_FROM`` persons or more) is an initial load: tables that are empty, with
  every table referring to them, are TRUNCATEd first in the same transaction, so their COPY can
  skip the write-ahead log (``wal_level = minimal``) and freeze its rows (``COPY … FREEZE``);
  large tables have their secondary indexes (and an unreferenced primary key) set aside and
  rebuilt once their rows are in.
- Row-history triggers (django-pghistory) are off during the load: the initial state of a
  synthetic city is origin data, recorded by one action-log row per table with its row count and
  digest; every later change is tracked as usual. As a superuser the loader sets
  ``session_replication_role = replica`` for the load, which also skips the per-row foreign-key
  triggers; it checks instead that every reference lies in the reserved ranges or in reference
  rows it has locked with FOR KEY SHARE. Otherwise it disables only the tables' user triggers and
  lets the foreign keys check every row. See docs/adr/0003-synthetic-city.md.
- A registry holds one synthetic city: the loader refuses when the city's households or persons
  are already there, before writing any of their rows (the unique indexes are the last word: a
  collision during COPY rolls the whole load back with the same message).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.utils.translation import gettext as _
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

from jingban.core.actionlog import log_bulk
from jingban.core.errors import Conflict
from jingban.core.models import Region, Scheme, User
from jingban.core.pgcopy import BinaryRows, column_types
from jingban.core.services import reference
from jingban.core.services.reference import RegionRow
from jingban.registry.documents import mask_document
from jingban.registry.models import SpecialGroup
from jingban.registry.services import ensure_special_groups
from jingban.registry.synth.reference import SCHEMES

Progress = Callable[[int], None]

_CHUNK = 100_000  # rows per piece of COPY data (about 6 MB for enrollments, 18 MB for persons)
# Below this many rows a table keeps its indexes during a load: rebuilding them would cost more
# than it saves. A city of this many persons counts as an initial load and TRUNCATEs the empty
# tables first. Smaller loads (the tests', the default demo's) take no exclusive locks.
_REBUILD_FROM = 100_000
_TABLES = {
    # frame name: (table, action code of its log row)
    "households": ("registry_household", "registry.household.imported"),
    "persons": ("registry_person", "registry.person.imported"),
    "household_members": ("registry_householdmember", "registry.household_member.imported"),
    "enrollments": ("registry_enrollment", "registry.enrollment.imported"),
    "memberships": ("registry_groupmembership", "registry.membership.imported"),
}


class CityAlreadyLoaded(Conflict):
    code = "synth_city_exists"


def _already_loaded(example: str) -> CityAlreadyLoaded:
    return CityAlreadyLoaded(
        _(
            "This registry already holds a synthetic city (%(example)s is already registered). "
            "A synthetic city is loaded once into a registry; nothing was written."
        )
        % {"example": example}
    )


def _example(detail: str) -> str:
    """The duplicated value of a unique violation ("Key (…)=(resident_id, 3205…) already
    exists."), masked when it is a document number."""
    value = detail.split("=(", 1)[-1].split(")", 1)[0].split(", ")[-1]
    return mask_document("resident_id", value) if len(value) == 18 else value


def _ensure_reference(regions: pl.DataFrame, acting_user: User | None) -> None:
    """Create the regions, schemes and special groups the city needs and the registry lacks."""
    existing = dict(Region.objects.values_list("code", "name"))
    missing = [
        RegionRow(row["code"], row["name"], row["level"], row["parent_code"])
        for row in regions.iter_rows(named=True)
        if row["code"] not in existing
    ]
    if missing:
        reference.import_regions(missing, acting_user=acting_user)
    schemes = set(Scheme.objects.values_list("code", flat=True))
    for code, kind, name_zh, name_en in SCHEMES:
        if code not in schemes:
            reference.create_scheme(
                code=code, kind=kind, name_zh=name_zh, name_en=name_en, acting_user=acting_user
            )
    ensure_special_groups(acting_user=acting_user)


def _refuse_households(cursor: object, households: pl.DataFrame) -> None:
    """The quick check, before anything is written: a city loaded before shares its first and
    last households with this one (numbers depend on places, hardly on the seed)."""
    numbers = households["number"]
    probe = pl.concat([numbers.head(50), numbers.tail(50)]).to_list()
    found = cursor.execute(  # type: ignore[attr-defined]
        "SELECT number FROM registry_household WHERE number = ANY(%s) LIMIT 1", [probe]
    ).fetchone()
    if found:
        raise _already_loaded(found[0])


def _refuse_persons(cursor: object, persons: pl.DataFrame) -> None:
    """The same for the first and last persons' documents (which depend on places and dates),
    before the persons are written."""
    documents = persons["document_number"]
    probe = pl.concat([documents.head(500), documents.tail(500)]).to_list()
    found = cursor.execute(  # type: ignore[attr-defined]
        "SELECT document_number FROM registry_person "
        "WHERE document_type = 'resident_id' AND document_number = ANY(%s) LIMIT 1",
        [probe],
    ).fetchone()
    if found:
        raise _already_loaded(mask_document("resident_id", found[0]))


def _reserve_ids(cursor: object, table: str, count: int) -> int:
    """The first id of ``count`` consecutive ids taken from the table's sequence."""
    execute = cursor.execute  # type: ignore[attr-defined]
    (sequence,) = execute("SELECT pg_get_serial_sequence(%s, 'id')", [table]).fetchone()
    (first,) = execute("SELECT nextval(%s)", [sequence]).fetchone()
    if count > 1:
        execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return int(first)


def _superuser(cursor: object) -> bool:
    row = cursor.execute(  # type: ignore[attr-defined]
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    return bool(row and row[0])


def _history_off(cursor: object, *, replica: bool) -> None:
    execute = cursor.execute  # type: ignore[attr-defined]
    if replica:
        execute("SET LOCAL session_replication_role = replica")
        return
    # Foreign keys are deferred until commit by default: check them at each COPY instead, so
    # no trigger event is pending when the triggers are switched back on.
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, _action in _TABLES.values():
        execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(sql.Identifier(table)))


def _history_on(cursor: object, *, replica: bool) -> None:
    execute = cursor.execute  # type: ignore[attr-defined]
    if replica:
        execute("SET LOCAL session_replication_role = origin")
        return
    for table, _action in _TABLES.values():
        execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER USER").format(sql.Identifier(table)))


def _lock_referenced(cursor: object, table: str, ids: list[int]) -> None:
    """What a foreign-key check would do: keep the referenced rows from being deleted."""
    cursor.execute(  # type: ignore[attr-defined]
        sql.SQL("SELECT id FROM {} WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE").format(
            sql.Identifier(table)
        ),
        [ids],
    )


def _empty(cursor: object, table: str) -> bool:
    row = cursor.execute(  # type: ignore[attr-defined]
        sql.SQL("SELECT NOT EXISTS (SELECT FROM {})").format(sql.Identifier(table))
    ).fetchone()
    return bool(row[0])


def _referencing(cursor: object, tables: list[str]) -> dict[str, set[str]]:
    """Each table with every table whose foreign keys refer to it, directly or not (itself
    included): what a TRUNCATE of it must name too."""
    found = cursor.execute(  # type: ignore[attr-defined]
        """
        WITH RECURSIVE referencing (root, rel) AS (
            SELECT t::regclass, t::regclass FROM unnest(%s::text[]) AS t
            UNION
            SELECT r.root, c.conrelid::regclass
            FROM pg_constraint AS c JOIN referencing AS r ON c.confrelid = r.rel
            WHERE c.contype = 'f'
        )
        SELECT root_class.relname, rel_class.relname
        FROM referencing
        JOIN pg_class AS root_class ON root_class.oid = referencing.root
        JOIN pg_class AS rel_class ON rel_class.oid = referencing.rel
        """,
        [tables],
    ).fetchall()
    closure: dict[str, set[str]] = {table: {table} for table in tables}
    for root, rel in found:
        closure[root].add(rel)
    return closure


def _settle_deferred_checks(cursor: object, tables: list[str]) -> None:
    """Run now the deferred foreign-key checks of rows this transaction already wrote into
    ``tables`` (PostgreSQL refuses to TRUNCATE or ALTER a table with pending trigger events, as
    when the demo registers a few persons before the city in the same transaction), then defer
    those constraints again."""
    found = cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT n.nspname, c.conname
        FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.condeferrable AND c.condeferred
        ORDER BY 1, 2
        """,
        [tables],
    ).fetchall()
    if found:
        names = sql.SQL(", ").join(sql.Identifier(schema, name) for schema, name in found)
        cursor.execute(sql.SQL("SET CONSTRAINTS {} IMMEDIATE").format(names))  # type: ignore[attr-defined]
        cursor.execute(sql.SQL("SET CONSTRAINTS {} DEFERRED").format(names))  # type: ignore[attr-defined]


def _truncate_empty(cursor: object, tables: list[str]) -> set[str]:
    """TRUNCATE those of ``tables`` that are empty, together with the (empty) tables referring
    to them, and return them. A table emptied this way in the load's transaction gets new files,
    so its COPY can skip the write-ahead log (with ``wal_level = minimal``) and freeze its rows
    (``COPY … FREEZE``). TRUNCATE takes ACCESS EXCLUSIVE locks until commit, so only a large
    initial load does this; emptiness is checked again once the locks are held, so no row is
    ever removed."""
    closure = _referencing(cursor, tables)
    everything = sorted(set().union(*closure.values()))
    _settle_deferred_checks(cursor, everything)
    empty = {table for table in everything if _empty(cursor, table)}
    wanted = [table for table in tables if closure[table] <= empty]
    if not wanted:
        return set()
    locked = sorted(set().union(*(closure[table] for table in wanted)))
    cursor.execute(  # type: ignore[attr-defined]
        sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            sql.SQL(", ").join(map(sql.Identifier, locked))
        )
    )
    still_empty = {table for table in locked if _empty(cursor, table)}
    truncated = {table for table in wanted if closure[table] <= still_empty}
    if truncated:
        named = sorted(set().union(*(closure[table] for table in truncated)))
        cursor.execute(  # type: ignore[attr-defined]
            sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.Identifier, named)))
        )
    return truncated


def _rows_for_copy(
    name: str, frame: pl.DataFrame, maps: dict[str, dict[str, int]], now: dt.datetime
) -> pl.DataFrame:
    """The frame in the table's column names, with codes mapped to ids and keys in place of ids
    (``_with_ids`` adds the reserved ranges' starts). Runs in a helper thread while the previous
    table's indexes are built."""
    timestamp = pl.lit(now, dtype=pl.Datetime("us", "UTC"))
    row_ids = pl.int_range(0, pl.len(), dtype=pl.Int64)

    def code_to_id(column: str, mapping: str) -> pl.Expr:
        return pl.col(column).replace_strict(maps[mapping], return_dtype=pl.Int64)

    if name == "households":
        return frame.select(
            id="household",
            number="number",
            address="address",
            created_at=timestamp,
            region_id=code_to_id("region_code", "regions"),
        )
    if name == "persons":
        return frame.select(
            id="person",
            document_type="document_type",
            document_number="document_number",
            name="name",
            sex="sex",
            birth_date="birth_date",
            phone="phone",
            address="address",
            death_date="death_date",
            created_at=timestamp,
            updated_at=timestamp,
            region_id=code_to_id("region_code", "regions"),
        )
    if name == "household_members":
        return frame.select(
            id=row_ids,
            household_id="household",
            person_id="person",
            relation="relation",
            joined_on="joined_on",
            left_on="left_on",
        )
    if name == "enrollments":
        # In the order of the unique (person, scheme, year) index, which is then built from
        # presorted rows (the frame is in scheme code order, the ids follow creation order).
        return (
            frame.select(
                person_id="person",
                scheme_id=code_to_id("scheme", "schemes"),
                year="year",
                status="status",
                since="since",
            )
            .sort("person_id", "scheme_id", "year")
            .select(row_ids.alias("id"), pl.all())
        )
    if name == "memberships":
        return frame.select(
            id=row_ids,
            person_id="person",
            group_id=code_to_id("group", "groups"),
            valid_from="valid_from",
            valid_to="valid_to",
        )
    raise ValueError(f"no table for {name}")


def _with_ids(name: str, rows: pl.DataFrame, starts: dict[str, int]) -> pl.DataFrame:
    """Keys turned into ids: each table's keys are offset by the start of its reserved range."""
    offsets = {
        "id": starts[name],
        "person_id": starts.get("persons"),
        "household_id": starts.get("households"),
    }
    return rows.with_columns(
        pl.col(column) + start
        for column, start in offsets.items()
        if start is not None and column in rows.columns
    )


def _within(column: pl.Series, size: int) -> bool:
    values = column.to_numpy()
    return len(values) == 0 or (int(values.min()) >= 0 and int(values.max()) < size)


def _check_references(name: str, frame: pl.DataFrame, sizes: dict[str, int]) -> None:
    """Every person and household a row refers to lies in the city (so in the reserved range):
    ``sizes`` holds the number of persons and of households."""
    if name == "persons" and frame.height != sizes["persons"]:
        raise ValueError(f"the city has {frame.height} persons, not {sizes['persons']}")
    if "person" in frame.columns and name != "persons":
        if not _within(frame["person"], sizes["persons"]):
            raise ValueError(f"{name} refers to a person outside the city")
    if "household" in frame.columns and name != "households":
        if not _within(frame["household"], sizes["households"]):
            raise ValueError(f"{name} refers to a household outside the city")


@dataclass(frozen=True)
class _Index:
    name: str
    constraint: str | None
    definition: str


def _set_aside_indexes(cursor: object, table: str, rows: int) -> list[_Index]:
    """Drop the table's indexes before a load that at least doubles the table, and return them
    to be rebuilt after it: building an index once is several times faster than inserting
    millions of entries one by one (4.9 million enrollment ids: 0.8 s to build, 1.6 s more COPY
    to maintain). An index a foreign key relies on stays (the primary key of persons and
    households, which other tables refer to); an unreferenced primary key is set aside like the
    others. The rebuild enforces uniqueness again, in the same transaction, so no constraint is
    ever given up."""
    execute = cursor.execute  # type: ignore[attr-defined]
    if rows < _REBUILD_FROM:
        return []
    (present,) = execute(
        sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT %s) AS present").format(
            sql.Identifier(table)
        ),
        [rows],
    ).fetchone()
    if present >= rows:
        return []
    found = execute(
        """
        SELECT index_class.relname, own.conname,
               coalesce(pg_get_constraintdef(own.oid), pg_get_indexdef(i.indexrelid))
        FROM pg_index AS i
        JOIN pg_class AS index_class ON index_class.oid = i.indexrelid
        LEFT JOIN pg_constraint AS own
               ON own.conindid = i.indexrelid AND own.conrelid = i.indrelid
              AND own.contype IN ('u', 'p', 'x')
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint AS fk
              WHERE fk.contype = 'f' AND fk.conindid = i.indexrelid
          )
        ORDER BY index_class.relname
        """,
        [table],
    ).fetchall()
    indexes = [_Index(name, constraint, definition) for name, constraint, definition in found]
    for index in indexes:
        if index.constraint:
            execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(index.constraint)
                )
            )
        else:
            execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index.name)))
    return indexes


def _rebuild_indexes(cursor: object, table: str, indexes: list[_Index]) -> None:
    execute = cursor.execute  # type: ignore[attr-defined]
    if indexes:
        execute("SET LOCAL maintenance_work_mem = '512MB'")
    for index in indexes:
        # The definitions come from the catalog (pg_get_constraintdef, pg_get_indexdef).
        definition = sql.SQL(index.definition)
        if index.constraint:
            execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.Identifier(table), sql.Identifier(index.constraint), definition
                )
            )
        else:
            execute(definition)


def _copy(cursor: object, table: str, frame: pl.DataFrame, *, freeze: bool) -> None:
    """COPY the frame into the table in binary format, encoded chunk by chunk while a writer
    thread sends the previous chunk (FREEZE when the table was emptied in this transaction)."""
    rows = BinaryRows(frame, column_types(cursor, table))
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary{})").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, rows.columns)),
        sql.SQL(", FREEZE" if freeze else ""),
    )
    writer = QueuedLibpqWriter(cursor)  # type: ignore[arg-type]
    with cursor.copy(statement, writer=writer) as copy:  # type: ignore[attr-defined]
        for _count, data in rows.chunks(_CHUNK):
            copy.write(data)


class _Clock:
    """Seconds per phase, added up into ``phases``."""

    def __init__(self, phases: dict[str, float]) -> None:
        self.phases = phases
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - self.last
        self.last = now


def load_frames(
    frames: Mapping[str, pl.DataFrame],
    *,
    persons: int,
    table_digests: Callable[[], dict[str, str]],
    reason: str,
    acting_user: User | None = None,
    progress: Progress | None = None,
    phases: dict[str, float] | None = None,
    copied: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write a generated city of ``persons`` persons into the registry in one transaction.
    ``frames`` is read table by table in ``_TABLES`` order (a lookup may wait for the generator);
    ``table_digests`` is called after the rows are in (so the digests can be computed meanwhile)
    for the action-log rows; ``copied(name)`` is called when a table's rows are sent, before its
    indexes are built, and ``progress(rows)`` once the table is complete (never during a COPY,
    so it may use the database connection). ``phases`` receives the seconds spent per phase.
    Returns the rows written per table. Raises ``CityAlreadyLoaded``."""
    clock = _Clock({} if phases is None else phases)
    counts: dict[str, int] = {}
    with transaction.atomic():
        _ensure_reference(frames["regions"], acting_user)
        maps = {
            "regions": dict(Region.objects.values_list("code", "id")),
            "schemes": dict(Scheme.objects.values_list("code", "id")),
            "groups": dict(SpecialGroup.objects.values_list("code", "id")),
        }
        clock.lap("reference")
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            households = frames["households"]
            clock.lap("wait households")
            _refuse_households(cursor, households)
            names = [table for table, _action in _TABLES.values()]
            # Setting indexes aside and truncating both need the tables free of pending checks.
            _settle_deferred_checks(cursor, names)
            truncated = _truncate_empty(cursor, names) if persons >= _REBUILD_FROM else set()
            cursor.execute(
                sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(
                    sql.SQL(", ").join(map(sql.Identifier, names))
                )
            )
            for table, mapping in (
                ("core_region", "regions"),
                ("core_scheme", "schemes"),
                ("registry_specialgroup", "groups"),
            ):
                _lock_referenced(cursor, table, sorted(maps[mapping].values()))
            (now,) = cursor.execute("SELECT now()").fetchone()
            replica = _superuser(cursor)
            _history_off(cursor, replica=replica)
            clock.lap("truncate and lock")
            sizes = {"persons": persons, "households": households.height}
            starts: dict[str, int] = {}
            order = list(_TABLES)
            # Prepares the next table while the indexes of the current one are built.
            helper = ThreadPoolExecutor(max_workers=1)

            def prepare(name: str) -> Future[pl.DataFrame]:
                return helper.submit(lambda: _rows_for_copy(name, frames[name], maps, now))

            prepared = prepare(order[0])
            try:
                for position, name in enumerate(order):
                    table = _TABLES[name][0]
                    frame = frames[name]
                    clock.lap(f"wait {name}")
                    _check_references(name, frame, sizes)
                    if name == "persons":
                        _refuse_persons(cursor, frame)
                    starts[name] = _reserve_ids(cursor, table, frame.height)
                    rows = _with_ids(name, prepared.result(), starts)
                    set_aside = _set_aside_indexes(cursor, table, rows.height)
                    clock.lap(f"prepare {name}")
                    _copy(cursor, table, rows, freeze=table in truncated)
                    clock.lap(f"copy {name}")
                    del rows
                    if copied:
                        copied(name)
                    if position + 1 < len(order):
                        prepared = prepare(order[position + 1])
                    _rebuild_indexes(cursor, table, set_aside)
                    clock.lap(f"index {name}")
                    counts[name] = frame.height
                    if progress:
                        # Between statements: the callback may use the connection.
                        progress(frame.height)
            except pg_errors.UniqueViolation as err:
                raise _already_loaded(_example(err.diag.message_detail or "")) from err
            finally:
                # After a failure, never wait for a frame that may not come.
                helper.shutdown(wait=len(counts) == len(order), cancel_futures=True)
            _history_on(cursor, replica=replica)
        digests = table_digests()
        clock.lap("digest wait")
        for name, (_table, action) in _TABLES.items():
            log_bulk(
                acting_user=acting_user,
                action=action,
                object_type=action.rsplit(".", 1)[0],
                rows=counts[name],
                digest=digests[name],
                reason=reason,
            )
    clock.lap("log and commit")
    return counts

"""Loading a synthetic city into PostgreSQL, or writing it to Parquet: counts, foreign keys,
action log, history, the one-city rule, and the same digest either way."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.db import connection

from jingban.core import plugins
from jingban.core.actionlog import seal_pending, verify
from jingban.core.models import ActionLog, Region
from jingban.registry.models import (
    Enrollment,
    GroupMembership,
    Household,
    HouseholdMember,
    Person,
)
from jingban.registry.services import PersonInput, update_person
from jingban.registry.synth import generate_city, load
from jingban.registry.synth.digest import digests
from jingban.registry.synth.files import read_city
from jingban.registry.synth.generate import generate_frames

PERSONS = 2_000
SEED = 42
TABLES = {
    "households": Household,
    "persons": Person,
    "household_members": HouseholdMember,
    "enrollments": Enrollment,
    "memberships": GroupMembership,
}
# Every foreign key the loader fills, checked with an anti-join (the load skips the per-row
# triggers as a superuser, so this is what proves them).
FOREIGN_KEYS = [
    ("registry_person", "region_id", "core_region"),
    ("registry_household", "region_id", "core_region"),
    ("registry_householdmember", "household_id", "registry_household"),
    ("registry_householdmember", "person_id", "registry_person"),
    ("registry_enrollment", "person_id", "registry_person"),
    ("registry_enrollment", "scheme_id", "core_scheme"),
    ("registry_groupmembership", "person_id", "registry_person"),
    ("registry_groupmembership", "group_id", "registry_specialgroup"),
]


def _counts() -> tuple[int, ...]:
    return (*(model.objects.count() for model in TABLES.values()), ActionLog.objects.count())


def _dangling(table: str, column: str, target: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} AS t LEFT JOIN {target} AS r ON r.id = t.{column} "
            f"WHERE r.id IS NULL"
        )
        return cursor.fetchone()[0]


def _indexes() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'registry_%%'"
        )
        return set(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_load_writes_every_row_with_its_references_and_one_log_row_per_table() -> None:
    result = generate_city(PERSONS, SEED)
    for name, model in TABLES.items():
        assert model.objects.count() == result.counts[name] > 0, name
    assert result.counts["persons"] == PERSONS
    for table, column, target in FOREIGN_KEYS:
        assert _dangling(table, column, target) == 0, (table, column)
    frames = generate_frames(PERSONS, SEED)
    _city, tables = digests(frames)
    for name in TABLES:
        (entry,) = ActionLog.objects.filter(
            action__in=[action for _table, action in [load._TABLES[name]]]
        )
        assert entry.after == {"rows": result.counts[name], "digest": tables[name]}
        assert "seed=42" in entry.reason
    # The household of a person in the database is the one generated.
    person = Person.objects.order_by("id").first()
    assert person is not None
    row = frames["persons"].row(0, named=True)
    assert (person.document_number, person.name, person.region.code) == (
        row["document_number"],
        row["name"],
        row["region_code"],
    )
    heads = HouseholdMember.objects.filter(relation="head", left_on__isnull=True).count()
    assert heads == Household.objects.count()
    seal_pending()
    assert verify().ok


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_the_load_writes_no_history_but_leaves_it_on(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    generate_city(300, SEED)
    assert Person.pgh_event_model.objects.count() == 0  # type: ignore[attr-defined]
    assert Enrollment.pgh_event_model.objects.count() == 0  # type: ignore[attr-defined]
    person = Person.objects.select_related("region").order_by("id").first()
    assert person is not None
    from jingban.demo.world import build_world

    admin = build_world(persons=1, var_dir=None).admin  # accounts and reference data only
    update_person(
        person,
        PersonInput(
            document_type=person.document_type,
            document_number=person.document_number,
            name=person.name + "华",
            region_code=person.region.code,
            phone=person.phone,
            address=person.address,
        ),
        acting_user=admin,
    )
    assert Person.pgh_event_model.objects.filter(pgh_obj=person).count() == 1  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_second_city_is_refused_and_nothing_changes() -> None:
    generate_city(500, SEED)
    before = _counts()
    with pytest.raises(load.CityAlreadyLoaded) as same_seed:
        generate_city(500, SEED)
    assert "H3201" in str(same_seed.value.message)
    with pytest.raises(load.CityAlreadyLoaded):
        generate_city(800, SEED + 1)
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_collision_the_quick_check_misses_rolls_everything_back() -> None:
    frames = generate_frames(3_000, SEED)
    middle = frames["persons"].row(1_500, named=True)
    load._ensure_reference(frames["regions"], None)
    region = Region.objects.get(code=middle["region_code"])
    Person.objects.create(
        document_type="resident_id",
        document_number=middle["document_number"],
        name="占位",
        sex=middle["sex"],
        birth_date=middle["birth_date"],
        region=region,
    )
    before = _counts()
    with pytest.raises(load.CityAlreadyLoaded) as refused:
        generate_city(3_000, SEED)
    masked = middle["document_number"][:6] + "********" + middle["document_number"][-4:]
    assert masked in str(refused.value.message)
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_without_superuser_rights_the_foreign_keys_check_every_row(monkeypatch) -> None:
    monkeypatch.setattr(load, "_superuser", lambda cursor: False)
    result = generate_city(400, SEED)
    assert Person.objects.count() == result.counts["persons"]
    assert Person.pgh_event_model.objects.count() == 0  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'registry_person'::regclass "
            "AND NOT tgisinternal AND tgenabled = 'D'"
        )
        assert cursor.fetchone()[0] == 0  # switched back on


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_large_load_rebuilds_the_indexes_it_set_aside(monkeypatch) -> None:
    monkeypatch.setattr(load, "_REBUILD_FROM", 1)
    before = _indexes()
    dropped: list[str] = []
    set_aside = load._set_aside_indexes

    def spy(cursor, table, rows):  # type: ignore[no-untyped-def]
        indexes = set_aside(cursor, table, rows)
        dropped.extend(index.name for index in indexes)
        return indexes

    monkeypatch.setattr(load, "_set_aside_indexes", spy)
    generate_city(600, SEED)
    assert "person_document_unique" in dropped and "household_one_open_head" in dropped
    assert _indexes() == before
    # The rebuilt unique index still refuses a duplicate.
    person = Person.objects.order_by("id").first()
    assert person is not None
    with pytest.raises(Exception, match="person_document_unique"):
        Person.objects.create(
            document_type=person.document_type,
            document_number=person.document_number,
            name="重复",
            sex=person.sex,
            birth_date=person.birth_date,
            region=person.region,
        )


def test_parquet_files_hold_the_same_city(tmp_path: Path) -> None:
    result = generate_city(PERSONS, SEED, out=tmp_path / "city")
    frames, manifest = read_city(tmp_path / "city")
    assert {name: frame.height for name, frame in frames.items()} == result.counts
    assert manifest["digest"] == result.digest == digests(frames)[0]
    assert manifest["counts"] == result.counts and manifest["seed"] == SEED
    assert digests(generate_frames(PERSONS, SEED))[0] == result.digest
    persons = pl.read_parquet(tmp_path / "city" / "persons.parquet")
    assert persons.schema["birth_date"] == pl.Date and persons.height == PERSONS


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_large_initial_load_truncates_only_empty_tables_and_keeps_every_row(
    monkeypatch,
) -> None:
    monkeypatch.setattr(load, "_REBUILD_FROM", 1)
    truncated: list[set[str]] = []
    truncate = load._truncate_empty

    def spy(cursor: object, tables: list[str]) -> set[str]:
        done = truncate(cursor, tables)
        truncated.append(done)
        return done

    monkeypatch.setattr(load, "_truncate_empty", spy)
    frames = generate_frames(700, SEED)
    load._ensure_reference(frames["regions"], None)
    someone = Person.objects.create(
        document_type="passport",
        document_number="E12345678",
        name="Walk-in",
        sex="F",
        birth_date="1990-01-01",
        region=Region.objects.get(code=frames["persons"]["region_code"][0]),
    )
    before = _indexes()
    result = generate_city(700, SEED)
    # Persons had a row, so neither persons nor anything referring to it was truncated; the
    # other tables were empty and nothing refers to them but each other.
    assert truncated == [
        {
            "registry_household",
            "registry_householdmember",
            "registry_enrollment",
            "registry_groupmembership",
        }
    ]
    assert Person.objects.filter(pk=someone.pk).exists()
    assert Person.objects.count() == result.counts["persons"] + 1
    for name, model in TABLES.items():
        if name != "persons":
            assert model.objects.count() == result.counts[name], name
    for table, column, target in FOREIGN_KEYS:
        assert _dangling(table, column, target) == 0, (table, column)
    assert _indexes() == before
    # Ids follow the sequences: a row added through the ORM afterwards gets the next one.
    enrollment = Enrollment.objects.order_by("-id").first()
    assert enrollment is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM registry_enrollment_id_seq")
        assert cursor.fetchone()[0] == enrollment.id


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_an_initial_load_into_an_empty_registry_truncates_all_five_tables(monkeypatch) -> None:
    monkeypatch.setattr(load, "_REBUILD_FROM", 1)
    truncated: list[set[str]] = []
    truncate = load._truncate_empty

    def spy(cursor: object, tables: list[str]) -> set[str]:
        truncated.append(truncate(cursor, tables))
        return truncated[-1]

    monkeypatch.setattr(load, "_truncate_empty", spy)
    result = generate_city(500, SEED)
    assert truncated == [{table for table, _action in load._TABLES.values()}]
    frames = generate_frames(500, SEED)
    persons = pl.DataFrame(
        list(Person.objects.order_by("id").values_list("document_number", "name", "death_date")),
        schema=["document_number", "name", "death_date"],
        orient="row",
    )
    assert persons.equals(frames["persons"].select("document_number", "name", "death_date"))
    for table, column, target in FOREIGN_KEYS:
        assert _dangling(table, column, target) == 0, (table, column)
    assert result.counts["enrollments"] == Enrollment.objects.count()


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_rows_written_earlier_in_the_transaction_do_not_block_setting_indexes_aside(
    monkeypatch, settings
) -> None:
    # The demo registers 陈秀英 and the walk-ins, with their enrollment, in the transaction that
    # then loads the city: their foreign-key checks are still pending when the loader alters the
    # tables, which PostgreSQL refuses unless the checks are run first.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(load, "_REBUILD_FROM", 500)
    from jingban.demo.world import build_world

    world = build_world(persons=300, var_dir=None)
    assert len(world.persons) == 300 + plugins.demo_persons()
    assert Enrollment.objects.count() >= 500
    for table, column, target in FOREIGN_KEYS:
        assert _dangling(table, column, target) == 0, (table, column)


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_a_generator_failure_midway_rolls_the_load_back(monkeypatch) -> None:
    # The tables are written while the later ones are still drawn: a failure while drawing the
    # enrollments comes after households and persons were copied, and undoes them (the
    # truncation included); the registry is then as before and takes the city.
    monkeypatch.setattr(load, "_REBUILD_FROM", 1)
    before, indexes = _counts(), _indexes()
    from jingban.registry.synth import coverage

    enrollments = coverage.enrollments

    def broken(*args: object, **kwargs: object) -> pl.DataFrame:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(coverage, "enrollments", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        generate_city(300, SEED)
    assert _counts() == before
    assert _indexes() == indexes
    monkeypatch.setattr(coverage, "enrollments", enrollments)
    result = generate_city(300, SEED)
    assert Person.objects.count() == result.counts["persons"] == 300

"""The synthetic city in memory: determinism, the shares of the data file, valid and unique
documents, and plausible households. No database."""

from __future__ import annotations

import math
import random

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from jingban.registry.documents import parse_document
from jingban.registry.synth.data import DATA_FILE, city_data, parse_city_data
from jingban.registry.synth.digest import digests
from jingban.registry.synth.generate import generate_frames

PERSONS = 50_000
DATA = city_data()


@pytest.fixture(scope="module")
def city() -> dict[str, pl.DataFrame]:
    return generate_frames(PERSONS, 11)


def _age(frame: pl.DataFrame) -> pl.Expr:
    reference = pl.lit(DATA.reference_date)
    return (reference - pl.col("birth_date")).dt.total_days() / 365.2425


def test_same_seed_same_digest_and_another_seed_another() -> None:
    first, first_tables = digests(generate_frames(3_000, 5))
    again, again_tables = digests(generate_frames(3_000, 5))
    other, _ = digests(generate_frames(3_000, 6))
    assert first == again and first_tables == again_tables
    assert other != first
    assert len(first) == 64


def test_digest_ignores_row_order(city: dict[str, pl.DataFrame]) -> None:
    shuffled = {
        name: frame.sample(fraction=1.0, shuffle=True, seed=3) for name, frame in city.items()
    }
    assert digests(shuffled)[0] == digests(city)[0]
    changed = dict(city)
    changed["persons"] = city["persons"].with_columns(
        pl.when(pl.col("person") == 7).then(pl.lit("某某")).otherwise(pl.col("name")).alias("name")
    )
    assert digests(changed)[0] != digests(city)[0]


def test_counts_add_up(city: dict[str, pl.DataFrame]) -> None:
    assert city["persons"].height == PERSONS
    assert city["household_members"].height == PERSONS
    assert city["household_members"]["person"].n_unique() == PERSONS


def test_age_pyramid_and_sex_ratio_follow_the_data_file(city: dict[str, pl.DataFrame]) -> None:
    persons = city["persons"].with_columns(age=_age(city["persons"]).floor().cast(pl.Int64))
    bands = DATA.population.pyramid.bands
    total = sum(male + female for _start, _end, male, female in bands)
    for start, end, male, female in bands:
        for sex, count in (("M", male), ("F", female)):
            share = persons.filter(pl.col("age").is_between(start, end) & (pl.col("sex") == sex))
            assert abs(share.height / PERSONS - count / total) < 0.004, (start, sex)
    groups = DATA.population.age_groups
    for low, high, expected in (
        (0, 14, groups.share_0_14),
        (15, 59, groups.share_15_59),
        (60, 200, groups.share_60_plus),
        (65, 200, groups.share_65_plus),
    ):
        observed = persons.filter(pl.col("age").is_between(low, high)).height / PERSONS * 100
        assert abs(observed - expected) < 0.6, (low, high, observed)
    males = persons.filter(pl.col("sex") == "M").height
    ratio = males / (PERSONS - males) * 100
    assert abs(ratio - DATA.population.sex_ratio.males_per_100_females) < 2.5


def test_household_sizes_average_the_census(city: dict[str, pl.DataFrame]) -> None:
    households = city["households"].height
    mean = PERSONS / households
    assert abs(mean - DATA.households.mean_size) < 0.05
    sizes = city["household_members"].group_by("household").len()["len"]
    for size, share in DATA.households.size_distribution.shares[:4]:
        observed = (sizes == size).sum() / households
        assert abs(observed - share) < 0.02, size


def test_special_group_shares(city: dict[str, pl.DataFrame]) -> None:
    members = city["memberships"].group_by("group").len()
    observed = dict(members.iter_rows())
    for group in DATA.special_groups.groups:
        design = DATA.households.mean_size if group.unit == "household" else 1
        tolerance = 4 * math.sqrt(group.share * (1 - group.share) * design / PERSONS)
        assert abs(observed.get(group.code, 0) / PERSONS - group.share) < tolerance, group.code
    # tekun only from its minimum age up.
    tekun = (
        city["memberships"].filter(pl.col("group") == "tekun").join(city["persons"], on="person")
    )
    assert tekun.select((_age(tekun) >= 60).all()).item()


def test_enrollment_shares(city: dict[str, pl.DataFrame]) -> None:
    rules = DATA.enrollment
    persons = city["persons"].with_columns(age=_age(city["persons"]))
    enrollments = city["enrollments"].join(persons, on="person")
    for year in DATA.years:
        rows = enrollments.filter(pl.col("year") == year)
        basic = rows.filter(pl.col("scheme").is_in(["employee_medical", "resident_medical"]))
        assert basic["person"].n_unique() == basic.height  # one basic scheme per person
        assert abs(basic.height / PERSONS - rules.basic_coverage) < 0.01
        residents = set(rows.filter(pl.col("scheme") == "resident_medical")["person"])
        critical = set(rows.filter(pl.col("scheme") == "critical_illness")["person"])
        assert critical == residents
        ltc = rows.filter(pl.col("scheme") == "ltc")
        assert ltc["age"].min() >= rules.ltc_min_age - 1
        take_up = rows.filter(pl.col("scheme") == "huiminbao").height / basic.height
        assert abs(take_up - rules.huiminbao_take_up[year]) < 0.015
        status = basic.filter(pl.col("status") == "active").height / basic.height
        assert abs(status - rules.status["active"]) < 0.01
    working = persons.filter(pl.col("age").is_between(25, 49.99))
    employee = enrollments.filter(
        (pl.col("scheme") == "employee_medical") & (pl.col("year") == DATA.years[-1])
    ).join(working.select("person"), on="person")
    expected = rules.basic_coverage * 0.78
    assert abs(employee.height / working.height - expected) < 0.03


def _check_characters(numbers: pl.Series) -> np.ndarray:
    digits = np.frombuffer("".join(numbers.to_list()).encode(), dtype=np.uint8).reshape(-1, 18)
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    total = ((digits[:, :17] - ord("0")).astype(np.int64) * weights).sum(axis=1)
    return np.array(list("10X98765432"))[total % 11] == digits[:, 17].view("S1").astype(str)


def test_every_document_is_valid_and_unique(city: dict[str, pl.DataFrame]) -> None:
    persons = city["persons"]
    numbers = persons["document_number"]
    assert numbers.n_unique() == PERSONS
    assert numbers.str.len_bytes().eq(18).all()
    assert _check_characters(numbers).all()
    # The birth date and the sex parity agree with the columns, for everyone.
    assert (numbers.str.slice(6, 8) == persons["birth_date"].dt.strftime("%Y%m%d")).all()
    odd = numbers.str.slice(16, 1).cast(pl.Int64) % 2 == 1
    assert (odd == (persons["sex"] == "M")).all()
    assert (numbers.str.slice(14, 3).cast(pl.Int64) >= 10).all()  # never the demo's 001–009
    # And the registry's own parser accepts a sample.
    for index in random.Random(1).sample(range(PERSONS), 300):
        row = persons.row(index, named=True)
        facts = parse_document("resident_id", row["document_number"], today=DATA.reference_date)
        assert (facts.birth_date, facts.sex) == (row["birth_date"], row["sex"])
        assert row["document_number"][:6] == row["region_code"][:6]


def test_households_are_plausible(city: dict[str, pl.DataFrame]) -> None:
    persons = city["persons"].with_columns(age=_age(city["persons"]))
    members = city["household_members"].join(persons, on="person")
    heads = members.filter(pl.col("relation") == "head")
    assert heads["household"].n_unique() == heads.height == city["households"].height
    assert heads["age"].min() >= 18 and heads["death_date"].null_count() == heads.height
    with_head = members.join(
        heads.select("household", head_age="age", head_sex="sex", head_name="name"),
        on="household",
    ).with_columns(gap=pl.col("head_age") - pl.col("age"))
    spouses = with_head.filter(pl.col("relation") == "spouse")
    assert (spouses["sex"] != spouses["head_sex"]).all() and spouses["age"].min() >= 18
    assert spouses.group_by("household").len()["len"].max() == 1
    for relation, low, high in (
        ("child", 16, 40),
        ("grandchild", 40, 120),
        ("parent", -40, -16),
        ("grandparent", -120, -40),
        ("sibling", -12, 12),
    ):
        gaps = with_head.filter(pl.col("relation") == relation)["gap"]
        assert gaps.len() == 0 or (gaps.min() >= low and gaps.max() <= high), relation
    parents = with_head.filter(pl.col("relation") == "parent").group_by("household").len()
    assert parents.is_empty() or parents["len"].max() <= 2
    # Members live where their household is registered, joined it after birth, left it at death.
    placed = members.join(city["households"], on="household", suffix="_household")
    assert (placed["region_code"] == placed["region_code_household"]).all()
    assert (placed["address"] == placed["address_household"]).all()
    assert (members["joined_on"] >= members["birth_date"]).all()
    dead = members.filter(pl.col("death_date").is_not_null())
    assert (dead["left_on"] == dead["death_date"]).all()
    assert members.filter(pl.col("death_date").is_null())["left_on"].null_count() == (
        PERSONS - dead.height
    )
    # Children carry the head's surname, or a male spouse's when the head is a woman.
    spouse_names = spouses.select("household", spouse_name="name")
    children = with_head.filter(pl.col("relation") == "child").join(
        spouse_names, on="household", how="left"
    )
    surname = pl.col("name").str.slice(0, 1)
    shared = (surname == pl.col("head_name").str.slice(0, 1)) | (
        surname == pl.col("spouse_name").str.slice(0, 1)
    )
    assert children.select(shared.fill_null(value=False).all()).item()


def test_places_cover_the_city_and_one_outside_it() -> None:
    tiny = generate_frames(24, 7)
    codes = set(tiny["regions"]["code"])
    assert {"320500", "320505", "320583", "320102"} <= codes
    assert set(tiny["persons"]["region_code"]) <= codes
    # However small the city, somebody lives in Nanjing (outside the demo accounts' scope).
    assert tiny["persons"]["region_code"].str.starts_with("320102").any()
    assert tiny["persons"]["region_code"].str.starts_with("3205").any()


@pytest.mark.parametrize("persons", [1, 2, 5])
def test_tiny_cities(persons: int) -> None:
    frames = generate_frames(persons, 1)
    assert frames["persons"].height == frames["household_members"].height == persons
    heads = frames["household_members"].filter(pl.col("relation") == "head")
    assert heads.height == frames["households"].height >= 1


@pytest.mark.parametrize(("persons", "seed"), [(0, 1), (-5, 1), (10, -1)])
def test_bad_sizes_and_seeds_are_refused(persons: int, seed: int) -> None:
    with pytest.raises(ValueError):
        generate_frames(persons, seed)


def test_every_data_entry_states_its_provenance() -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert parse_city_data(text) == DATA
    no_note = text.replace(
        'note = "Street names of the kind found in Suzhou; house numbers, buildings and rooms '
        'are random."',
        "",
    )
    with pytest.raises(ValidationError, match="note"):
        parse_city_data(no_note)
    both = text.replace(
        "males_per_100_females = 105.07", "males_per_100_females = 105.07\nsample = true"
    )
    with pytest.raises(ValidationError, match="either a source or sample"):
        parse_city_data(both)
    bad_mean = text.replace("mean_size = 2.62", "mean_size = 3.10")
    with pytest.raises(ValidationError, match="mean size"):
        parse_city_data(bad_mean)

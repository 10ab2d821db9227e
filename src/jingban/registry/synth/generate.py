"""Generate a synthetic city as polars frames: regions, households, persons, household members,
enrollments and special-group memberships, drawn from ``data/city.toml``.

Pure and deterministic: the same ``persons`` and ``seed`` give the same frames (numpy
``Generator(PCG64(seed))``), and nothing here touches Django or the database. Every step works on
whole columns (numpy, polars); the only Python loops run over age bands, regions, schemes, years and
groups, never over persons.

How a city is built:

1. Persons get an age and a sex from the census pyramid, and some of them a date of death in the
   year before the reference date.
2. Household sizes are drawn from the size distribution until they hold every person; households
   are spread over the counties by weight (largest remainder), then over each county's towns and
   communities.
3. Each household gets a head, drawn among living adults with weights by age and sex.
4. The other members fill slots meant as spouse (opposite sex, near the head's age), child,
   parent, grandchild, sibling or other relative, each with a target age derived from the head's.
   Persons are matched to slots by rank of age within each sex, so the population keeps the
   pyramid exactly while households stay plausible; the relation recorded is then decided by the
   real age gap to the head (a "child" slot filled by someone 50 years younger becomes a
   grandchild).
5. Names: the head's surname passes to children, grandchildren, siblings and male parents;
   spouses, in-laws and others keep their own. Given names are drawn by sex and birth cohort.
6. Documents: place code of the county, birth date, a sequence ranked within (county, birth date,
   sex) with the odd/even sex rule, and the GB 11643 check character, all computed on arrays.
   Sequences start at 010, so they never meet the demo's hand-made numbers (001–009).
7. Enrollment per scheme and year, and special-group memberships, by the data file's shares.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from jingban.registry.synth import coverage, identity
from jingban.registry.synth.common import ADULT, DAYS_PER_YEAR, as_date, days, nullable_date
from jingban.registry.synth.data import CityData, city_data
from jingban.registry.synth.population import (
    RELATIONS,
    People,
    draw_members,
    draw_people,
    household_sizes,
)

TABLES = ("regions", "households", "persons", "household_members", "enrollments", "memberships")
DOCUMENT_TYPE = "resident_id"


@dataclass(frozen=True)
class _Places:
    regions: pl.DataFrame
    county_codes: np.ndarray  # in code order
    county_weights: np.ndarray
    county_always: np.ndarray
    homes: list[list[tuple[str, str]]]  # per county: (region code, address prefix)


def _places(data: CityData) -> _Places:
    places = data.places
    rows: list[tuple[str, str, str, str | None]] = [
        (places.province.code, places.province.name, "province", None)
    ]
    counties: list[tuple[str, float, bool, list[tuple[str, str]]]] = []
    for city in places.cities:
        rows.append((city.code, city.name, "city", places.province.code))
        for county in city.counties:
            rows.append((county.code, county.name, "county", city.code))
            homes: list[tuple[str, str]] = []
            for town in county.towns:
                rows.append((town.code, town.name, "town", county.code))
                prefix = city.name + county.name + town.name
                if not town.communities:
                    homes.append((town.code, prefix))
                for community in town.communities:
                    rows.append((community.code, community.name, "village", town.code))
                    homes.append((community.code, prefix + community.name))
            counties.append((county.code, county.weight, county.always, homes))
    counties.sort()
    regions = pl.DataFrame(
        rows,
        schema={"code": pl.String, "name": pl.String, "level": pl.String, "parent_code": pl.String},
        orient="row",
    ).sort("code")
    return _Places(
        regions=regions,
        county_codes=np.array([int(c[0]) for c in counties], dtype=np.int64),
        county_weights=np.array([c[1] for c in counties]),
        county_always=np.array([c[2] for c in counties]),
        homes=[c[3] for c in counties],
    )


def regions_frame(data: CityData | None = None) -> pl.DataFrame:
    """The regions of the city (code, name, level, parent_code), parents before children."""
    return _places(data or city_data()).regions


def _county_quota(places: _Places, households: int) -> np.ndarray:
    """Households per county by largest remainder, after one for each county marked always."""
    quota = np.zeros(len(places.county_codes), dtype=np.int64)
    if households >= int(places.county_always.sum()):
        quota += places.county_always
    remaining = households - int(quota.sum())
    exact = places.county_weights / places.county_weights.sum() * remaining
    quota += np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - np.floor(exact)), kind="stable")
    quota[order[: households - int(quota.sum())]] += 1
    return quota


def _households(
    rng: np.random.Generator, data: CityData, places: _Places, count: int
) -> tuple[np.ndarray, pl.DataFrame]:
    """The county of each household, and the households frame in number order. Households are
    interchangeable when they are placed (sizes and heads are drawn independently), so placing
    them county by county in code order numbers them in order without a sort."""
    quota = _county_quota(places, count)
    county_of = np.repeat(np.arange(len(quota)), quota)
    home_codes: list[pl.Series] = []
    prefixes: list[pl.Series] = []
    for county, homes in enumerate(places.homes):
        pick = rng.integers(0, len(homes), size=int(quota[county]))
        home_codes.append(pl.Series([code for code, _prefix in homes]).gather(pick))
        prefixes.append(pl.Series([prefix for _code, prefix in homes]).gather(pick))
    serial = np.arange(count) - np.repeat(np.cumsum(quota) - quota, quota) + 1
    streets = pl.Series(data.places.streets.names)
    frame = pl.DataFrame(
        {
            "household": np.arange(count, dtype=np.int64),
            "county": pl.Series(places.county_codes[county_of]).cast(pl.String),
            "serial": serial,
            "region_code": pl.concat(home_codes) if home_codes else pl.Series([], dtype=pl.String),
            "prefix": pl.concat(prefixes) if prefixes else pl.Series([], dtype=pl.String),
            "street": streets.gather(rng.integers(0, len(streets), size=count)),
            "door": rng.integers(1, 400, size=count),
            "building": rng.integers(1, 30, size=count),
            "room": rng.integers(1, 25, size=count) * 100 + rng.integers(1, 5, size=count),
        }
    )
    frame = frame.select(
        "household",
        number=pl.lit("H") + pl.col("county") + pl.col("serial").cast(pl.String).str.zfill(8),
        region_code="region_code",
        address=pl.concat_str(
            "prefix", "street", "door", pl.lit("号"), "building", pl.lit("幢"), "room", pl.lit("室")
        ),
    )
    return county_of, frame


def generate_frames(
    persons: int, seed: int, *, data: CityData | None = None
) -> dict[str, pl.DataFrame]:
    """The synthetic city as one frame per table (see ``TABLES``), keyed by integer ``person``
    and ``household`` keys that the loader maps to database ids. Regions, schemes and groups are
    referred to by code. Every frame comes sorted by its key."""
    return dict(generate_tables(persons, seed, data=data))


def generate_tables(
    persons: int, seed: int, *, data: CityData | None = None
) -> Iterator[tuple[str, pl.DataFrame]]:
    """The frames of ``generate_frames`` one by one, in ``TABLES`` order, each as soon as it is
    drawn, so that a loader can write the first tables while the later ones are generated. The
    city is the same however fast the iterator is consumed; it must be consumed to the end for
    the later tables to exist."""
    if persons < 1:
        raise ValueError("a city needs at least one person")
    if seed < 0:
        raise ValueError("the seed must not be negative")
    data = data or city_data()
    rng = np.random.Generator(np.random.PCG64(seed))
    places = _places(data)
    yield "regions", places.regions
    drawn = draw_people(rng, data, persons)
    sizes = household_sizes(rng, data, persons)
    members = draw_members(rng, data, drawn, sizes)
    county_of, households = _households(rng, data, places, len(sizes))
    yield "households", households

    # Person keys follow the document numbers, so persons, and the unique index on their
    # documents, are written in order.
    home = members.household
    bodies = identity.document_bodies(places.county_codes[county_of[home]], drawn.birth, drawn.male)
    order = np.argsort(bodies)
    key = np.empty(persons, dtype=np.int64)
    key[order] = np.arange(persons)

    # Names: children and grandchildren carry the family surname (the head's, or a male
    # spouse's when the head is a woman); siblings and male parents the head's.
    relation = members.relation
    head_of = members.heads[home]
    spouse_of = np.full(len(sizes), -1)
    spouses = np.flatnonzero(relation == RELATIONS.index("spouse"))
    spouse_of[home[spouses]] = spouses
    takes_spouse_name = ~drawn.male[members.heads] & (spouse_of >= 0)
    takes_spouse_name &= drawn.male[np.maximum(spouse_of, 0)]
    family = np.where(takes_spouse_name, spouse_of, members.heads)
    lineal = np.isin(relation, [RELATIONS.index("child"), RELATIONS.index("grandchild")])
    elder = np.isin(relation, [RELATIONS.index("parent"), RELATIONS.index("grandparent")])
    same_as_head = (relation == RELATIONS.index("sibling")) | (elder & drawn.male)
    surname_from = np.where(
        lineal, family[home], np.where(same_as_head, head_of, np.arange(persons))
    )
    name = identity.surnames(rng, data, persons).gather(surname_from)
    name = name + identity.given_names(rng, data, drawn.birth, drawn.male)
    own_phone = drawn.age >= data.phones.own_from_age
    phone = identity.phones(rng, data, persons).gather(
        np.where(own_phone, np.arange(persons), head_of)
    )

    person_frame = pl.DataFrame(
        {
            "person": np.arange(persons, dtype=np.int64),
            "document_type": pl.repeat(DOCUMENT_TYPE, persons, eager=True),
            "document_number": identity.documents(bodies[order]),
            "name": name.gather(order),
            "sex": pl.Series(["F", "M"]).gather(drawn.male[order].astype(np.int64)),
            "birth_date": as_date(drawn.birth[order]),
            "phone": phone.gather(order),
            "address": households["address"].gather(home[order]),
            "region_code": households["region_code"].gather(home[order]),
            "death_date": nullable_date(drawn.death[order]),
        }
    )
    yield "persons", person_frame

    # Household members joined when the household formed (or at birth) and left at death.
    reference = days(data.reference_date)
    head_birth = drawn.birth[members.heads]
    formed = reference - np.floor(rng.uniform(0, 30 * DAYS_PER_YEAR, len(sizes))).astype(np.int64)
    formed = np.maximum(formed, head_birth + int(ADULT * DAYS_PER_YEAR))
    formed = np.maximum(np.minimum(formed, reference - 1), head_birth)
    joined = np.maximum(formed[home], drawn.birth)
    joined = np.where(drawn.death >= 0, np.minimum(joined, drawn.death), joined)
    member_order = np.argsort(home * persons + key)

    member_frame = pl.DataFrame(
        {
            "household": home[member_order],
            "person": key[member_order],
            "relation": pl.Series(RELATIONS).gather(relation[member_order]),
            "joined_on": as_date(joined[member_order]),
            "left_on": nullable_date(drawn.death[member_order]),
        }
    )
    yield "household_members", member_frame
    in_key_order = People(
        age=drawn.age[order],
        birth=drawn.birth[order],
        male=drawn.male[order],
        death=drawn.death[order],
    )
    yield "enrollments", coverage.enrollments(rng, data, in_key_order)
    yield "memberships", coverage.memberships(rng, data, in_key_order, home[order])

"""Enrollment per scheme and year, and special-group memberships, by the data file's shares.

Both take per-person arrays already in person-key order, so their rows come out sorted by person
without a sort: enrollment is built as a person × (scheme, year) matrix read row by row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jingban.registry.synth.common import DAYS_PER_YEAR, as_date, days, nullable_date, steps
from jingban.registry.synth.data import CityData
from jingban.registry.synth.population import People

# In code order, so that reading the matrix row by row sorts rows by (person, scheme, year).
SCHEMES = ("critical_illness", "employee_medical", "huiminbao", "ltc", "resident_medical")


def enrollments(rng: np.random.Generator, data: CityData, people: People) -> pl.DataFrame:
    rules = data.enrollment
    count = len(people.age)
    years = data.years
    insured = rng.random(count) < rules.basic_coverage
    employee = insured & (rng.random(count) < steps(rules.employee_share_by_age, people.age))
    critical = ~employee & insured & (rng.random(count) < rules.critical_illness_of_resident)
    ltc_taker = insured & (rng.random(count) < rules.ltc_of_insured)
    status_names = list(rules.status)
    status_shares = np.array([rules.status[name] for name in status_names])
    ended = status_names.index("ended")
    reference = days(data.reference_date)

    columns = len(SCHEMES) * len(years)
    present = np.zeros((count, columns), dtype=bool)
    status = np.zeros((count, columns), dtype=np.int8)
    since = np.zeros((count, columns), dtype=np.int32)
    for y, year in enumerate(years):
        start = days(dt.date(year, 1, 1))
        end = days(dt.date(year + 1, 1, 1)) - 1
        there = insured & (people.birth <= end) & ((people.death < 0) | (people.death >= start))
        died = (people.death >= start) & (people.death <= end)
        basic_status = np.where(
            died, ended, rng.choice(len(status_names), size=count, p=status_shares)
        )
        basic_since = np.maximum(start, people.birth)
        adult = people.age - (reference - start) / DAYS_PER_YEAR >= rules.ltc_min_age
        bought = np.maximum(start + np.floor(rng.random(count) * 90).astype(np.int64), people.birth)
        bought = np.where(died, np.minimum(bought, people.death), bought)
        take_up = rng.random(count) < rules.huiminbao_take_up[year]
        by_scheme = {
            "critical_illness": (there & critical, basic_status, basic_since),
            "employee_medical": (there & employee, basic_status, basic_since),
            "huiminbao": (there & take_up, np.where(died, ended, 0), bought),
            "ltc": (there & ltc_taker & adult, basic_status, basic_since),
            "resident_medical": (there & ~employee, basic_status, basic_since),
        }
        for s, scheme in enumerate(SCHEMES):
            mask, scheme_status, scheme_since = by_scheme[scheme]
            slot = s * len(years) + y
            present[:, slot] = mask
            status[:, slot] = scheme_status
            since[:, slot] = scheme_since
    person, column = np.nonzero(present)
    return pl.DataFrame(
        {
            "person": person.astype(np.int64),
            "scheme": pl.Series(SCHEMES).gather(column // len(years)),
            "year": pl.Series(np.array(years, dtype=np.int16)[column % len(years)]),
            "status": pl.Series(status_names).gather(status[person, column]),
            "since": as_date(since[person, column]),
        }
    )


def memberships(
    rng: np.random.Generator, data: CityData, people: People, household: np.ndarray
) -> pl.DataFrame:
    """Household groups (income tested, exclusive) for every member of a drawn household;
    person groups for eligible individuals. Dates end at death."""
    rules = data.special_groups
    count = len(people.age)
    households = int(household.max()) + 1 if count else 0
    reference = days(data.reference_date)
    codes = sorted(g.code for g in rules.groups)
    parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    by_household = [g for g in rules.groups if g.unit == "household"]
    shares = np.array([g.share for g in by_household])
    drawn = rng.choice(len(shares) + 1, size=households, p=np.r_[shares, 1 - shares.sum()])
    start = reference - np.floor(rng.uniform(30, 5 * 365, households)).astype(np.int64)
    still_open = rng.random(households) < rules.open_share
    span = rng.random(households)
    for index, group in enumerate(by_household):
        persons = np.flatnonzero(drawn[household] == index)
        h = household[persons]
        parts.append((codes.index(group.code), persons, start[h], still_open[h], span[h]))
    for group in (g for g in rules.groups if g.unit == "person"):
        eligible = people.age >= group.min_age
        chance = min(1.0, group.share * count / max(1, int(eligible.sum())))
        persons = np.flatnonzero(eligible & (rng.random(count) < chance))
        parts.append(
            (
                codes.index(group.code),
                persons,
                reference - np.floor(rng.uniform(30, 5 * 365, len(persons))).astype(np.int64),
                rng.random(len(persons)) < rules.open_share,
                rng.random(len(persons)),
            )
        )

    group_index = np.concatenate([np.full(len(p[1]), p[0]) for p in parts])
    persons = np.concatenate([p[1] for p in parts])
    valid_from = np.concatenate([p[2] for p in parts])
    is_open = np.concatenate([p[3] for p in parts])
    fraction = np.concatenate([p[4] for p in parts])
    order = np.argsort(persons * len(codes) + group_index, kind="stable")
    group_index, persons = group_index[order], persons[order]
    valid_from, is_open, fraction = valid_from[order], is_open[order], fraction[order]

    death = people.death[persons]
    dead = death >= 0
    valid_from = np.maximum(valid_from, people.birth[persons])
    valid_from = np.where(dead, np.minimum(valid_from, death), valid_from)
    last = np.where(dead, death, reference - 1)
    closed_on = valid_from + np.floor(fraction * (last - valid_from)).astype(np.int64)
    valid_to = np.where(is_open, np.where(dead, death, -1), np.maximum(closed_on, valid_from))
    return pl.DataFrame(
        {
            "person": persons.astype(np.int64),
            "group": pl.Series(codes).gather(group_index),
            "valid_from": as_date(valid_from),
            "valid_to": nullable_date(valid_to),
        }
    )

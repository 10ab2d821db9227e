"""Persons and households: ages and sexes from the census pyramid, deaths, heads, and the members
matched to plausible relations (see ``generate`` for the method)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jingban.registry.synth.common import ADULT, DAYS_PER_YEAR, days, steps
from jingban.registry.synth.data import CityData

RELATIONS = (
    "head",
    "spouse",
    "child",
    "parent",
    "grandchild",
    "grandparent",
    "sibling",
    "child_in_law",
    "other",
)
_SLOT_KINDS = ("spouse", "child", "parent", "grandchild", "sibling", "other")


@dataclass(frozen=True)
class People:
    age: np.ndarray  # float years at the reference date
    birth: np.ndarray  # days since 1970-01-01
    male: np.ndarray
    death: np.ndarray  # days since 1970-01-01, or -1 while alive


def draw_people(rng: np.random.Generator, data: CityData, count: int) -> People:
    pyramid = data.population.pyramid
    ages_from: list[int] = []
    males: list[bool] = []
    weights: list[float] = []
    for start, end, male, female in pyramid.bands:
        ages = np.arange(start, end + 1)
        if end == pyramid.oldest and end > start:
            within = pyramid.open_band_survival ** (ages - start)
        else:
            within = np.ones(len(ages))
        within = within / within.sum()
        for is_male, total in ((True, male), (False, female)):
            ages_from.extend(ages.tolist())
            males.extend([is_male] * len(ages))
            weights.extend((within * total).tolist())
    probabilities = np.array(weights) / np.sum(weights)
    cell = rng.choice(len(probabilities), size=count, p=probabilities)
    whole_years = np.array(ages_from)[cell]
    age = whole_years + rng.random(count)
    reference = days(data.reference_date)
    birth = reference - 1 - np.floor(age * DAYS_PER_YEAR).astype(np.int64)
    age = (reference - birth) / DAYS_PER_YEAR

    rate = steps(data.population.mortality.rates, age)
    died = rng.random(count) < rate
    lived_days = np.minimum(reference - birth, 365)
    death = np.where(
        died, reference - 1 - np.floor(rng.random(count) * lived_days).astype(np.int64), -1
    )
    return People(age=age, birth=birth, male=np.array(males)[cell], death=death)


def household_sizes(rng: np.random.Generator, data: CityData, count: int) -> np.ndarray:
    shares = data.households.size_distribution.shares
    sizes = np.array([size for size, _share in shares])
    probabilities = np.array([share for _size, share in shares])
    drawn = np.empty(0, dtype=np.int64)
    while drawn.sum() < count:
        more = max(16, int(count / data.households.mean_size * 1.05) - len(drawn))
        drawn = np.concatenate([drawn, rng.choice(sizes, size=more, p=probabilities)])
    total = np.cumsum(drawn)
    last = int(np.searchsorted(total, count))
    result = drawn[: last + 1].copy()
    result[last] -= int(total[last] - count)  # the last household takes what is left
    return result


def _choose_heads(
    rng: np.random.Generator, data: CityData, people: People, households: int
) -> np.ndarray:
    """Indices of the heads: weighted sampling without replacement (Efraimidis–Spirakis keys).
    Living adults come first; only a city too small to have enough of them takes others."""
    head = data.households.head
    weight = steps(head.weights_by_age, people.age) * np.where(people.male, head.male_factor, 1)
    alive = people.death < 0
    usable = (weight > 0) & alive
    key = np.full(len(weight), -np.inf)
    key[usable] = np.log(rng.random(int(usable.sum()))) / weight[usable]
    # Fallbacks below every usable key: living persons by age, then the dead.
    key[~usable] = -1e300 + people.age[~usable] * 1e290 - np.where(alive[~usable], 0, 1e299)
    chosen = np.argpartition(-key, households - 1)[:households]
    return rng.permutation(chosen)


@dataclass(frozen=True)
class Members:
    household: np.ndarray  # household index of each person
    relation: np.ndarray  # code index into RELATIONS
    heads: np.ndarray  # person index of each household's head


def _slots(
    rng: np.random.Generator, data: CityData, sizes: np.ndarray, head_age: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every member after the head: household index, slot kind and target age."""
    household = np.repeat(np.arange(len(sizes)), sizes - 1)
    position = np.arange(len(household)) - np.repeat(np.cumsum(sizes - 1) - (sizes - 1), sizes - 1)
    composition = data.households.composition
    later = list(composition.later_members.items())
    later_kinds = np.array([_SLOT_KINDS.index(kind) for kind, _share in later])
    later_shares = np.array([share for _kind, share in later])
    kind = later_kinds[rng.choice(len(later), size=len(household), p=later_shares)]
    base = head_age[household]
    spouse_chance = steps(composition.spouse_given_head_age, base)
    second = position == 0
    kind = np.where(second & (rng.random(len(household)) < spouse_chance), 0, kind)
    offsets = {
        0: rng.normal(0, 3, len(household)),
        1: -rng.uniform(22, 36, len(household)),
        2: rng.uniform(22, 34, len(household)),
        3: -rng.uniform(45, 60, len(household)),
        4: rng.uniform(-8, 8, len(household)),
    }
    target = base.copy()
    for code, offset in offsets.items():
        target = np.where(kind == code, base + offset, target)
    target = np.where(kind == 5, rng.uniform(0, 80, len(household)), target)
    return household, kind, np.clip(target, 0, None)


def _match(
    rng: np.random.Generator,
    people: People,
    pool: np.ndarray,
    slot_kind: np.ndarray,
    slot_target: np.ndarray,
    slot_sex: np.ndarray,
) -> np.ndarray:
    """Give each slot a person of the pool: the same sex when the slot asks for one, by rank of
    age within each sex. Returns the person index of each slot."""
    pool_male = people.male[pool]
    wants = slot_sex  # 1 male, 0 female, -1 either
    for sex in (1, 0):
        available = int((pool_male == bool(sex)).sum())
        asked = np.flatnonzero(wants == sex)
        if len(asked) > available:  # more spouses of one sex than persons: the rest become free
            wants[rng.choice(asked, size=len(asked) - available, replace=False)] = -1
    free = rng.permutation(np.flatnonzero(wants == -1))
    males_left = int(pool_male.sum()) - int((wants == 1).sum())
    wants[free[:males_left]] = 1
    wants[free[males_left:]] = 0
    assigned = np.empty(len(slot_kind), dtype=np.int64)
    jitter = rng.random(len(slot_kind)) * 1e-3
    for sex in (1, 0):
        slots = np.flatnonzero(wants == sex)
        persons = pool[pool_male == bool(sex)]
        slots = slots[np.argsort(slot_target[slots] + jitter[slots])]
        persons = persons[np.argsort(people.age[persons])]
        assigned[slots] = persons
    return assigned


def _relations(
    slot_household: np.ndarray,
    slot_kind: np.ndarray,
    gap: np.ndarray,
    member_age: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The relation each slot's person has to the head, decided by the real age gap
    (head's age − member's age)."""
    code = {name: index for index, name in enumerate(RELATIONS)}
    spouse = (slot_kind == 0) & (member_age >= ADULT) & (np.abs(gap) <= 20)
    relation = np.select(
        [spouse, gap >= 40, gap >= 16, gap <= -40, gap <= -16, np.abs(gap) <= 12],
        [
            code["spouse"],
            code["grandchild"],
            code["child"],
            code["grandparent"],
            code["parent"],
            code["sibling"],
        ],
        default=code["other"],
    )

    def running_count(mask: np.ndarray) -> np.ndarray:
        """How many earlier slots of the same household also match ``mask`` (1 for the first)."""
        total = np.cumsum(mask)
        starts = np.r_[True, slot_household[1:] != slot_household[:-1]]
        before = np.maximum.accumulate(np.where(starts, total - mask, 0))
        return total - before

    # Two parents at most; adult children after the first are often in-laws.
    parents = relation == code["parent"]
    relation = np.where(parents & (running_count(parents) > 2), code["other"], relation)
    adult_children = (relation == code["child"]) & (member_age >= 22)
    in_law = adult_children & (running_count(adult_children) > 1) & (rng.random(len(gap)) < 0.5)
    return np.where(in_law, code["child_in_law"], relation)


def draw_members(
    rng: np.random.Generator, data: CityData, people: People, sizes: np.ndarray
) -> Members:
    heads = _choose_heads(rng, data, people, len(sizes))
    is_head = np.zeros(len(people.age), dtype=bool)
    is_head[heads] = True
    pool = np.flatnonzero(~is_head)
    head_age = people.age[heads]
    slot_household, slot_kind, slot_target = _slots(rng, data, sizes, head_age)
    head_male = people.male[heads][slot_household]
    slot_sex = np.where(slot_kind == 0, np.where(head_male, 0, 1), -1)
    assigned = _match(rng, people, pool, slot_kind, slot_target, slot_sex)

    household = np.empty(len(people.age), dtype=np.int64)
    household[heads] = np.arange(len(sizes))
    household[assigned] = slot_household
    relation = np.zeros(len(people.age), dtype=np.int64)
    gap = head_age[slot_household] - people.age[assigned]
    relation[assigned] = _relations(slot_household, slot_kind, gap, people.age[assigned], rng)
    return Members(household=household, relation=relation, heads=heads)

"""The synthetic city's data file (``data/city.toml``), validated with pydantic on load.

Every entry carries its provenance: a ``source`` naming a publication, or ``sample = true`` with a
``note`` saying how made-up or recalled figures were chosen. An entry with neither, or with both,
is refused, so a figure cannot slip in without saying where it comes from.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DATA_FILE = Path(__file__).with_name("data") / "city.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    """An entry that says where its figures come from."""

    source: str = ""
    sample: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _provenance(self) -> Sourced:
        if bool(self.source.strip()) == self.sample:
            raise ValueError("give either a source or sample = true (with a note), not both")
        if self.sample and not self.note.strip():
            raise ValueError("a sample entry needs a note saying how its figures were chosen")
        return self


def _steps_ascending(steps: list[tuple[int, float]], name: str) -> None:
    starts = [start for start, _value in steps]
    if not starts or starts[0] != 0 or starts != sorted(set(starts)):
        raise ValueError(f"{name}: the steps must start at 0 and rise")


class SexRatio(Sourced):
    males_per_100_females: float = Field(gt=50, lt=200)


class AgeGroups(Sourced):
    share_0_14: float
    share_15_59: float
    share_60_plus: float
    share_65_plus: float

    @model_validator(mode="after")
    def _adds_up(self) -> AgeGroups:
        if abs(self.share_0_14 + self.share_15_59 + self.share_60_plus - 100) > 0.05:
            raise ValueError("the age groups must add up to 100%")
        return self


class Pyramid(Sourced):
    oldest: int = Field(ge=85, le=110)
    open_band_survival: float = Field(gt=0, le=1)
    bands: list[tuple[int, int, float, float]]

    @model_validator(mode="after")
    def _contiguous(self) -> Pyramid:
        expected = 0
        for start, end, male, female in self.bands:
            if start != expected or end < start or male < 0 or female < 0:
                raise ValueError("age bands must be contiguous from 0, with counts >= 0")
            expected = end + 1
        if expected - 1 != self.oldest:
            raise ValueError("the last band must end at `oldest`")
        return self


class Mortality(Sourced):
    rates: list[tuple[int, float]]

    @model_validator(mode="after")
    def _steps(self) -> Mortality:
        _steps_ascending(self.rates, "mortality")
        return self


class Population(_Strict):
    sex_ratio: SexRatio
    age_groups: AgeGroups
    pyramid: Pyramid
    mortality: Mortality


class SizeDistribution(Sourced):
    shares: list[tuple[int, float]]

    @model_validator(mode="after")
    def _shares(self) -> SizeDistribution:
        sizes = [size for size, _share in self.shares]
        if sizes != list(range(1, len(sizes) + 1)):
            raise ValueError("household sizes must run 1, 2, 3 …")
        if abs(sum(share for _size, share in self.shares) - 1) > 1e-6:
            raise ValueError("household size shares must add up to 1")
        return self

    @property
    def mean(self) -> float:
        return sum(size * share for size, share in self.shares)


class HeadWeights(Sourced):
    weights_by_age: list[tuple[int, float]]
    male_factor: float = Field(gt=0)

    @model_validator(mode="after")
    def _steps(self) -> HeadWeights:
        _steps_ascending(self.weights_by_age, "head weights")
        return self


class Composition(Sourced):
    spouse_given_head_age: list[tuple[int, float]]
    later_members: dict[Literal["child", "parent", "grandchild", "sibling", "other"], float]

    @model_validator(mode="after")
    def _shares(self) -> Composition:
        if abs(sum(self.later_members.values()) - 1) > 1e-6:
            raise ValueError("later_members shares must add up to 1")
        return self


class Households(Sourced):
    mean_size: float = Field(gt=1, lt=6)
    size_distribution: SizeDistribution
    head: HeadWeights
    composition: Composition

    @model_validator(mode="after")
    def _mean(self) -> Households:
        if abs(self.size_distribution.mean - self.mean_size) > 0.01:
            raise ValueError("the household size distribution must have the stated mean size")
        return self


class Place(_Strict):
    code: str = Field(pattern=r"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$")
    name: str


class Town(Place):
    communities: list[Place] = []


class County(Place):
    weight: float = Field(gt=0)
    always: bool = False  # at least one household here, however small the city
    towns: list[Town] = Field(min_length=1)


class City(Place):
    counties: list[County] = Field(min_length=1)


class Streets(Sourced):
    names: list[str] = Field(min_length=1)


class Places(Sourced):
    province: Place
    cities: list[City] = Field(min_length=1)
    streets: Streets

    @model_validator(mode="after")
    def _codes(self) -> Places:
        codes = [self.province.code]
        for city in self.cities:
            codes.append(city.code)
            for county in city.counties:
                codes.append(county.code)
                if not county.code.startswith(city.code[:4]):
                    raise ValueError(f"county {county.code} is not under city {city.code}")
                for town in county.towns:
                    codes.append(town.code)
                    if not town.code.startswith(county.code):
                        raise ValueError(f"town {town.code} is not under county {county.code}")
                    for community in town.communities:
                        codes.append(community.code)
                        if not community.code.startswith(town.code) or len(community.code) != 12:
                            raise ValueError(f"community {community.code} is not under {town.code}")
        if len(codes) != len(set(codes)):
            raise ValueError("region codes must be unique")
        return self


class Surnames(Sourced):
    top: list[tuple[str, float]]
    tail: str = Field(min_length=1)

    @model_validator(mode="after")
    def _shares(self) -> Surnames:
        if sum(share for _name, share in self.top) >= 100:
            raise ValueError("the top surnames must leave a share for the tail")
        return self


class GivenNames(Sourced):
    modern_from: int
    single: dict[Literal["older", "modern"], float]
    older_male: str = Field(min_length=2)
    older_female: str = Field(min_length=2)
    modern_male: str = Field(min_length=2)
    modern_female: str = Field(min_length=2)


class Names(_Strict):
    surnames: Surnames
    given: GivenNames


class Phones(Sourced):
    own_from_age: int = Field(ge=0)
    prefixes: list[tuple[str, float]] = Field(min_length=1)

    @model_validator(mode="after")
    def _prefixes(self) -> Phones:
        for prefix, weight in self.prefixes:
            if len(prefix) != 3 or not prefix.isdigit() or prefix[:2] < "13" or weight <= 0:
                raise ValueError(f"bad mobile prefix {prefix!r}")
        return self


class GroupShare(_Strict):
    code: str
    unit: Literal["household", "person"]
    share: float = Field(ge=0, lt=1)
    min_age: int = 0


class SpecialGroups(Sourced):
    groups: list[GroupShare]
    open_share: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _exclusive(self) -> SpecialGroups:
        if sum(g.share for g in self.groups if g.unit == "household") >= 1:
            raise ValueError("household groups exclude one another: their shares must be < 1")
        return self


class Enrollment(Sourced):
    basic_coverage: float = Field(ge=0, le=1)
    employee_share_by_age: list[tuple[int, float]]
    critical_illness_of_resident: float = Field(ge=0, le=1)
    ltc_of_insured: float = Field(ge=0, le=1)
    ltc_min_age: int = Field(ge=0)
    huiminbao_take_up: dict[int, float]
    status: dict[Literal["active", "suspended", "ended"], float]

    @model_validator(mode="after")
    def _checks(self) -> Enrollment:
        _steps_ascending(self.employee_share_by_age, "employee share")
        if abs(sum(self.status.values()) - 1) > 1e-6:
            raise ValueError("status shares must add up to 1")
        return self


class CityData(_Strict):
    reference_date: dt.date
    years: list[int] = Field(min_length=1)
    population: Population
    households: Households
    places: Places
    names: Names
    phones: Phones
    special_groups: SpecialGroups
    enrollment: Enrollment

    @model_validator(mode="after")
    def _years(self) -> CityData:
        if self.years != sorted(set(self.years)) or self.years[-1] > self.reference_date.year:
            raise ValueError("years must rise and not pass the reference date's year")
        missing = set(self.years) - set(self.enrollment.huiminbao_take_up)
        if missing:
            raise ValueError(f"huiminbao take-up missing for {sorted(missing)}")
        return self


def parse_city_data(text: str) -> CityData:
    """Validate the text of a city data file. Raises ``pydantic.ValidationError``."""
    return CityData.model_validate(tomllib.loads(text))


@functools.cache
def city_data() -> CityData:
    """The shipped data file, read and validated once per process."""
    return parse_city_data(DATA_FILE.read_text(encoding="utf-8"))

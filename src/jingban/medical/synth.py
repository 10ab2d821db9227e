"""Medical settlement's part of the synthetic city: a year of direct settlements at the
network's hospitals, settled by the engine, written with COPY.

Rates per insured person and year (the issue's calibration): about 5 settlements, of which an
admission for about 18% of persons (a few twice). Each person enrolled in the resident scheme
gets outpatient visits (Poisson, mean 4.8) and, with probability 0.18, one or two admissions, on
days of the last 365 at a hospital of their city that may serve the care form (where their city
has none in the network, at one of the province's, as a referral: 转诊转院); bills are drawn
(outpatient around 150 yuan, admissions around 12,000) with parts outside the catalogue and in
乙类. Each person's claims are settled in date order by ``adjudicate`` with the pack in force on
the day, carrying the person-year accumulators, so caps and deductibles hold as in real
settlement; the accumulators are written too.

Rows are written straight (no services, no action log: synthetic history): visits, settlements
and their fund rows with ``COPY``, ids reserved from the tables' sequences. No fee lines and no
explanation lines (a synthetic settlement's page shows its figures; the explanation of a real
one comes from its stored lines). Persons with an account, and persons who already have
accumulators (the demo's), are left out. The same persons, seed and day give the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from jingban.core.models import Organisation
from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.engine.codes import CrossRegion, VisitType
from jingban.engine.errors import CodedError
from jingban.engine.medical.cascade import adjudicate
from jingban.engine.medical.claim import Claim, YearToDate
from jingban.engine.policy.header import Family
from jingban.engine.policy.registry import UnknownPack
from jingban.medical.codes import FUND_ASSISTANCE, FUND_BASIC, FUND_CRITICAL, FUND_OTHER
from jingban.medical.models import PersonYearTotals, Settlement, SettlementFund, Visit
from jingban.packs.queries import current_registry
from jingban.providers.models import Designation
from jingban.providers.serving import may_serve
from jingban.registry.models import Enrollment, Person

NAME = "medical"
SCHEME = "resident_medical"
OUTPATIENT_MEAN = 4.8
ADMISSION_SHARE = 0.18
SECOND_ADMISSION_SHARE = 0.15


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.perf_counter()
    if ctx.out is not None:  # the Parquet city holds the registry only
        return SynthOutcome(NAME, {}, hashlib.sha256(b"").hexdigest(), 0.0)
    with transaction.atomic():
        counts, digest = _load(ctx.seed)
    return SynthOutcome(NAME, counts, digest, time.perf_counter() - started)


def _hospitals(day: dt.date) -> dict[tuple[str, str], list[Organisation]]:
    """(city, care form) → hospitals of that city that may serve the form on ``day``."""
    found: dict[tuple[str, str], list[Organisation]] = defaultdict(list)
    rows = (
        Designation.objects.filter(scheme__code=SCHEME, care_form__in=("outpatient", "inpatient"))
        .select_related("institution__organisation__region")
        .order_by("institution__organisation__code", "care_form")
    )
    for row in rows:
        org = row.institution.organisation
        if org.kind != "hospital" or org.hospital_level is None:
            continue
        if may_serve(row.institution, SCHEME, row.care_form, day):
            found[(org.region.code[:4], row.care_form)].append(org)
    return found


def _reserve(model: type[models.Model], count: int) -> list[int]:
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _bill(rng: random.Random, inpatient: bool) -> tuple[int, int, int]:
    """(total, out of scope, 乙类 in scope) in fen."""
    total = int(rng.lognormvariate(9.35 if inpatient else 4.9, 0.7) * 100)
    total = max(total, 2000 if inpatient else 500)
    out = int(total * rng.uniform(0.02, 0.15))
    class_b = int((total - out) * rng.uniform(0.05, 0.35))
    return total, out, class_b


def _load(seed: int) -> tuple[dict[str, int], str]:
    today = timezone.localdate()
    first = today - dt.timedelta(days=364)
    rng = random.Random(f"medical-{seed}")  # noqa: S311 - synthetic data, not secrets
    enrolled = set(
        Enrollment.objects.filter(
            scheme__code=SCHEME, status="active", year__in=(first.year, today.year)
        ).values_list("person_id", "year")
    )
    taken = set(PersonYearTotals.objects.values_list("person_id", flat=True))
    persons = list(
        Person.objects.filter(account__isnull=True, pk__in={p for p, _ in enrolled})
        .exclude(pk__in=taken)
        .select_related("region")
        .order_by("document_number")
    )
    hospitals = _hospitals(today)
    provincial: dict[tuple[str, str], list[Organisation]] = defaultdict(list)
    for (city, form), found in sorted(hospitals.items()):
        provincial[(city[:2], form)].extend(found)
    registry = current_registry()
    packs: dict[tuple[str, int], Any] = {}

    def pack_for(region: str, day: dt.date) -> Any:
        key = (region[:4], day.year)
        if key not in packs:
            try:
                packs[key] = registry.in_force(region, SCHEME, day, Family.MEDICAL)
            except UnknownPack:
                packs[key] = None
        return packs[key]

    visits: list[list[Any]] = []
    settlements: list[list[Any]] = []
    funds: list[list[Any]] = []
    totals: list[list[Any]] = []
    digest = hashlib.sha256()
    now = timezone.now()
    base = Visit.objects.filter(mdtrt_id__startswith="SYN").count()
    for person in persons:
        if person.death_date is not None and person.death_date < today:
            continue
        city = person.region.code[:4]
        plan: list[tuple[dt.date, bool]] = []
        count = _poisson(rng, OUTPATIENT_MEAN)
        plan += [(first + dt.timedelta(days=rng.randrange(365)), False) for _ in range(count)]
        if rng.random() < ADMISSION_SHARE:
            stays = 2 if rng.random() < SECOND_ADMISSION_SHARE else 1
            plan += [(first + dt.timedelta(days=rng.randrange(358)), True) for _ in range(stays)]
        ytd: dict[int, YearToDate] = {}
        year_totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for n, (day, inpatient) in enumerate(sorted(plan)):
            if (person.pk, day.year) not in enrolled:
                continue
            form = "inpatient" if inpatient else "outpatient"
            # A city without such a hospital in the network refers its people to one of the
            # province's (转诊转院): settled by the referral rule.
            choices = hospitals.get((city, form))
            rule = CrossRegion.LOCAL
            if not choices:
                choices = provincial.get((city[:2], form))
                rule = CrossRegion.REFERRAL
            pack = pack_for(person.region.code, day)
            if not choices or pack is None:
                continue
            hospital = choices[rng.randrange(len(choices))]
            discharged = day + dt.timedelta(days=rng.randint(2, 12)) if inpatient else None
            if discharged is not None and (discharged > today or discharged.year != day.year):
                discharged = min(today, dt.date(day.year, 12, 31))
            total, out, class_b = _bill(rng, inpatient)
            claim = Claim(
                claim_id=f"SYN{person.pk}-{n}",
                person_id=str(person.pk),
                visit_type=VisitType.INPATIENT if inpatient else VisitType.OUTPATIENT_GENERAL,
                hospital_level=hospital.hospital_level or 1,
                service_date=day,
                discharge_date=discharged,
                total=total,
                out_of_scope=out,
                class_b=class_b,
                cross_region=rule,
            )
            year = claim.year
            before = ytd.get(year) or YearToDate(str(person.pk), year)
            try:
                result = adjudicate(claim, [pack], before)
            except CodedError:
                continue
            ytd[year] = result.after
            _rows(person, hospital, claim, result, now, visits, settlements, funds, digest, base)
            acc = year_totals[year]
            acc[0] += total
            acc[1] += result.basic_fund + result.critical_illness
            acc[2] += result.critical_illness
            acc[3] += 1
        for year, acc in year_totals.items():
            counters = dict(ytd[year].counters)
            totals.append([person.pk, year, json.dumps(counters), *acc, now])
    counts = _write(visits, settlements, funds, totals)
    return counts, digest.hexdigest()


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: small means only.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _rows(
    person: Person,
    hospital: Organisation,
    claim: Claim,
    result: Any,
    now: dt.datetime,
    visits: list[list[Any]],
    settlements: list[list[Any]],
    funds: list[list[Any]],
    digest: Any,
    base: int,
) -> None:
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(claim.service_date, dt.time(9), tzinfo=tz)
    end = (
        dt.datetime.combine(claim.discharge_date, dt.time(10), tzinfo=tz)
        if claim.discharge_date
        else None
    )
    setl_time = (end or begin) + dt.timedelta(minutes=40)
    number = f"SYN{claim.settlement_date:%Y%m%d}{base + len(visits):09d}"
    inpatient = claim.visit_type is VisitType.INPATIENT
    visits.append(
        [
            number,
            person.pk,
            hospital.pk,
            SCHEME,
            "390",
            "21" if inpatient else "11",
            claim.visit_type.value,
            inpatient,
            begin,
            end,
            f"SYN-{number}",
            "",
            "",
            person.region.code[:6],
            hospital.region.code[:6],
            False,
            "settled",
            "",
            hospital.region.path,
            None,
            now,
        ]
    )
    preselfpay = sum(
        ln.amount for ln in result.lines if ln.layer == "scope" and ln.code == "class_b_first"
    )
    deductible = sum(
        ln.amount for ln in result.lines if ln.layer == "basic" and ln.code == "deductible"
    )
    paid = result.paid
    changes = {
        k: result.after.get(k) - result.before.get(k)
        for k in result.after.counters
        if result.after.get(k) != result.before.get(k)
    }
    settlements.append(
        [
            f"S{number}",
            "settlement",
            "settled",
            person.pk,
            None,
            "",
            setl_time,
            claim.year,
            "390",
            "21" if inpatient else "11",
            claim.visit_type.value,
            claim.cross_region.value,
            claim.total,
            claim.out_of_scope,
            0,
            preselfpay,
            claim.total - claim.out_of_scope - preselfpay,
            deductible,
            result.basic_fund,
            Decimal(0),
            result.critical_illness,
            result.medical_assistance,
            result.supplementary,
            paid,
            claim.total - paid,
            0,
            claim.total - paid,
            json.dumps(changes),
            json.dumps([{"ref": str(ref), "hash": ref.hash} for ref in result.packs]),
            "",
            json.dumps({"synthetic": True}),
            json.dumps({"rule": claim.cross_region.value, "filing_id": None, "reason": ""}),
            person.region.code[:6],
            hospital.region.path,
            None,
            hospital.pk,
        ]
    )
    for fund_type, amount in (
        (FUND_BASIC, result.basic_fund),
        (FUND_CRITICAL, result.critical_illness),
        (FUND_ASSISTANCE, result.medical_assistance),
        (FUND_OTHER, result.supplementary),
    ):
        if amount:
            funds.append([len(settlements) - 1, fund_type, amount])
    digest.update(
        f"{person.document_number}|{claim.settlement_date}|{claim.total}|{paid}\n".encode()
    )


VISIT_COLUMNS = (
    "id",
    "mdtrt_id",
    "person_id",
    "institution_id",
    "scheme",
    "insutype",
    "med_type",
    "visit_type",
    "inpatient",
    "begntime",
    "endtime",
    "ipt_otp_no",
    "dise_codg",
    "dise_name",
    "insuplc_admdvs",
    "mdtrtarea_admvs",
    "emergency",
    "status",
    "msgid",
    "region_path",
    "created_by_id",
    "created_at",
)
SETTLEMENT_COLUMNS = (
    "id",
    "visit_id",
    "setl_id",
    "kind",
    "status",
    "person_id",
    "original_id",
    "msgid",
    "setl_time",
    "year",
    "insutype",
    "med_type",
    "visit_type",
    "cross_region",
    "medfee_sumamt",
    "fulamt_ownpay_amt",
    "overlmt_selfpay",
    "preselfpay_amt",
    "inscp_scp_amt",
    "act_pay_dedc",
    "hifp_pay",
    "pool_prop_selfpay",
    "hifmi_pay",
    "maf_pay",
    "oth_pay",
    "fund_pay_sumamt",
    "psn_part_amt",
    "acct_pay",
    "psn_cash_pay",
    "counter_changes",
    "packs",
    "catalogue_version",
    "coverage",
    "cross_region_decision",
    "clr_optins",
    "region_path",
    "created_by_id",
    "institution_id",
)


def _write(
    visits: list[list[Any]],
    settlements: list[list[Any]],
    funds: list[list[Any]],
    totals: list[list[Any]],
) -> dict[str, int]:
    visit_ids = _reserve(Visit, len(visits))
    settlement_ids = _reserve(Settlement, len(settlements))
    _copy(Visit, VISIT_COLUMNS, ([pk, *row] for pk, row in zip(visit_ids, visits, strict=True)))
    _copy(
        Settlement,
        SETTLEMENT_COLUMNS,
        (
            [pk, visit_pk, *row]
            for pk, visit_pk, row in zip(settlement_ids, visit_ids, settlements, strict=True)
        ),
    )
    _copy(
        SettlementFund,
        ("settlement_id", "fund_pay_type", "inscp_scp_amt", "crt_payb_lmt_amt", "fund_payamt"),
        (
            [settlement_ids[index], fund_type, settlements[index][16], 0, amount]
            for index, fund_type, amount in funds
        ),
    )
    _copy(
        PersonYearTotals,
        (
            "person_id",
            "year",
            "counters",
            "medfee",
            "fund_paid_amount",
            "ci_paid_amount",
            "settlements",
            "updated_at",
        ),
        totals,
    )
    return {
        "medical.Visit": len(visits),
        "medical.Settlement": len(settlements),
        "medical.SettlementFund": len(funds),
        "medical.PersonYearTotals": len(totals),
    }

"""The demo city: a deterministic world — regions of Jiangsu (Suzhou in scope of the demo
accounts, Nanjing's 玄武区 outside it), one organisation of each kind, one account per role, the
insured persona 陈秀英, and a synthetic population (every app's generator: the registry's
households, enrollment, special groups). Tests build the same world, smaller.

Reference data, accounts and 陈秀英 go through the services; the population is loaded by the
synthetic-city loader (COPY, one action-log row per table). A second run reuses what exists.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from jingban.core import plugins, synthetic
from jingban.core.models import Organisation, Region, Scheme, User
from jingban.core.roles import Role
from jingban.core.services import accounts, reference
from jingban.core.services.reference import RegionRow
from jingban.packs.services import import_shipped_packs
from jingban.registry.models import Person
from jingban.registry.services import (
    AuthorisationInput,
    EnrollmentRow,
    PersonInput,
    bulk_register_persons,
    bulk_set_enrollments,
    ensure_special_groups,
    grant_authorisation,
    link_account,
    register_person,
)
from jingban.registry.synth.generate import regions_frame
from jingban.registry.synth.reference import SCHEMES

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 2025


def demo_regions() -> list[RegionRow]:
    """The regions of the demo: those of the synthetic city (Suzhou's counties with some towns
    and communities, and Nanjing's 玄武区, outside the demo accounts' scope)."""
    return [RegionRow(*row) for row in regions_frame().iter_rows()]


ORGANISATIONS = [
    # code, name, kind, region, schemes, hospital level
    ("SZ-YBJ", "苏州市医疗保障局", "bureau", "320500", [], None),
    ("NJ-YBJ", "南京市医疗保障局", "bureau", "320100", [], None),
    (
        "SZ-INS-LTC",
        "示例健康保险股份有限公司苏州分公司",
        "insurer",
        "320500",
        ["ltc", "critical_illness"],
        None,
    ),
    ("SZ-INS-HMB", "示例人寿保险股份有限公司苏州分公司", "insurer", "320500", ["huiminbao"], None),
    ("SZ-HOSP-1", "苏州市示例第一人民医院", "hospital", "320505", [], 3),
    # The chief insurer (首席承保) of the co-insured supplementary product; the other
    # co-insurers come with the co-insurance app's demo.
    ("JS-INS-01", "示例人寿保险股份有限公司江苏省分公司", "insurer", "320000", ["huiminbao"], None),
    ("SZ-CARE-KN", "康宁护理院", "care_institution", "320506", [], None),
    ("NJ-HOSP-1", "南京市示例医院", "hospital", "320102", [], 2),
]

WINDOWS = [
    ("SZ-YBJ", "苏州市医保局政务服务窗口", "320500", "苏州市姑苏区示例路1号", "0512-12345678"),
    ("SZ-YBJ", "虎丘区医保服务站", "320505", "虎丘区狮山街道示例路8号", "0512-23456789"),
    ("SZ-INS-LTC", "长护险经办服务窗口", "320500", "苏州市示例大道18号", "0512-34567890"),
    ("SZ-CARE-KN", "康宁护理院长护服务窗口", "320506", "吴中区木渎镇示例街6号", "0512-45678901"),
    ("SZ-CARE-KN", "康宁护理院上门服务调度台", "320506", "吴中区木渎镇示例街6号", "0512-45678902"),
    ("NJ-YBJ", "南京市医保局服务窗口", "320100", "南京市玄武区示例路2号", "025-12345678"),
]

# username, display name, role, organisation, region, schemes
ACCOUNTS = [
    ("admin", "系统管理员", Role.ADMIN, None, None, []),
    ("wang", "王经办", Role.OPERATOR, "SZ-YBJ", "320500", []),
    ("sun", "孙审核", Role.REVIEWER, "SZ-YBJ", "320500", []),
    ("li", "李评估", Role.ASSESSOR, "SZ-INS-LTC", "320500", ["ltc"]),
    ("zhao", "赵稽核", Role.AUDITOR, "SZ-YBJ", "320500", []),
    ("kangning", "康宁护理院", Role.INSTITUTION_STAFF, "SZ-CARE-KN", "320506", []),
    ("zhou", "周护理", Role.CAREGIVER, "SZ-CARE-KN", "320506", []),
    ("chen", "陈参保", Role.INSURED, None, "320505001001", []),
    ("qian", "钱监督", Role.SUPERVISOR, "SZ-YBJ", "320500", []),
    ("renmin", "第一人民医院医保办", Role.INSTITUTION_STAFF, "SZ-HOSP-1", "320505", []),
    ("gongbao", "共保结算岗（示例人寿）", Role.COINSURER, "JS-INS-01", "320000", []),
]


def _check_char(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def resident_id(county: str, birth: dt.date, sequence: int, male: bool) -> str:
    """A valid 18-character resident ID for demo data (sequence 0–499). The synthetic city's
    numbers use sequences from 010 up, so sequences 0–4 here never meet them."""
    seq = sequence * 2 + (1 if male else 0)
    body = f"{county}{birth:%Y%m%d}{seq:03d}"
    return body + _check_char(body)


# The insured demo account's own person: a fixed, valid resident ID.
CHEN_DOCUMENT = resident_id("320505", dt.date(1952, 3, 15), 1, male=False)

# Persons who registered at a window and have no household record yet (the synthetic city puts
# everyone in a household): name, document, region, phone, address.
WALK_INS = [
    (
        "顾建华",
        resident_id("320506", dt.date(1968, 9, 2), 2, male=True),
        "320506100001",
        "13912340001",
        "木渎镇金山路18号",
    ),
    (
        "陆美芳",
        resident_id("320505", dt.date(1975, 4, 21), 3, male=False),
        "320505001001",
        "13912340002",
        "狮山路120号",
    ),
    (
        "沈志明",
        resident_id("320582", dt.date(1990, 12, 8), 2, male=True),
        "320582100",
        "13912340003",
        "杨舍镇人民路56号",
    ),
    (
        "钱丽娟",
        resident_id("320102", dt.date(1983, 6, 30), 4, male=False),
        "320102001",
        "13912340004",
        "梅园新村街道长江路9号",
    ),
]


@dataclass
class World:
    admin: User
    users: dict[str, User]
    passwords: dict[str, str]
    persons: list[Person] = field(default_factory=list)


def _accounts_file(var_dir: Path) -> Path:
    return var_dir / "demo-accounts.json"


def demo_passwords(var_dir: Path | None) -> dict[str, str]:
    """Demo passwords: kept in var/ so a second run prints the same ones. None: fixed (tests)."""
    if var_dir is None:
        return {username: f"{username}-demo-pass" for username, *_ in ACCOUNTS}
    path = _accounts_file(var_dir)
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    for username, *_ in ACCOUNTS:
        stored.setdefault(username, secrets.token_urlsafe(9))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=2))
    path.chmod(0o600)
    return stored


def _reference_data(admin: User) -> tuple[dict[str, Region], dict[str, Scheme]]:
    if not Region.objects.filter(code="320000").exists():
        reference.import_regions(demo_regions(), acting_user=admin)
    regions = {r.code: r for r in Region.objects.all()}
    for code, kind, zh, en in SCHEMES:
        if not Scheme.objects.filter(code=code).exists():
            reference.create_scheme(code=code, kind=kind, name_zh=zh, name_en=en, acting_user=admin)
    schemes = {s.code: s for s in Scheme.objects.all()}
    for code, name, kind, region, scheme_codes, level in ORGANISATIONS:
        if Organisation.objects.filter(code=code).exists():
            continue
        org = reference.create_organisation(
            code=code,
            name=name,
            kind=kind,
            region=regions[region],
            schemes=[schemes[c] for c in scheme_codes],
            hospital_level=level,
            acting_user=admin,
        )
        for w_org, w_name, w_region, address, phone in WINDOWS:
            if w_org == code:
                reference.add_service_window(
                    organisation=org,
                    name=w_name,
                    region=regions[w_region],
                    address=address,
                    phone=phone,
                    opening_hours="周一至周五 9:00–17:00",
                    acting_user=admin,
                )
    return regions, schemes


def build_world(
    *,
    persons: int = DEFAULT_PERSONS,
    seed: int = DEFAULT_SEED,
    year: int = 2026,
    var_dir: Path | None = None,
) -> World:
    """Create the demo world, or complete it where a previous run left it. Idempotent: the
    population is loaded only into a registry without persons, so a second run (with any
    ``persons`` and ``seed``) reuses the first one's."""
    passwords = demo_passwords(var_dir)
    with transaction.atomic():
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = accounts.create_account(
                username="admin",
                password=passwords["admin"],
                role=Role.ADMIN,
                display_name="系统管理员",
                acting_user=None,
            )
        regions, schemes = _reference_data(admin)
        organisations = {o.code: o for o in Organisation.objects.all()}
        users = {"admin": admin}
        for username, display, role, org_code, region_code, scheme_codes in ACCOUNTS[1:]:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = accounts.create_account(
                    username=username,
                    password=passwords[username],
                    role=role,
                    display_name=display,
                    region=regions.get(region_code or ""),
                    organisation=organisations.get(org_code or ""),
                    schemes=[schemes[c] for c in scheme_codes],
                    acting_user=admin,
                )
            users[username] = user
        for username, user in users.items():
            if not user.check_password(passwords[username]):
                accounts.reset_password(user, passwords[username], acting_user=admin)

        ensure_special_groups(acting_user=admin)
        import_shipped_packs(acting_user=admin)
        if not Person.objects.exists():
            _load_persons(persons, seed, year, admin, users["chen"])
        for builder in plugins.demo_builders():
            plugins.load(builder)(admin, users)
    return World(
        admin=admin,
        users=users,
        passwords=passwords,
        persons=list(Person.objects.select_related("region").order_by("id")),
    )


def _load_persons(count: int, seed: int, year: int, admin: User, chen_account: User) -> None:
    """陈秀英 and the walk-ins through the registry's services, then the synthetic city for
    everyone else."""
    chen = register_person(
        PersonInput(
            document_type="resident_id",
            document_number=CHEN_DOCUMENT,
            name="陈秀英",
            region_code="320505001001",
            phone="13812345678",
            address="狮山路88号",
        ),
        acting_user=admin,
    )
    link_account(chen, chen_account, acting_user=admin)
    walk_ins = bulk_register_persons(
        [
            PersonInput(
                document_type="resident_id",
                document_number=document,
                name=name,
                region_code=region,
                phone=phone,
                address=address,
            )
            for name, document, region, phone, address in WALK_INS[: max(0, count - 1)]
        ],
        acting_user=admin,
    )
    bulk_set_enrollments(
        [
            EnrollmentRow(person.pk, scheme, y, "active", dt.date(y, 1, 1))
            for y in (year - 1, year)
            for person, schemes in [(chen, ("resident_medical", "ltc"))]
            + [(p, ("resident_medical",)) for p in walk_ins]
            for scheme in schemes
        ],
        acting_user=admin,
    )
    _neighbours(chen, walk_ins, chen_account, admin)
    rest = count - 1 - len(walk_ins)
    if rest > 0:
        synthetic.generate(rest, seed, acting_user=admin)


def _neighbours(chen: Person, walk_ins: list[Person], chen_account: User, admin: User) -> None:
    """The demo's agent: 陈秀英 acts, with a letter of authorisation, for her neighbour 陆美芳 in
    the same community (viewing her record, updating her phone and address, filing for treatment
    in another region, applying for manual reimbursement). The authorisation
    runs for a year around the day the demo is built. Neither is in a household yet: an operator
    can open one for them."""
    today = dt.date.today()
    neighbour = next((p for p in walk_ins if p.name == "陆美芳"), None)
    if neighbour is None:
        return
    grant_authorisation(
        neighbour,
        AuthorisationInput(
            agent_username=chen_account.username,
            kind="agent",
            services=("view_record", "update_contact", "cross_region_filing", "submit_claim"),
            valid_from=today - dt.timedelta(days=30),
            valid_to=today + dt.timedelta(days=335),
            basis="授权委托书（示例）",
            relation="邻居",
        ),
        acting_user=admin,
    )

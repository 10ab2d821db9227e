"""The demo city: a small, deterministic world — regions of Jiangsu (Suzhou in scope of the demo
accounts, Nanjing outside it), one organisation of each kind, a few hundred insured persons with
enrollment and special groups, and one account per role. Tests build the same world, smaller.

Everything is written through services, so the action log records the load (one row per batch).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from jingban.core.models import Organisation, Region, Scheme, User
from jingban.core.roles import Role
from jingban.core.services import accounts, reference
from jingban.core.services.reference import RegionRow
from jingban.registry.models import Person
from jingban.registry.services import (
    EnrollmentRow,
    PersonInput,
    add_membership,
    bulk_register_persons,
    bulk_set_enrollments,
    ensure_special_groups,
    link_account,
)

REGIONS = [
    RegionRow("320000", "江苏省", "province", None),
    RegionRow("320500", "苏州市", "city", "320000"),
    RegionRow("320505", "虎丘区", "county", "320500"),
    RegionRow("320505001", "狮山街道", "town", "320505"),
    RegionRow("320505001001", "狮山社区", "village", "320505001"),
    RegionRow("320506", "吴中区", "county", "320500"),
    RegionRow("320506100", "木渎镇", "town", "320506"),
    RegionRow("320506100001", "木渎社区", "village", "320506100"),
    RegionRow("320582", "张家港市", "county", "320500"),
    RegionRow("320582100", "杨舍镇", "town", "320582"),
    RegionRow("320100", "南京市", "city", "320000"),
    RegionRow("320102", "玄武区", "county", "320100"),
    RegionRow("320102001", "梅园新村街道", "town", "320102"),
]
# Where persons live: Suzhou towns and villages, and one Nanjing street (out of scope).
HOMES = ["320505001", "320505001001", "320506100", "320506100001", "320582100", "320102001"]

SCHEMES = [
    (
        "resident_medical",
        "resident_medical",
        "城乡居民基本医疗保险",
        "Resident basic medical insurance",
    ),
    (
        "employee_medical",
        "employee_medical",
        "职工基本医疗保险",
        "Employee basic medical insurance",
    ),
    ("critical_illness", "critical_illness", "城乡居民大病保险", "Critical illness insurance"),
    ("ltc", "ltc", "长期护理保险", "Long-term care insurance"),
    ("huiminbao", "supplementary", "江苏医惠保1号", "Jiangsu Yihuibao No. 1"),
]

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
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉梅文斌宇浩凯鑫婷雪琳晨阳"
    "欣怡子涵梓轩雨萱浩然思远佳琪嘉怡"
)
STREETS = "人民路 干将路 观前街 东环路 长江路 太湖路 金山路 宝带路 中山路 北京路".split()


def _check_char(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def resident_id(county: str, birth: dt.date, sequence: int, male: bool) -> str:
    """A valid 18-character resident ID for demo data (sequence 0–499)."""
    seq = sequence * 2 + (1 if male else 0)
    body = f"{county}{birth:%Y%m%d}{seq:03d}"
    return body + _check_char(body)


# The insured demo account's own person: a fixed, valid resident ID.
CHEN_DOCUMENT = resident_id("320505", dt.date(1952, 3, 15), 1, male=False)


@dataclass
class World:
    admin: User
    users: dict[str, User]
    passwords: dict[str, str]
    persons: list[Person] = field(default_factory=list)


def _people(count: int, seed: int, year: int) -> list[PersonInput]:
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data
    rows: list[PersonInput] = []
    used: set[str] = set()
    for index in range(count):
        home = HOMES[index % len(HOMES)] if index < len(HOMES) else rng.choice(HOMES)
        county = home[:6]
        male = rng.random() < 0.49
        age = min(95, max(0, int(rng.triangular(0, 95, 45))))
        birth = dt.date(year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        number = resident_id(county, birth, rng.randint(0, 499), male)
        if number in used:
            continue
        used.add(number)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        address = f"{rng.choice(STREETS)}{rng.randint(1, 300)}号"
        rows.append(
            PersonInput(
                document_type="resident_id",
                document_number=number,
                name=name,
                region_code=home,
                phone=phone,
                address=address,
            )
        )
    return rows


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


def build_world(
    *, persons: int = 300, seed: int = 2025, year: int = 2026, var_dir: Path | None = None
) -> World:
    """Create the demo world, or complete it where a previous run left it. Idempotent."""
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
        if not Region.objects.filter(code="320000").exists():
            reference.import_regions(REGIONS, acting_user=admin)
        regions = {r.code: r for r in Region.objects.all()}
        for code, kind, zh, en in SCHEMES:
            if not Scheme.objects.filter(code=code).exists():
                reference.create_scheme(
                    code=code, kind=kind, name_zh=zh, name_en=en, acting_user=admin
                )
        schemes = {s.code: s for s in Scheme.objects.all()}
        for code, name, kind, region, scheme_codes, level in ORGANISATIONS:
            if not Organisation.objects.filter(code=code).exists():
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
        if not Person.objects.exists():
            _load_persons(persons, seed, year, admin, users["chen"])
    return World(
        admin=admin,
        users=users,
        passwords=passwords,
        persons=list(Person.objects.select_related("region").order_by("id")),
    )


def _load_persons(count: int, seed: int, year: int, admin: User, chen_account: User) -> None:
    chen = PersonInput(
        document_type="resident_id",
        document_number=CHEN_DOCUMENT,
        name="陈秀英",
        region_code="320505001001",
        phone="13812345678",
        address="狮山路88号",
    )
    rows = [chen] + [
        r for r in _people(count - 1, seed, year) if r.document_number != CHEN_DOCUMENT
    ]
    created = bulk_register_persons(rows, acting_user=admin)
    link_account(created[0], chen_account, acting_user=admin)
    rng = random.Random(seed + 1)  # noqa: S311 - deterministic demo data
    enrollments = []
    for person in created:
        age = year - person.birth_date.year
        for y in (year - 1, year):
            status = "active" if rng.random() < 0.93 else rng.choice(["suspended", "ended"])
            enrollments.append(
                EnrollmentRow(person.pk, "resident_medical", y, status, dt.date(y, 1, 1))
            )
            if age >= 60:
                enrollments.append(EnrollmentRow(person.pk, "ltc", y, "active", dt.date(y, 1, 1)))
        if rng.random() < 0.3:
            enrollments.append(
                EnrollmentRow(person.pk, "huiminbao", year, "active", dt.date(year, 1, 1))
            )
    bulk_set_enrollments(enrollments, acting_user=admin)
    groups = ["tekun", "dibao", "dibao_edge", "monitored", "illness_poor", "severe_disability"]
    for person in created[1:]:
        if rng.random() < 0.06:
            add_membership(
                person,
                group_code=rng.choice(groups),
                valid_from=dt.date(year - 1, rng.randint(1, 12), 1),
                valid_to=None,
                acting_user=admin,
            )

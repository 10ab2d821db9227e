"""The policy page explains the packs in force (the approved versions in the database), marks
sample figures as samples, says so when nothing is in force, and refuses a bad question."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jingban.engine.policy import shipped_registry
from jingban.packs import services
from jingban.packs.models import PackVersion
from tests.personas import Personas

IN_2025 = "/public/policy/?region=320500&scheme=resident_medical&day=2025-06-30"


def _figure(body: str, path: str) -> str:
    """The text of the figure at ``path`` (its value, with a sample badge if any)."""
    match = re.search(rf'data-path="{re.escape(path)}">(.*?)</span>(?:</td>|</dd>|\s|<)', body)
    assert match, f"no figure {path}"
    return match.group(1)


def _get(url: str) -> tuple[int, str]:
    response = Client().get(url)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_the_page_shows_the_figures_of_the_pack_in_force(personas: Personas) -> None:
    status, body = _get(IN_2025)
    assert status == 200
    # The resident scheme's v2 pack: inpatient ratios by level, the outpatient cap, the bands.
    assert _figure(body, "benefits.inpatient.ratio_by_level.3") == "65%"
    assert _figure(body, "benefits.inpatient.ratio_by_level.1") == "85%"
    assert _figure(body, "caps.outpatient_general.amount") == "¥150"
    assert _figure(body, "critical_illness.bands.1.ratio") == "85%"
    assert _figure(body, "tiers.tier_2.amount") == "¥775"
    assert _figure(body, "fiscal_subsidy") == "¥670"
    # It names the pack, its version and period, and says the engine uses these figures.
    assert "示例城乡居民基本医疗保险（2025年度）" in body
    assert "第2版" in body
    assert "2025-01-01" in body and "2025-12-31" in body
    assert "结算引擎" in body
    # 惠民保 beside the basic scheme, for a Jiangsu region.
    assert "江苏医惠保1号" in body
    # No internals: neither the pack id nor a YAML path as text.
    assert "sample-resident-2025" not in body
    assert ">benefits.inpatient" not in body


@pytest.mark.django_db
def test_a_sample_figure_is_marked_as_a_sample(personas: Personas) -> None:
    _status, body = _get(IN_2025)
    sample = _figure(body, "benefits.inpatient.deductible.by_level.3")
    assert sample.startswith("¥800")
    assert "示例数据" in sample
    # A sourced figure carries no badge.
    assert "示例数据" not in _figure(body, "benefits.inpatient.ratio_by_level.3")
    assert "不是正式规定" in body or "不是规定" in body


@pytest.mark.django_db
def test_a_new_approved_version_changes_the_page(personas: Personas) -> None:
    admin, qian = personas.user("admin"), personas.user("qian")
    text = shipped_registry().get("sample-resident-2025", 2).text
    text = services.bump_version_line(text, 3).replace("      3: 0.65", "      3: 0.70", 1)
    assert "3: 0.70" in text
    draft = services.import_pack_text(text, acting_user=admin)
    _status, body = _get(IN_2025)
    assert _figure(body, "benefits.inpatient.ratio_by_level.3") == "65%", "a draft is no rule"
    services.approve_version(draft, acting_user=qian)
    _status, body = _get(IN_2025)
    assert _figure(body, "benefits.inpatient.ratio_by_level.3") == "70%"
    assert PackVersion.objects.filter(pack_id="sample-resident-2025", version=3).exists()


@pytest.mark.django_db
def test_a_day_without_rules_in_force_says_so_and_offers_the_periods_on_record(
    personas: Personas,
) -> None:
    status, body = _get("/public/policy/?region=320500&scheme=resident_medical&day=2030-03-01")
    assert status == 200
    assert "2030-03-01" in body
    assert "没有生效" in body or "尚未公布" in body
    assert "day=2025-12-31" in body
    assert "data-path=" not in body


@pytest.mark.django_db
def test_a_scheme_without_published_rules_says_so(personas: Personas) -> None:
    status, body = _get("/public/policy/?region=320500&scheme=employee_medical&day=2025-06-30")
    assert status == 200
    assert "尚未公布职工基本医疗保险的政策" in body
    assert 'data-path="benefits.' not in body
    # The 惠民保 products of the region stack on employee insurance too.
    assert "江苏医惠保1号" in body


@pytest.mark.django_db
def test_the_defaults_are_the_bureaus_region_resident_insurance_and_today(
    personas: Personas,
) -> None:
    status, body = _get("/public/policy/")
    assert status == 200
    assert re.search(r'<option value="320500" selected>', body)
    assert re.search(r'<option value="resident_medical" selected>', body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("region=999999", "region", "请从列表中选择一个地区"),
        ("region=320505001", "region", "请从列表中选择一个地区"),
        ("scheme=nonsense", "scheme", "请从列表中选择一个险种"),
        ("day=2025-13-01", "day", "请按“年-月-日”输入日期"),
        ("day=1800-01-01", "day", "请选择"),
    ],
)
def test_a_bad_question_gets_a_clear_error(
    personas: Personas, query: str, field: str, message: str
) -> None:
    status, body = _get(f"/public/policy/?{query}")
    assert status == 400
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert "data-path=" not in body


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_an_installation_without_regions_says_nothing_is_published() -> None:
    status, body = _get("/public/policy/")
    assert status == 200
    assert "尚未公布任何政策" in body
    assert "errorlist" not in body


@pytest.mark.django_db
def test_the_chinese_page_shows_no_english_and_the_english_one_is_complete(
    personas: Personas,
) -> None:
    from tests.core.test_english import visible_latin

    _status, body = _get(IN_2025)
    assert visible_latin(body) == []
    client = Client()
    client.cookies["jingban_language"] = "en"
    english = client.get(IN_2025).content.decode()
    assert "Level 3 hospitals" in english
    assert "Sample data" in english
    assert "The settlement engine works with exactly these figures." in english


@pytest.mark.django_db
def test_a_sample_period_is_marked(personas: Personas) -> None:
    _status, body = _get(IN_2025)
    facts = re.search(r"依据《江苏医惠保1号》.*?</p>", body, re.S)
    assert facts and "2026-12-31" in facts.group(0) and "示例数据" in facts.group(0)
    medical = re.search(r"依据《示例城乡居民基本医疗保险（2025年度）》.*?</p>", body, re.S)
    assert medical and "badge-sample" not in medical.group(0)


@pytest.mark.django_db
def test_a_tampered_pack_is_never_explained(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jingban.packs.queries import PackTampered
    from jingban.public import policy

    row = PackVersion.objects.get(pack_id="sample-resident-2025", version=2)

    def tampered() -> None:
        raise PackTampered(row, "the stored text hashes to something else")

    monkeypatch.setattr(policy, "registry", tampered)
    status, body = _get(IN_2025)
    assert status == 503
    assert "暂时无法显示政策" in body
    assert "data-path=" not in body

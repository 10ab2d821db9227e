"""试算: a made-up bill settled with a stored version and the approved one before it."""

from __future__ import annotations

from jingban.packs import services
from jingban.packs.models import PackVersion
from tests.packs.conftest import PACK_ID, pack_text
from tests.personas import Personas

WORKED = {
    "visit_type": "inpatient",
    "hospital_level": "3",
    "service_date": "2025-03-01",
    "discharge_date": "2025-03-10",
    "total": "60000",
    "out_of_scope": "5000",
    "class_b": "20000",
    "person_category": "dibao",
    "cross_region": "local",
}


def _trial(client, row: PackVersion, **changes: str):
    return client.get(f"/policies/{row.pk}/trial/", {**WORKED, **changes})


def test_the_worked_example_settles_with_its_explanation(personas: Personas) -> None:
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    response = _trial(personas.client("wang"), shipped)
    page = response.content.decode()

    assert response.status_code == 200
    # 低保 with the relief tilt: threshold 5,000 at 80%; assistance after its deductible.
    for figure in ("¥33,930.00", "¥11,256.00", "¥60,000.00"):
        assert figure in page
    assert "统筹基金支付" in page and "住院：（政策范围内 − 起付线）× 65%（3级医院）" in page
    # Version 2 beside the version before it, version 1 (layout 1): the same figures.
    assert page.count('<th scope="col">sample-resident-2025@2</th>') == 1
    assert page.count('<th scope="col">sample-resident-2025@1</th>') == 1
    assert '<td class="num">¥33,930.00</td><td class="num">¥33,930.00</td>' in page
    assert shipped.content_hash[:12] in page


def test_a_draft_is_compared_with_the_approved_version_before_it(personas: Personas) -> None:
    text = pack_text(3, ("      3: 0.65\n", "      3: 0.70\n"))
    draft = services.import_pack_text(text, acting_user=personas.user("admin"))
    page = _trial(personas.client("qian", language="en"), draft).content.decode()

    assert '<th scope="col">sample-resident-2025@3</th>' in page
    assert '<th scope="col">sample-resident-2025@2</th>' in page
    # (53,000 − 800) × 70% against × 65%.
    assert page.index("¥36,540.00") < page.index("¥33,930.00")
    assert "Inpatient: (in scope − deductible) × 70% (level 3)" in page


def test_a_supplementary_version_is_stacked_on_the_approved_public_pack(
    personas: Personas,
) -> None:
    huiminbao = PackVersion.objects.get(pack_id="jiangsu-yihuibao-2021", version=2)
    page = _trial(
        personas.client("wang", language="en"),
        huiminbao,
        total="100000",
        out_of_scope="30000",
        class_b="10000",
        person_category="general",
    ).content.decode()

    # Each version of the product on the medical pack in force (@2), never on the
    # contribution pack of the same scheme.
    assert "sample-resident-2025@2" in page and "sample-resident-2025@1" not in page
    assert "jiangsu-yihuibao-2021@2" in page and "jiangsu-yihuibao-2021@1" in page
    assert "sample-resident-contributions-2025" not in page
    # 60% of the out-of-catalogue remainder after 20,000, by both versions.
    assert '<td class="num">¥14,800.50</td><td class="num">¥14,800.50</td>' in page


def test_bad_input_is_refused_beside_its_field(personas: Personas) -> None:
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    client = personas.client("wang", language="en")

    too_much = _trial(client, shipped, out_of_scope="70000")
    assert too_much.status_code == 400
    assert "Out-of-scope amount is more than the total." in too_much.content.decode()
    assert 'id="trial-result"' not in too_much.content.decode()

    precise = _trial(client, shipped, total="100.123")
    assert precise.status_code == 400
    assert "at most two decimals" in precise.content.decode()

    backwards = _trial(client, shipped, discharge_date="2025-02-01")
    assert "Discharge date is before the service (admission) date." in backwards.content.decode()


def test_a_date_outside_the_pack_is_explained(personas: Personas) -> None:
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    page = _trial(
        personas.client("wang", language="en"), shipped, discharge_date="2026-01-02"
    ).content.decode()
    assert "The pack sample-resident-2025@2 is not in force on 2026-01-02." in page
    assert "¥33,930.00" not in page


def test_an_empty_form_shows_no_result(personas: Personas) -> None:
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    response = personas.client("wang").get(f"/policies/{shipped.pk}/trial/")
    assert response.status_code == 200
    assert 'id="trial-form"' in response.content.decode()
    assert 'id="trial-result"' not in response.content.decode()


def test_a_supplementary_version_without_a_public_pack_on_the_date_says_so(
    personas: Personas,
) -> None:
    huiminbao = PackVersion.objects.get(pack_id="jiangsu-yihuibao-2021", version=1)
    page = _trial(
        personas.client("wang"), huiminbao, service_date="2022-03-01", discharge_date="2022-03-09"
    ).content.decode()
    assert "没有已批准的基本政策包在该日期生效，无法叠加补充政策包。" in page
    assert 'id="trial-lines"' not in page


def test_a_contribution_pack_has_nothing_to_try(personas: Personas) -> None:
    row = PackVersion.objects.get(pack_id="sample-resident-contributions-2025", version=1)
    client = personas.client("wang", language="en")
    page = _trial(client, row).content.decode()
    assert "A pack of the family “Contributions” settles no claim: there is nothing to try." in page
    assert 'id="trial-lines"' not in page
    detail = client.get(f"/policies/{row.pk}/").content.decode()
    assert f"/policies/{row.pk}/trial/" not in detail
    assert '<dd data-testid="family">Contributions</dd>' in detail

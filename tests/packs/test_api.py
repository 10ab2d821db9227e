"""/api/v1/policies: the list, one version with its figures and changes, approval."""

from __future__ import annotations

from jingban.core.models import User
from jingban.core.services.accounts import issue_api_token
from jingban.engine.policy import load_pack_text
from jingban.packs import services
from jingban.packs.models import PackVersion
from tests.packs.conftest import OUTPATIENT_CAP, PACK_ID, pack_text
from tests.personas import Personas


def _bearer(personas: Personas, username: str) -> dict[str, str]:
    token = issue_api_token(personas.user(username), name="packs", acting_user=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_list_and_detail(personas: Personas, client) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    body = client.get("/api/v1/policies", **_bearer(personas, "sun")).json()
    assert body["count"] == 20 and body["page"] == 1
    assert [r["spec"] for r in body["results"]] == [
        "jiangsu-ankang-2026@1",
        "jiangsu-yihuibao-2021@2",
        "jiangsu-yihuibao-2021@1",
        "national-ltc-assessment-2021@1",
        f"{PACK_ID}@3",
        f"{PACK_ID}@2",
        f"{PACK_ID}@1",
        "sample-resident-2026@1",
        "sample-resident-contributions-2025@2",
        "sample-resident-contributions-2025@1",
        "sample-resident-contributions-2026@1",
        "suzhou-desk-2026@1",
        "suzhou-filing-2026@1",
        "suzhou-ltc@1",
        "suzhou-reimbursement-2026@1",
        "tengzhou-ltc-2024@1",
        "yantai-ltc@3",
        "yantai-ltc@2",
        "yantai-ltc@1",
        "zhangjiagang-ltc-2021@1",
    ]
    draft = body["results"][4]
    assert (draft["status"], draft["origin"], draft["author"], draft["reviewer"]) == (
        "draft",
        "imported",
        "admin",
        None,
    )
    assert draft["content_hash"] == row.content_hash and draft["approved_at"] is None
    assert client.get("/api/v1/policies?page=9", **_bearer(personas, "sun")).json()["results"] == []

    detail = client.get(f"/api/v1/policies/{row.pk}", **_bearer(personas, "sun")).json()
    figures = load_pack_text(row.content).figures
    assert len(detail["figures"]) == len(figures)
    by_path = {f["path"]: f for f in detail["figures"]}
    assert by_path["caps.outpatient_general.amount"] == {
        "path": "caps.outpatient_general.amount",
        "value": 180,
        "sample": False,
        "note": "",
        "note_zh": "",
        "note_en": "",
        "label": "年度支付限额 · 普通门诊统筹年度限额 · 年度限额",
        "shown": "¥180",
    }
    deductible = by_path["benefits.inpatient.deductible.by_level.3"]
    assert deductible["sample"] is True
    assert (deductible["label"], deductible["shown"]) == (
        "基本医保待遇 · 住院 · 起付线 · 三级医院",
        "¥800",
    )
    # The note in the caller's language (Chinese by default), and both languages.
    assert deductible["note"] == deductible["note_zh"] == "medical.md算例中的占位数"
    assert deductible["note_en"] == "the placeholder of the worked example in medical.md"
    User.objects.filter(username="sun").update(language="en")
    english = client.get(f"/api/v1/policies/{row.pk}", **_bearer(personas, "sun")).json()
    assert {f["path"]: f["note"] for f in english["figures"]}[
        "benefits.inpatient.deductible.by_level.3"
    ] == "the placeholder of the worked example in medical.md"
    assert {f["path"]: f["label"] for f in english["figures"]}[
        "benefits.inpatient.ratio_by_level.3"
    ] == "Basic benefits · Inpatient · Reimbursement ratio · Level 3 hospitals"
    assert detail["previous_approved"] == f"{PACK_ID}@2"
    assert detail["changes"] == [
        {"path": "caps.outpatient_general.amount", "before": 150, "after": 180}
    ]
    assert detail["hash_verified"] is True and detail["content"] == row.content


def test_approve_by_a_second_person_only(personas: Personas, client) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    url = f"/api/v1/policies/{row.pk}/approve"
    own = client.post(url, {}, content_type="application/json", **_bearer(personas, "admin"))
    assert own.status_code == 403 and own.json()["code"] == services.OWN_VERSION
    other = client.post(url, {}, content_type="application/json", **_bearer(personas, "wang"))
    assert other.status_code == 403 and other.json()["code"] == "forbidden"

    done = client.post(
        url, {"note": "已核对"}, content_type="application/json", **_bearer(personas, "qian")
    )
    assert done.status_code == 200
    body = done.json()
    assert (body["status"], body["reviewer"], body["review_note"]) == ("approved", "qian", "已核对")
    assert body["approved_at"] is not None
    assert PackVersion.objects.get(pk=row.pk).status == "approved"

    again = client.post(url, {}, content_type="application/json", **_bearer(personas, "qian"))
    assert again.status_code == 409 and again.json()["code"] == services.NOT_DRAFT
    missing = client.post(
        "/api/v1/policies/999999/approve",
        {},
        content_type="application/json",
        **_bearer(personas, "qian"),
    )
    assert missing.status_code == 404


def test_roles_without_the_view_capability_are_refused(personas: Personas, client) -> None:
    for username in ("li", "kangning", "zhou", "chen"):
        response = client.get("/api/v1/policies", **_bearer(personas, username))
        assert response.status_code == 403, username

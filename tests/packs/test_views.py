"""The policy pack pages, as the personas: admin imports and drafts, qian approves, admin cannot
approve their own draft, and a broken pack's problems appear beside the field with their lines."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jingban.engine.policy import load_pack_text
from jingban.packs import services
from jingban.packs.models import PackStatus, PackVersion
from tests.packs.conftest import OUTPATIENT_CAP, PACK_ID, line_of, pack_text
from tests.personas import Personas


def _shipped() -> PackVersion:
    return PackVersion.objects.get(pack_id=PACK_ID, version=2)


def _page(response) -> str:
    return response.content.decode()


def test_admin_imports_by_pasting_and_qian_approves(personas: Personas) -> None:
    admin = personas.client("admin", language="en")
    response = admin.post(
        reverse("packs:version_create"), {"content": pack_text(3, OUTPATIENT_CAP)}
    )
    row = PackVersion.objects.get(pack_id=PACK_ID, version=3)
    assert response.status_code == 302 and response["Location"] == f"/policies/{row.pk}/"
    assert (row.status, row.origin, row.author) == ("draft", "imported", personas.user("admin"))

    # The author sees that another person must review; no approval for them.
    page = _page(admin.get(f"/policies/{row.pk}/"))
    assert 'id="approve-link"' not in page and 'id="discard-link"' in page
    assert "another person must approve or reject it" in page
    refused = admin.post(f"/policies/{row.pk}/approve/", {"approve-note": "x"}, follow=True)
    assert "another person must review it" in _page(refused)
    row.refresh_from_db()
    assert row.status == PackStatus.DRAFT

    qian = personas.client("qian", language="en")
    page = _page(qian.get(f"/policies/{row.pk}/"))
    assert 'id="approve-link"' in page and 'id="reject-link"' in page
    assert 'id="discard-link"' not in page
    # Approving asks for confirmation first, and the approval takes a note.
    confirm = qian.get(f"/policies/{row.pk}/approve/")
    assert confirm.status_code == 200 and 'id="approve-form"' in _page(confirm)
    assert "1 figure differs from sample-resident-2025@2" in _page(confirm)
    row.refresh_from_db()
    assert row.status == PackStatus.DRAFT
    response = qian.post(f"/policies/{row.pk}/approve/", {"approve-note": " "})
    assert response.status_code == 400 and 'id="id_approve-note_errors"' in _page(response)
    row.refresh_from_db()
    assert row.status == PackStatus.DRAFT
    response = qian.post(f"/policies/{row.pk}/approve/", {"approve-note": "核对无误"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reviewer, row.review_note) == (
        "approved",
        personas.user("qian"),
        "核对无误",
    )
    page = _page(qian.get(f"/policies/{row.pk}/"))
    assert 'id="approve-link"' not in page and 'data-status="approved"' in page


def test_a_broken_paste_shows_each_problem_with_its_line_beside_the_field(
    personas: Personas,
) -> None:
    text = pack_text(
        3,
        ("    amount: 150\n", ""),
        ("above: 100000, up_to: 200000", "above: 90000, up_to: 200000"),
    )
    response = personas.client("admin", language="en").post(
        reverse("packs:version_create"), {"content": text}
    )
    assert response.status_code == 400
    page = _page(response)
    assert "The policy pack does not load: 2 problem(s)." in page  # the summary at the top
    errors = re.search(r'<ul class="errorlist" id="id_content_errors">(.*?)</ul>', page, re.S)
    assert errors is not None
    listed = errors.group(1)
    assert (
        f"Line {line_of(text, '  outpatient_general:')}, caps.outpatient_general.amount:" in listed
    )
    bands = line_of(text, "  bands:")
    assert f"Line {bands}, critical_illness.bands: Bands 1 and 2 overlap." in listed
    assert not PackVersion.objects.filter(pack_id=PACK_ID, version=3).exists()


def test_an_uploaded_file_is_imported_and_its_problems_shown_on_the_file(
    personas: Personas,
) -> None:
    admin = personas.client("admin", language="en")
    broken = SimpleUploadedFile("broken.yaml", b"id: x-broken\nversion: one\n")
    response = admin.post(reverse("packs:version_create"), {"file": broken})
    assert response.status_code == 400
    assert 'id="id_file_errors"' in _page(response) and "Line 2, version:" in _page(response)

    good = SimpleUploadedFile("v2.yaml", pack_text(3, OUTPATIENT_CAP).encode())
    response = admin.post(reverse("packs:version_create"), {"file": good})
    assert response.status_code == 302
    assert PackVersion.objects.filter(pack_id=PACK_ID, version=3, origin="imported").exists()

    both = SimpleUploadedFile("v3.yaml", b"id: x")
    response = admin.post(reverse("packs:version_create"), {"file": both, "content": "id: y"})
    assert response.status_code == 400 and "not both" in _page(response)


def test_the_advanced_page_drafts_a_new_version_from_the_text(personas: Personas) -> None:
    admin = personas.client("admin", language="en")
    page = _page(admin.get(f"/policies/{_shipped().pk}/edit/yaml/"))
    assert "\nversion: 3\n" in page.replace("&#x27;", "'")
    text = pack_text(3, OUTPATIENT_CAP)
    response = admin.post(f"/policies/{_shipped().pk}/edit/yaml/", {"content": text})
    row = PackVersion.objects.get(pack_id=PACK_ID, version=3)
    assert response.status_code == 302 and row.origin == "edited"
    # The next draft from it starts at version 4; the same text again is refused beside the field.
    assert "\nversion: 4\n" in _page(admin.get(f"/policies/{row.pk}/edit/yaml/"))
    response = admin.post(f"/policies/{row.pk}/edit/yaml/", {"content": text})
    assert response.status_code == 400
    assert f"This exact pack is already stored as {PACK_ID}@3 (Draft)." in _page(response)


def test_the_detail_shows_identity_figures_samples_changes_and_source(personas: Personas) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    page = _page(personas.client("zhao", language="en").get(f"/policies/{row.pk}/"))
    assert row.content_hash in page and f"{PACK_ID}@3" in page
    # Every figure, sample ones badged.
    figures = page[page.index('id="figures"') :]
    assert figures.count("<tr data-path=") == len(load_pack_text(row.content).figures)
    deductible = re.search(
        r'<tr data-path="benefits.inpatient.deductible.by_level.3">(.*?)</tr>', figures, re.S
    )
    assert (
        deductible is not None and "800" in deductible.group(1) and "sample" in deductible.group(1)
    )
    # The one change from the approved version 2, labelled, in yuan; no path as text.
    changes = page[page.index('id="changes"') : page.index('id="figures"')]
    rows = re.findall(
        r'<tr data-path="([^"]+)">\s*<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
        changes,
        re.S,
    )
    assert rows == [
        (
            "caps.outpatient_general.amount",
            "Annual caps · Annual cap of outpatient pooling · Annual cap",
            "¥150",
            "¥180",
        )
    ]
    assert ">caps.outpatient_general.amount<" not in page
    # The source text is a technical detail for those who edit packs.
    assert 'id="source"' not in page
    admin_page = _page(personas.client("admin", language="en").get(f"/policies/{row.pk}/"))
    assert "amount: 180" in admin_page[admin_page.index('id="source"') :]
    # A viewer who may not review gets no review action.
    assert 'id="approve-link"' not in page and 'id="discard-link"' not in page


def test_reject_without_a_reason_is_shown_beside_the_field(personas: Personas) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    qian = personas.client("qian", language="en")
    response = qian.post(f"/policies/{row.pk}/reject/", {"reject-note": ""})
    assert response.status_code == 400
    assert 'id="id_reject-note_errors"' in _page(response)
    response = qian.post(f"/policies/{row.pk}/reject/", {"reject-note": "依据不足"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.review_note) == ("rejected", "依据不足")


def test_the_author_discards_a_draft_from_its_page(personas: Personas) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    response = personas.client("admin").post(f"/policies/{row.pk}/discard/")
    assert response.status_code == 302 and response["Location"] == "/policies/"
    assert not PackVersion.objects.filter(pk=row.pk).exists()
    # An approved version cannot be discarded: the page says why.
    response = personas.client("admin", language="en").post(
        f"/policies/{_shipped().pk}/discard/", follow=True
    )
    assert "only a draft can be changed" in _page(response)
    assert PackVersion.objects.filter(pk=_shipped().pk).exists()


def test_the_list_groups_versions_by_pack_and_filters(personas: Personas) -> None:
    services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin"))
    wang = personas.client("wang", language="en")
    page = _page(wang.get("/policies/"))
    assert page.index(f'<tr data-spec="{PACK_ID}@3">') < page.index(f'<tr data-spec="{PACK_ID}@2">')
    assert "jiangsu-yihuibao-2021@1" in page
    assert "Import a pack" not in page  # wang may not edit packs
    drafts = _page(wang.get("/policies/?status=draft", HTTP_HX_REQUEST="true"))
    assert "<html" not in drafts
    assert f"{PACK_ID}@3" in drafts and f"{PACK_ID}@2" not in drafts
    assert "Import a pack" in _page(personas.client("admin", language="en").get("/policies/"))


def test_the_menu_offers_policy_packs_to_viewers_only(personas: Personas) -> None:
    for username, shown in [("wang", True), ("qian", True), ("li", False), ("chen", False)]:
        page = _page(personas.client(username).get("/"))
        assert ('href="/policies/"' in page) is shown, username


def test_the_region_is_shown_by_name(personas: Personas) -> None:
    wang = personas.client("wang")
    national = _page(wang.get(f"/policies/{_shipped().pk}/"))
    jiangsu = PackVersion.objects.get(pack_id="jiangsu-yihuibao-2021", version=1)
    provincial = _page(wang.get(f"/policies/{jiangsu.pk}/"))
    listing = _page(wang.get("/policies/"))

    assert "<dd>全国（000000）</dd>" in national
    assert "<dd>江苏省 (320000)</dd>" in provincial
    assert "<td>全国（000000）</td>" in listing and "<td>江苏省 (320000)</td>" in listing


def _figure_note(page: str, path: str) -> str:
    found = re.search(
        rf'<tr data-path="{re.escape(path)}">.*?<td[^>]*>.*?</td>\s*<td>(.*?)</td>', page, re.S
    )
    assert found is not None, path
    return found.group(1)


def test_a_bilingual_note_is_shown_in_the_readers_language(personas: Personas) -> None:
    path = "benefits.inpatient.deductible.by_level.3"
    url = f"/policies/{_shipped().pk}/"
    chinese = _page(personas.client("wang").get(url))
    english = _page(personas.client("wang", language="en").get(url))
    assert _figure_note(chinese, path) == "medical.md算例中的占位数"
    assert _figure_note(english, path) == "the placeholder of the worked example in medical.md"
    assert '<dd data-testid="family">Medical insurance</dd>' in english
    assert '<dd data-testid="family">医疗保险</dd>' in chinese
    # Version 1 wrote its notes once: both languages show them as written.
    old = PackVersion.objects.get(pack_id=PACK_ID, version=1)
    for language in ("zh-hans", "en"):
        page = _page(personas.client("wang", language=language).get(f"/policies/{old.pk}/"))
        assert _figure_note(page, path) == "the placeholder of the worked example in medical.md"
    page = _page(personas.client("wang", language="en").get(f"/policies/{old.pk}/"))
    assert "1 (from before schema 2: read through the compatibility path)" in page


def test_the_approvers_home_panel_lists_the_drafts_of_others(personas: Personas, admin2) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    panel = 'id="home-pack-drafts-panel"'
    qian = _page(personas.client("qian").get("/"))
    assert panel in qian and f'<tr data-spec="{PACK_ID}@3">' in qian
    assert f'href="/policies/{row.pk}/"' in qian
    # Another administrator may approve it; its author is not asked to.
    other = Client()
    other.force_login(admin2)
    assert f'<tr data-spec="{PACK_ID}@3">' in _page(other.get("/"))
    own = _page(personas.client("admin").get("/"))
    assert panel in own and f'<tr data-spec="{PACK_ID}@3">' not in own
    assert "没有等待您审批的版本。" in own
    # Whoever may not approve has no such panel.
    assert panel not in _page(personas.client("wang").get("/"))
    services.approve_version(row, acting_user=personas.user("qian"), note="核对无误")
    assert f'<tr data-spec="{PACK_ID}@3">' not in _page(personas.client("qian").get("/"))


def test_reject_and_discard_ask_for_confirmation_first(personas: Personas) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    reject = personas.client("qian").get(f"/policies/{row.pk}/reject/")
    assert reject.status_code == 200 and 'id="reject-form"' in _page(reject)
    assert "驳回此版本？" in _page(reject)
    discard = personas.client("admin").get(f"/policies/{row.pk}/discard/")
    assert discard.status_code == 200 and 'id="discard-form"' in _page(discard)
    assert "放弃此草稿？" in _page(discard)
    row.refresh_from_db()
    assert row.status == PackStatus.DRAFT
    # A decided version has nothing to confirm.
    shipped = personas.client("qian").get(f"/policies/{_shipped().pk}/approve/")
    assert shipped.status_code == 302 and shipped["Location"] == f"/policies/{_shipped().pk}/"


def test_the_pack_file_is_downloaded_as_stored(personas: Personas) -> None:
    response = personas.client("wang").get(f"/policies/{_shipped().pk}/pack.yaml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{PACK_ID}.v2.yaml"'
    assert response.content.decode() == _shipped().content


@pytest.mark.django_db
def test_the_scheme_reads_by_name_not_by_code() -> None:
    from django.utils import translation

    from jingban.core.models import Scheme, SchemeKind

    row = PackVersion(scheme="resident_medical")
    with translation.override("zh-hans"):
        expected = (
            str(Scheme.objects.get(code="resident_medical"))
            if Scheme.objects.filter(code="resident_medical").exists()
            else str(SchemeKind.RESIDENT_MEDICAL.label)
        )
        assert row.scheme_label() == expected
        assert "resident_medical" not in expected and expected
    assert PackVersion(scheme="no_such_scheme").scheme_label() == "no_such_scheme"

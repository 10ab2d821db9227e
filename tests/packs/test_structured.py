"""The structured draft form: generated from the schema for every family, it round-trips a pack
without a spurious difference, adds and removes rows without losing what was typed, and puts
each problem (a negative ratio, overlapping bands, a missing figure) beside its field with
nothing saved."""

from __future__ import annotations

import re

from jingban.engine.policy import load_pack_text
from jingban.packs.models import PackVersion
from jingban.packs.queries import compare_figures
from tests.packs.conftest import PACK_ID
from tests.packs.formdata import as_post, form_pairs, replace
from tests.personas import Personas


def _shipped(pack_id: str = PACK_ID, version: int = 2) -> PackVersion:
    return PackVersion.objects.get(pack_id=pack_id, version=version)


def _open(client, row: PackVersion) -> tuple[str, list[tuple[str, str]]]:
    response = client.get(f"/policies/{row.pk}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    return page, form_pairs(page, "pack-form")


def _changes(row: PackVersion, based_on: PackVersion) -> dict[str, tuple[object, object]]:
    new, old = load_pack_text(row.content), load_pack_text(based_on.content)
    return {
        c.path: (c.before.value if c.before else None, c.after.value if c.after else None)
        for c in compare_figures(old.figures, new.figures)
    }


def test_every_family_round_trips_through_the_form_without_a_difference(
    personas: Personas,
) -> None:
    admin = personas.client("admin")
    for pack_id, version in [
        (PACK_ID, 2),
        (PACK_ID, 1),  # layout 1: written back in the current layout
        ("jiangsu-yihuibao-2021", 2),
        ("sample-resident-contributions-2025", 1),
    ]:
        based_on = _shipped(pack_id, version)
        page, pairs = _open(admin, based_on)
        assert "benefits.inpatient" not in re.sub(r'(name|data-path|value)="[^"]*"', "", page)
        before = PackVersion.objects.count()
        response = admin.post(f"/policies/{based_on.pk}/edit/", as_post(pairs))
        assert response.status_code == 302, (pack_id, response.content.decode()[-3000:])
        assert PackVersion.objects.count() == before + 1
        row = PackVersion.objects.filter(pack_id=pack_id).order_by("-version").first()
        assert row is not None and row.origin == "edited" and row.status == "draft"
        changes = _changes(row, based_on)
        if version == 1 and pack_id == PACK_ID:
            # The contributions moved to their own pack in layout 2: nothing else changes.
            assert set(changes) == {
                "contributions.tiers.tier_1",
                "contributions.tiers.tier_2",
                "contributions.fiscal_subsidy",
            }
        else:
            assert changes == {}, pack_id


def test_two_figures_changed_and_a_band_added_in_the_form(personas: Personas) -> None:
    admin = personas.client("admin", language="en")
    based_on = _shipped()
    _page, pairs = _open(admin, based_on)
    pairs = replace(pairs, "v.caps.outpatient_general.amount", "180")
    pairs = replace(pairs, "v.benefits.inpatient.ratio_by_level.3", "70")
    # The last band ends at 300,000 and a fourth begins there: a round trip adds the row.
    pairs = replace(pairs, "v.critical_illness.bands.2.up_to", "300000")
    response = admin.post(
        f"/policies/{based_on.pk}/edit/",
        as_post([*pairs, ("_action", "add:critical_illness.bands")]),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Band 4" in page or "band 4" in page
    pairs = form_pairs(page, "pack-form")
    # What was typed before the round trip is still there.
    assert ("v.caps.outpatient_general.amount", "180") in pairs
    assert ("v.critical_illness.bands.2.up_to", "300000") in pairs
    pairs = replace(pairs, "v.critical_illness.bands.3.above", "300000")
    pairs = replace(pairs, "v.critical_illness.bands.3.ratio", "97.5")
    response = admin.post(f"/policies/{based_on.pk}/edit/", as_post(pairs))
    assert response.status_code == 302, response.content.decode()[-2000:]
    row = PackVersion.objects.get(pack_id=PACK_ID, version=3)
    assert _changes(row, based_on) == {
        "caps.outpatient_general.amount": (150, 180),
        "benefits.inpatient.ratio_by_level.3": (0.65, 0.7),
        "critical_illness.bands.2.up_to": (None, 300000),
        "critical_illness.bands.3.above": (None, 300000),
        "critical_illness.bands.3.ratio": (None, 0.975),
    }
    rules = load_pack_text(row.content).medical
    assert rules.critical_illness is not None and len(rules.critical_illness.bands) == 4


def test_rows_and_sections_are_removed_and_added(personas: Personas) -> None:
    admin = personas.client("admin", language="en")
    based_on = _shipped()
    _page, pairs = _open(admin, based_on)
    url = f"/policies/{based_on.pk}/edit/"
    page = admin.post(url, as_post([*pairs, ("_action", "remove:benefits.maternity_natural")]))
    pairs = form_pairs(page.content.decode(), "pack-form")
    assert not any(name.startswith("v.benefits.maternity_natural") for name, _ in pairs)
    # A removed visit type is offered again; a cap pool is added with its own code.
    assert (
        '<option value="maternity_natural">Childbirth (natural)</option>' in page.content.decode()
    )
    pairs = [*pairs, ("_newkey.caps", "dental"), ("_action", "add:caps")]
    page = admin.post(url, as_post(pairs))
    pairs = form_pairs(page.content.decode(), "pack-form")
    assert ("_keys.caps", "dental") in pairs
    pairs = replace(pairs, "tz.caps.dental.label", "口腔年度限额")
    pairs = replace(pairs, "te.caps.dental.label", "Annual cap of dental care")
    pairs = replace(pairs, "v.caps.dental.amount", "500")
    # A bad code for a new entry is refused, and nothing typed is lost.
    refused = admin.post(url, as_post([*pairs, ("_newkey.caps", "牙科"), ("_action", "add:caps")]))
    assert refused.status_code == 400 and "short code" in refused.content.decode()
    assert ("v.caps.dental.amount", "500") in form_pairs(refused.content.decode(), "pack-form")
    # The medical assistance layer left out entirely.
    page = admin.post(url, as_post([*pairs, ("_action", "close:medical_assistance")]))
    pairs = form_pairs(page.content.decode(), "pack-form")
    assert not any(name.startswith("v.medical_assistance") for name, _ in pairs)
    response = admin.post(url, as_post(pairs))
    assert response.status_code == 302, response.content.decode()[-2000:]
    rules = load_pack_text(PackVersion.objects.get(version=3, pack_id=PACK_ID).content).medical
    assert rules.medical_assistance is None and rules.caps["dental"].amount == 50_000
    assert "maternity_natural" not in {v.value for v in rules.benefits}


def _refused(personas: Personas, *changes: tuple[str, str]) -> str:
    admin = personas.client("admin", language="en")
    based_on = _shipped()
    _page, pairs = _open(admin, based_on)
    for name, value in changes:
        pairs = replace(pairs, name, value)
    before = PackVersion.objects.count()
    response = admin.post(f"/policies/{based_on.pk}/edit/", as_post(pairs))
    assert response.status_code == 400
    assert PackVersion.objects.count() == before
    return response.content.decode()


def _errors(page: str, ident: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{re.escape(ident)}_errors">(.*?)</ul>', page, re.S
    )
    assert found is not None, ident
    return found.group(1)


def test_a_negative_ratio_is_refused_beside_its_field(personas: Personas) -> None:
    page = _refused(personas, ("v.benefits.outpatient_general.ratio", "-10"))
    assert "-10% is not between 0 and 100%." in _errors(page, "f-benefits-outpatient_general-ratio")
    assert 'aria-invalid="true"' in page
    # The summary names the field by its label, not by a path.
    assert "Basic benefits · Outpatient pooling · Reimbursement ratio: -10%" in page


def test_overlapping_bands_are_refused_on_the_bands(personas: Personas) -> None:
    page = _refused(personas, ("v.critical_illness.bands.1.above", "90000"))
    assert "Bands 1 and 2 overlap." in _errors(page, "f-critical_illness-bands")


def test_a_missing_figure_is_refused_beside_its_field(personas: Personas) -> None:
    page = _refused(personas, ("v.class_b_first_rate", ""))
    assert "This figure is required." in _errors(page, "f-class_b_first_rate")
    page = _refused(personas, ("v.caps.pooled.amount", "三十万"))
    assert "Enter an amount in yuan" in _errors(page, "f-caps-pooled-amount")


def test_a_note_in_one_language_only_is_refused_beside_the_figure(personas: Personas) -> None:
    page = _refused(
        personas, ("nz.class_b_first_rate", "只写了中文"), ("ne.class_b_first_rate", "")
    )
    assert "A note is text, or {zh: …, en: …} with both languages." in _errors(
        page, "f-class_b_first_rate"
    )


def test_the_form_is_in_chinese_with_units(personas: Personas) -> None:
    page, _pairs = _open(personas.client("admin"), _shipped())
    ident = "f-benefits-inpatient-deductible-by_level-3"
    label = '三级医院 <span class="unit">(元)</span>'
    assert f'<label for="{ident}">{label}</label>' in page
    name = "v.benefits.inpatient.deductible.by_level.3"
    assert f'id="{ident}" name="{name}" value="800"' in page
    assert 'name="v.benefits.inpatient.ratio_by_level.3" value="65"' in page
    assert "没有来源给出住院起付线" in page

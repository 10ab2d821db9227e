"""Services of stored policy pack versions: each rule, each refusal (which writes nothing), and
what the action log records."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import translation

from jingban.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from jingban.core.models import ActionLog
from jingban.engine.policy import PackRegistry, load_pack_text, shipped_registry
from jingban.packs import services
from jingban.packs.models import PackOrigin, PackStatus, PackVersion
from tests.packs.conftest import OUTPATIENT_CAP, PACK_ID, SHIPPED_TEXT, line_of, pack_text
from tests.personas import Personas


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _counts() -> tuple[int, int]:
    return PackVersion.objects.count(), ActionLog.objects.count()


def refused(error: type[DomainError], action: Callable[[], object]) -> DomainError:
    """Run ``action``, expect ``error``, and check that nothing was written."""
    before = _counts()
    with pytest.raises(error) as caught:
        action()
    assert _counts() == before
    return caught.value


def test_the_demo_world_records_the_shipped_packs(personas: Personas) -> None:
    rows = PackVersion.objects.order_by("pack_id", "version")
    assert [(r.spec, r.status, r.origin) for r in rows] == [
        ("jiangsu-ankang-2026@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("jiangsu-yihuibao-2021@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("jiangsu-yihuibao-2021@2", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("national-ltc-assessment-2021@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        (f"{PACK_ID}@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        (f"{PACK_ID}@2", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("sample-resident-2026@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("sample-resident-contributions-2025@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("sample-resident-contributions-2025@2", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("sample-resident-contributions-2026@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("suzhou-desk-2026@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("suzhou-filing-2026@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("suzhou-ltc@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("suzhou-reimbursement-2026@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("tengzhou-ltc-2024@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("yantai-ltc@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("yantai-ltc@2", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("yantai-ltc@3", PackStatus.APPROVED, PackOrigin.SHIPPED),
        ("zhangjiagang-ltc-2021@1", PackStatus.APPROVED, PackOrigin.SHIPPED),
    ]
    shipped = shipped_registry()
    for row in rows:
        pack = shipped.get(row.pack_id, row.version)
        assert row.content_hash == pack.hash and row.content == pack.text
        assert row.author is None and row.reviewer is None and row.reviewed_at is not None
    resident = rows.get(pack_id=PACK_ID, version=2)
    assert (resident.kind, resident.region, resident.scheme) == (
        "public",
        "000000",
        "resident_medical",
    )
    assert str(resident.effective_start) == "2025-01-01"
    assert ActionLog.objects.filter(action="packs.version.shipped").count() == 19


def test_shipped_packs_are_recorded_once(personas: Personas) -> None:
    admin = personas.user("admin")
    before = _counts()
    assert services.import_shipped_packs(acting_user=admin) == services.ShippedSync([], [])
    assert _counts() == before


def test_a_shipped_pack_changed_without_a_new_version_is_refused(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = load_pack_text(pack_text(2, OUTPATIENT_CAP), source="sample-resident-2025.yaml")
    newcomer = load_pack_text(
        pack_text(2).replace(f"id: {PACK_ID}", "id: aaa-newcomer-2025"), source="new.yaml"
    )
    monkeypatch.setattr(services, "shipped_registry", lambda: PackRegistry([newcomer, changed]))
    error = refused(
        Conflict, lambda: services.import_shipped_packs(acting_user=personas.user("admin"))
    )
    assert error.code == services.SHIPPED_MISMATCH
    assert f"{PACK_ID}@2" in str(error.message) and changed.hash[:12] in str(error.message)
    assert not PackVersion.objects.filter(pack_id="aaa-newcomer-2025").exists()


def test_import_stores_a_draft_with_what_the_engine_read_and_logs(personas: Personas) -> None:
    admin = personas.user("admin")
    text = pack_text(3, OUTPATIENT_CAP)
    row = services.import_pack_text(text, source="resident-v2.yaml", acting_user=admin)
    pack = load_pack_text(text)
    assert (row.spec, row.status, row.origin, row.author) == (
        f"{PACK_ID}@3",
        PackStatus.DRAFT,
        PackOrigin.IMPORTED,
        admin,
    )
    assert row.content == text and row.content_hash == pack.hash
    assert (row.reviewer, row.reviewed_at, row.approved_at) == (None, None, None)
    entry = ActionLog.objects.get(action="packs.version.imported")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        admin,
        "packs.version",
        str(row.pk),
    )
    assert entry.after["pack"] == f"{PACK_ID}@3" and entry.after["hash"] == pack.hash


def test_a_broken_pack_lists_each_problem_with_line_and_path(personas: Personas) -> None:
    text = pack_text(
        2,
        ("    amount: 150\n", ""),  # the cap of outpatient pooling has no amount
        ("above: 100000, up_to: 200000", "above: 90000, up_to: 200000"),  # overlapping bands
    )
    error = refused(
        ValidationFailed,
        lambda: services.import_pack_text(text, acting_user=personas.user("admin")),
    )
    problems = [str(m) for m in error.fields["content"]]
    assert (
        f"Line {line_of(text, '  outpatient_general:')}, caps.outpatient_general.amount: "
        in problems[0]
    )
    assert "This figure is required." in problems[0]
    assert any(
        p.startswith(f"Line {line_of(text, '  bands:')}, critical_illness.bands: ")
        and "overlap" in p
        for p in problems
    ), problems
    assert "2 problem" in str(error.message)


def test_not_yaml_and_empty_text_are_refused_on_content(personas: Personas) -> None:
    admin = personas.user("admin")
    for text, expected in [
        ("id: [unclosed\n", "Line 2: This is not valid YAML"),
        ("   \n", "Enter the text of the pack"),
        ("id: x\x00", "null character"),
        ("- a list\n", "Line 1: A pack is a mapping"),
        (
            pack_text(3).replace("scheme: resident_medical", "scheme: " + "s" * 41),
            "scheme: longer than 40 characters.",
        ),
    ]:
        error = refused(
            ValidationFailed, lambda text=text: services.import_pack_text(text, acting_user=admin)
        )
        assert expected in str(error.fields["content"][0]), (text, error.fields)


def test_the_same_text_names_the_version_that_holds_it(personas: Personas) -> None:
    error = refused(
        ValidationFailed,
        lambda: services.import_pack_text(SHIPPED_TEXT, acting_user=personas.user("admin")),
    )
    assert error.fields["content"] == [
        f"This exact pack is already stored as {PACK_ID}@2 (Approved)."
    ]


def test_the_version_must_be_above_every_stored_one(personas: Personas, admin2) -> None:
    admin = personas.user("admin")
    # Version 2 with another figure: 2 is not above the stored 2.
    text = pack_text(2, OUTPATIENT_CAP)
    error = refused(ValidationFailed, lambda: services.import_pack_text(text, acting_user=admin))
    (message,) = error.fields["content"]
    assert str(message).startswith(f"Line {line_of(text, 'version:')}, version: ")
    assert f"greater than 2: {PACK_ID}@2 (Approved)" in str(message)
    assert "version: 3" in str(message)

    # A rejected draft keeps its number: the next text needs the one after.
    draft = services.import_pack_text(pack_text(4, OUTPATIENT_CAP), acting_user=admin)
    services.reject_version(draft, reason="上限有误", acting_user=admin2)
    error = refused(
        ValidationFailed,
        lambda: services.import_pack_text(
            pack_text(3, ("amount: 2000", "amount: 2500")), acting_user=admin
        ),
    )
    assert f"{PACK_ID}@4 (Rejected)" in str(error.fields["content"][0])
    assert services.import_pack_text(
        pack_text(5, ("amount: 2000", "amount: 2500")), acting_user=admin
    )


def test_only_policy_editors_import_or_draft(personas: Personas) -> None:
    text = pack_text(3, OUTPATIENT_CAP)
    for username in ("qian", "wang", "zhao", "chen"):
        user = personas.user(username)
        refused(Forbidden, lambda user=user: services.import_pack_text(text, acting_user=user))
        refused(Forbidden, lambda user=user: services.draft_pack_version(text, acting_user=user))


def test_a_drafted_version_keeps_the_pack_id(personas: Personas) -> None:
    admin = personas.user("admin")
    base = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    other = pack_text(3).replace(f"id: {PACK_ID}", "id: sample-resident-2026")
    error = refused(
        ValidationFailed,
        lambda: services.draft_pack_version(other, based_on=base, acting_user=admin),
    )
    assert PACK_ID in str(error.fields["content"][0])
    row = services.draft_pack_version(
        pack_text(3, OUTPATIENT_CAP), based_on=base, acting_user=admin
    )
    assert (row.origin, row.status, row.version) == (PackOrigin.EDITED, PackStatus.DRAFT, 3)
    assert ActionLog.objects.filter(action="packs.version.drafted", object_id=str(row.pk)).exists()


def test_the_author_updates_a_draft(personas: Personas, admin2) -> None:
    admin = personas.user("admin")
    row = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin)
    text = pack_text(3, ("    amount: 150\n", "    amount: 200\n"))

    error = refused(Forbidden, lambda: services.update_draft(row, text, acting_user=admin2))
    assert error.code == services.NOT_AUTHOR
    refused(
        ValidationFailed,
        lambda: services.update_draft(
            row, pack_text(2, ("amount: 2000", "amount: 2100")), acting_user=admin
        ),
    )
    updated = services.update_draft(row, text, acting_user=admin)
    assert updated.content == text and updated.content_hash == load_pack_text(text).hash
    entry = ActionLog.objects.get(action="packs.version.updated")
    assert entry.before["hash"] != entry.after["hash"] == updated.content_hash

    services.approve_version(updated, acting_user=admin2)
    error = refused(Conflict, lambda: services.update_draft(updated, text, acting_user=admin))
    assert error.code == services.NOT_DRAFT


def test_a_second_person_approves_never_the_author(personas: Personas, admin2) -> None:
    admin, qian = personas.user("admin"), personas.user("qian")
    row = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin)

    error = refused(Forbidden, lambda: services.approve_version(row, acting_user=admin))
    assert error.code == services.OWN_VERSION
    assert f"{PACK_ID}@3" in str(error.message)
    for username in ("wang", "sun", "zhao"):
        user = personas.user(username)
        error = refused(
            Forbidden, lambda user=user: services.approve_version(row, acting_user=user)
        )
        assert error.code == "forbidden"
    refused(
        ValidationFailed, lambda: services.approve_version(row, note="长" * 2001, acting_user=qian)
    )

    approved = services.approve_version(row, note="与文件核对一致", acting_user=qian)
    approved.refresh_from_db()
    assert (approved.status, approved.reviewer, approved.review_note) == (
        PackStatus.APPROVED,
        qian,
        "与文件核对一致",
    )
    assert approved.approved_at == approved.reviewed_at is not None
    entry = ActionLog.objects.get(action="packs.version.approved")
    assert (entry.actor, entry.reason) == (qian, "与文件核对一致")
    assert (entry.before["status"], entry.after["status"]) == ("draft", "approved")

    error = refused(Conflict, lambda: services.approve_version(approved, acting_user=admin2))
    assert error.code == services.NOT_DRAFT


def test_an_admin_approves_another_admins_draft(personas: Personas, admin2) -> None:
    row = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin2)
    assert services.approve_version(row, acting_user=personas.user("admin")).status == "approved"


def test_reject_needs_a_reason_and_a_second_person(personas: Personas) -> None:
    admin, qian = personas.user("admin"), personas.user("qian")
    row = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin)
    error = refused(
        ValidationFailed, lambda: services.reject_version(row, reason="  ", acting_user=qian)
    )
    assert set(error.fields) == {"note"}
    error = refused(Forbidden, lambda: services.reject_version(row, reason="x", acting_user=admin))
    assert error.code == services.OWN_VERSION

    rejected = services.reject_version(row, reason="门诊上限无依据", acting_user=qian)
    assert (rejected.status, rejected.reviewer, rejected.review_note) == (
        "rejected",
        qian,
        "门诊上限无依据",
    )
    assert rejected.approved_at is None
    assert ActionLog.objects.get(action="packs.version.rejected").reason == "门诊上限无依据"
    error = refused(Conflict, lambda: services.approve_version(rejected, acting_user=qian))
    assert error.code == services.NOT_DRAFT


def test_the_author_discards_a_draft(personas: Personas, admin2) -> None:
    admin = personas.user("admin")
    row = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin)
    error = refused(Forbidden, lambda: services.discard_draft(row, acting_user=admin2))
    assert error.code == services.NOT_AUTHOR
    refused(Forbidden, lambda: services.discard_draft(row, acting_user=personas.user("qian")))

    pk = row.pk
    services.discard_draft(row, acting_user=admin)
    assert not PackVersion.objects.filter(pk=pk).exists()
    entry = ActionLog.objects.get(action="packs.version.discarded")
    assert entry.object_id == str(pk) and entry.before["pack"] == f"{PACK_ID}@3"
    # The number is free again.
    assert services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin).version == 3

    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    error = refused(Conflict, lambda: services.discard_draft(shipped, acting_user=admin))
    assert error.code == services.NOT_DRAFT


def test_a_draft_changed_behind_the_application_is_not_approved(personas: Personas) -> None:
    row = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE packs_packversion SET content = replace(content, 'amount: 180', 'amount: 999')"
            " WHERE id = %s",
            [row.pk],
        )
    error = refused(
        Conflict, lambda: services.approve_version(row, acting_user=personas.user("qian"))
    )
    assert error.code == services.TAMPERED
    assert "hashes to" in str(error.message)


def test_bump_version_line_keeps_the_rest() -> None:
    text = "# comment\nid: x-pack\nversion: 7   # the seventh\nkind: public\n"
    assert services.bump_version_line(text, 8) == (
        "# comment\nid: x-pack\nversion: 8   # the seventh\nkind: public\n"
    )
    assert services.bump_version_line("id: x\n", 2) == "id: x\n"

"""An institution's evidence files on its reply to a rectification order: attached by its own
staff with the reply, seen by the bureau in scope, absent (404) to another institution's staff,
and the files app shows institution staff nothing but their own institution's objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jingban.core.errors import NotFound
from jingban.core.models import ActionLog, Organisation, User
from jingban.core.roles import Role
from jingban.core.services import accounts
from jingban.files import queries as file_queries
from jingban.files.models import StoredFile
from jingban.files.services import upload_file
from jingban.providers import services
from jingban.providers.models import (
    Check,
    OrderReply,
    OrderState,
    Outcome,
    RectificationOrder,
)
from tests.files.samples import HTML, PDF, PNG, forget_stored_files
from tests.personas import Personas


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path, personas: Personas) -> Path:
    forget_stored_files()
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


def _on_disk(directory: Path) -> list[Path]:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


def _order(code: str) -> RectificationOrder:
    return RectificationOrder.objects.get(agreement__institution__organisation__code=code)


def _ankang_staff(p: Personas) -> User:
    """An account for 安康养老院's staff (the demo has none)."""
    organisation = Organisation.objects.get(code="SZ-CARE-AK")
    return accounts.create_account(
        username="ankang",
        password="Ankang-Test-2026!",
        role=Role.INSTITUTION_STAFF,
        display_name="安康养老院",
        region=organisation.region,
        organisation=organisation,
        acting_user=p.user("admin"),
    )


def _reply_with_files(p: Personas) -> tuple[OrderReply, list[StoredFile]]:
    """康宁's staff reply to 康宁's order (the demo issues it after a failed evaluation)."""
    order = _order("SZ-CARE-KN")
    reply = services.reply_to_order(
        order,
        text="已补齐护理记录，停止串换收费。",
        files=[
            SimpleUploadedFile("护理记录.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("整改照片.png", PNG, content_type="image/png"),
        ],
        acting_user=p.user("kangning"),
    )
    return reply, list(StoredFile.objects.filter(object_type="providers.reply").order_by("id"))


def test_kangning_attaches_files_to_her_reply_and_the_bureau_sees_them(
    personas: Personas, files_dir: Path
) -> None:
    order = _order("SZ-CARE-KN")
    kangning = personas.client("kangning")
    page = kangning.get(reverse("providers:own_order", args=[order.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "证明材料" in page
    response = kangning.post(
        reverse("providers:own_order", args=[order.pk]),
        {
            "text": "已补齐护理记录。",
            "evidence": [
                SimpleUploadedFile("护理记录.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("整改照片.png", PNG, content_type="image/png"),
            ],
        },
    )
    assert response.status_code == 302
    reply = OrderReply.objects.get(order=order)
    order.refresh_from_db()
    assert order.state == OrderState.REPLIED
    stored = list(StoredFile.objects.filter(object_type="providers.reply", object_id=str(reply.pk)))
    assert sorted(f.original_name for f in stored) == ["护理记录.pdf", "整改照片.png"]
    assert {f.content_type for f in stored} == {"application/pdf", "image/png"}
    region = order.agreement.institution.organisation.region.path
    assert {f.region_path for f in stored} == {region}
    assert len(_on_disk(files_dir)) == 2
    # Logged as the files app logs an upload, by kangning, without the file's name.
    logged = ActionLog.objects.filter(action="files.file.uploaded", actor=personas.user("kangning"))
    assert sorted(e.after["attached_to"] for e in logged) == [f"providers.reply:{reply.pk}"] * 2
    assert all("护理记录" not in str(e.after) for e in logged)
    reply_log = ActionLog.objects.get(action="providers.order.replied", object_id=str(order.pk))
    assert reply_log.after["files"] == 2

    # Her own page shows them; the bureau's order pages show them, and wang downloads one.
    own = kangning.get(reverse("providers:own_order", args=[order.pk])).content.decode()
    assert "护理记录.pdf" in own and "整改照片.png" in own
    wang = personas.client("wang")
    for url in (
        reverse("providers:order_decide", args=[order.pk]),
        reverse("providers:agreement_detail", args=[order.agreement_id]),
    ):
        body = wang.get(url).content.decode()
        assert "护理记录.pdf" in body and "整改照片.png" in body, url
    # Nobody adds to the reply afterwards through the files app, the bureau included.
    late = wang.post(
        reverse("files:upload", args=["providers.reply", reply.pk]),
        {"file": SimpleUploadedFile("补充.pdf", PDF, content_type="application/pdf")},
    )
    assert late.status_code == 404
    assert StoredFile.objects.filter(object_type="providers.reply").count() == 2
    pdf = next(f for f in stored if f.content_type == "application/pdf")
    download = wang.get(reverse("files:download", args=[pdf.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert ActionLog.objects.filter(
        action="files.file.downloaded", actor=personas.user("wang"), object_id=str(pdf.pk)
    ).exists()
    assert kangning.get(reverse("files:download", args=[pdf.pk])).status_code == 200


def test_another_institutions_staff_get_404_on_the_reply_and_its_files(
    personas: Personas,
) -> None:
    reply, stored = _reply_with_files(personas)
    ankang = _ankang_staff(personas)
    with pytest.raises(NotFound):
        file_queries.files_of(ankang, "providers.reply", str(reply.pk))
    client = personas.client("kangning")
    client.force_login(ankang)
    for f in stored:
        assert client.get(reverse("files:download", args=[f.pk])).status_code == 404
    assert client.get(reverse("providers:own_order", args=[reply.order_id])).status_code == 404
    assert not ActionLog.objects.filter(action="files.file.downloaded", actor=ankang).exists()


def test_institution_staff_see_their_own_checks_evidence_and_nothing_else(
    personas: Personas,
) -> None:
    """kangning sees the evidence of 康宁's check, not 安康's, and no person's file: the files
    app asks the owning app, which answers only her own institution's objects."""
    admin = personas.user("admin")
    kn_check = Check.objects.filter(agreement__institution__organisation__code="SZ-CARE-KN").first()
    assert kn_check is not None
    ours = upload_file(
        "providers.check",
        str(kn_check.pk),
        SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"),
        acting_user=admin,
    )
    ak_order = _order("SZ-CARE-AK")
    ak_check = Check.objects.create(
        agreement=ak_order.agreement,
        checklist=kn_check.checklist,
        kind=kn_check.kind,
        checked_on=ak_order.issued_on,
        total_score=90,
        outcome=Outcome.PASS,
    )
    theirs = upload_file(
        "providers.check",
        str(ak_check.pk),
        SimpleUploadedFile("安康.pdf", PDF, content_type="application/pdf"),
        acting_user=admin,
    )
    person_file = upload_file(
        "registry.person",
        str(personas.in_scope_person.pk),
        SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf"),
        acting_user=admin,
    )
    kangning = personas.user("kangning")
    client = personas.client("kangning")
    assert client.get(reverse("files:download", args=[ours.pk])).status_code == 200
    assert [f.pk for f in file_queries.files_of(kangning, "providers.check", str(kn_check.pk))] == [
        ours.pk
    ]
    for other in (theirs, person_file):
        assert client.get(reverse("files:download", args=[other.pk])).status_code == 404
        with pytest.raises(NotFound):
            file_queries.file_for(kangning, other.pk)
    with pytest.raises(NotFound):
        file_queries.files_of(kangning, "registry.person", str(personas.in_scope_person.pk))
    # Uploading through the files app stays the bureau's: she attaches files with a reply only.
    upload = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    for object_type, object_id in (
        ("providers.check", kn_check.pk),
        ("registry.person", personas.in_scope_person.pk),
    ):
        response = client.post(
            reverse("files:upload", args=[object_type, object_id]), {"file": upload}
        )
        assert response.status_code == 403
    # Her own page lists her checks' evidence.
    own = client.get(reverse("providers:own")).content.decode()
    assert "现场照片.png" in own and "安康.pdf" not in own


def test_a_bad_file_refuses_the_whole_reply_naming_the_file(
    personas: Personas, files_dir: Path
) -> None:
    order = _order("SZ-CARE-KN")
    response = personas.client("kangning").post(
        reverse("providers:own_order", args=[order.pk]),
        {
            "text": "已整改。",
            "evidence": [
                SimpleUploadedFile("护理记录.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("记录.pdf", HTML, content_type="application/pdf"),
            ],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "“记录.pdf”" in body and "不接受此类文件" in body
    assert not OrderReply.objects.filter(order=order).exists()
    assert not StoredFile.objects.exists()
    assert _on_disk(files_dir) == []
    order.refresh_from_db()
    assert order.state == OrderState.OPEN


def test_at_most_five_files_and_a_failure_after_writing_removes_what_was_written(
    personas: Personas, files_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jingban.core.errors import ValidationFailed
    from jingban.files import services as file_services

    order = _order("SZ-CARE-KN")
    kangning = personas.user("kangning")
    many = [SimpleUploadedFile(f"{n}.pdf", PDF, content_type="application/pdf") for n in range(6)]
    with pytest.raises(ValidationFailed) as refused:
        services.reply_to_order(order, text="已整改。", files=many, acting_user=kangning)
    assert "evidence" in refused.value.fields

    real = file_services.attach_file
    calls = {"n": 0}

    def second_fails(*args: Any, **kwargs: Any) -> StoredFile:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(file_services, "attach_file", second_fails)
    with pytest.raises(OSError):
        services.reply_to_order(order, text="已整改。", files=many[:2], acting_user=kangning)
    assert not OrderReply.objects.filter(order=order).exists()
    assert not StoredFile.objects.exists()
    assert _on_disk(files_dir) == []

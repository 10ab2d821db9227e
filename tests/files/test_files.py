"""Files: uploads checked by size and content, stored under random names outside the web root,
served as attachments only to those who may see their object, and carried by backups."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from jingban import backup as backups
from jingban.core.models import ActionLog
from jingban.files import checks
from jingban.files.models import StoredFile
from jingban.files.services import upload_file
from jingban.registry.models import Person
from tests.files.samples import HTML, JPEG, PDF, PNG, SCRIPT, SVG, forget_stored_files
from tests.personas import Personas


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path, personas: Personas) -> Path:
    forget_stored_files()
    settings.FILES_DIR = tmp_path / "files"
    return settings.FILES_DIR


def _on_disk(directory: Path) -> dict[str, bytes]:
    if not directory.exists():
        return {}
    return {p.name: p.read_bytes() for p in directory.rglob("*") if p.is_file()}


def _upload_url(person: Person) -> str:
    return reverse("files:upload", args=["registry.person", person.pk])


def _post(client: Client, person: Person, name: str, content: bytes, **extra: Any) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    back = reverse("registry:person_detail", args=[person.pk])
    return client.post(_upload_url(person), {"file": upload, "next": back, **extra})


# Refused uploads: a translated field error, and nothing stored or logged


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A PNG named .pdf: the content decides, and it does not match the name.
        ("scan.pdf", PNG, "文件内容是 PNG，但文件名以“.pdf”结尾"),
        # An HTML page named .pdf, or named as what it is, or an SVG, or a script: not accepted.
        ("scan.pdf", HTML, "不接受此类文件。可接受：PDF, JPEG, PNG。"),
        ("page.html", HTML, "不接受此类文件。可接受：PDF, JPEG, PNG。"),
        ("logo.svg", SVG, "不接受此类文件。可接受：PDF, JPEG, PNG。"),
        ("run.pdf", SCRIPT, "不接受此类文件。可接受：PDF, JPEG, PNG。"),
        ("empty.pdf", b"", "文件为空。"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(
    personas: Personas, files_dir: Path, name: str, content: bytes, message: str
) -> None:
    person = personas.in_scope_person
    logged = ActionLog.objects.count()

    response = _post(personas.client("wang"), person, name, content)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'id="file-error"' in page  # beside the field
    assert StoredFile.objects.count() == 0
    assert _on_disk(files_dir) == {}
    assert ActionLog.objects.count() == logged


def test_an_oversized_file_is_refused(personas: Personas, files_dir: Path, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024  # 1 MB
    big = PDF + b"0" * (1024 * 1024)

    response = _post(personas.client("wang"), personas.in_scope_person, "big.pdf", big)

    assert response.status_code == 400
    assert "文件大小为 1.0 MB，最大可接受 1 MB。" in response.content.decode()
    assert StoredFile.objects.count() == 0
    assert _on_disk(files_dir) == {}
    # Exactly at the limit is accepted.
    exact = PDF + b"0" * (1024 * 1024 - len(PDF))
    ok = _post(personas.client("wang"), personas.in_scope_person, "exact.pdf", exact)
    assert ok.status_code == 302
    assert StoredFile.objects.get().size == 1024 * 1024


def test_the_refusal_is_in_english_for_an_english_user(personas: Personas) -> None:
    client = personas.client("wang", language="en")
    response = _post(client, personas.in_scope_person, "scan.pdf", PNG)

    assert response.status_code == 400
    assert "The file&#x27;s content is PNG but its name ends in “.pdf”" in response.content.decode()


# Accepted uploads


def test_an_upload_is_stored_under_a_random_name_and_logged(
    personas: Personas, files_dir: Path
) -> None:
    person = personas.in_scope_person
    name = "陈某某 身份证\u202egpj.pdf"  # a right-to-left override would disguise the extension

    response = _post(personas.client("wang"), person, f"C:\\Users\\x\\{name}", PDF)

    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_detail", args=[person.pk])
    stored = StoredFile.objects.get()
    assert stored.original_name == "陈某某 身份证gpj.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.size == len(PDF)
    assert (stored.object_type, stored.object_id) == ("registry.person", str(person.pk))
    assert stored.region_path == person.region.path
    on_disk = _on_disk(files_dir)
    assert on_disk == {stored.storage_name: PDF}
    assert len(stored.storage_name) == 40 and "pdf" not in stored.storage_name
    path = files_dir / stored.storage_name[:2] / stored.storage_name
    assert path.stat().st_mode & 0o077 == 0  # the owner's only
    entry = ActionLog.objects.get(action="files.file.uploaded", object_id=str(stored.pk))
    assert entry.region_path == person.region.path
    assert entry.after["attached_to"] == f"registry.person:{person.pk}"
    assert "陈某某" not in str(entry.after)  # the original name may name a person


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("a.png", PNG, "image/png"),
    ],
)
def test_accepted_image_types(
    personas: Personas, name: str, content: bytes, content_type: str
) -> None:
    response = _post(personas.client("admin"), personas.in_scope_person, name, content)

    assert response.status_code == 302
    assert StoredFile.objects.get().content_type == content_type


def test_the_declared_type_of_the_browser_does_not_count(personas: Personas) -> None:
    upload = SimpleUploadedFile("x.png", PNG, content_type="text/html")
    stored = upload_file(
        "registry.person",
        str(personas.in_scope_person.pk),
        upload,
        acting_user=personas.user("wang"),
    )
    assert stored.content_type == "image/png"


def test_clean_name() -> None:
    assert checks.clean_name("../../etc/passwd") == "passwd"
    assert checks.clean_name("..\\..\\boot.ini") == "boot.ini"
    assert checks.clean_name("\x00\x1f...hidden.pdf") == "hidden.pdf"
    assert checks.clean_name("") == "file"
    long = "长" * 300 + ".pdf"
    assert len(checks.clean_name(long)) == 200 and checks.clean_name(long).endswith(".pdf")


# Serving: an attachment, only to users who may see the object


def _uploaded(
    personas: Personas, person: Person, content: bytes = PDF, name: str = "证明.pdf"
) -> StoredFile:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return upload_file(
        "registry.person", str(person.pk), upload, acting_user=personas.user("admin")
    )


def test_a_download_is_an_attachment_with_the_stored_type(personas: Personas) -> None:
    stored = _uploaded(personas, personas.in_scope_person)

    response = personas.client("sun").get(reverse("files:download", args=[stored.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AF%81%E6%98%8E.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert (
        ActionLog.objects.filter(action="files.file.downloaded", actor__username="sun").count() == 1
    )


def test_a_file_of_a_person_out_of_scope_is_404(personas: Personas) -> None:
    outside = _uploaded(personas, personas.out_of_scope_person)
    inside = _uploaded(personas, personas.in_scope_person)

    for role in ("wang", "sun", "li", "zhao", "qian"):
        client = personas.client(role)
        assert client.get(reverse("files:download", args=[outside.pk])).status_code == 404, role
        assert client.get(reverse("files:download", args=[inside.pk])).status_code == 200, role
        missing = client.get(reverse("files:download", args=[outside.pk + 1000]))
        assert missing.status_code == 404
    # Uploading to that person is refused the same way, and stores nothing.
    response = _post(personas.client("wang"), personas.out_of_scope_person, "x.pdf", PDF)
    assert response.status_code == 404
    assert StoredFile.objects.count() == 2
    # A role without the capability is refused before any lookup; institution staff hold it
    # for their own institution's files, and a person's file is absent to them.
    assert (
        personas.client("zhou").get(reverse("files:download", args=[inside.pk])).status_code == 403
    )
    assert (
        personas.client("kangning").get(reverse("files:download", args=[inside.pk])).status_code
        == 404
    )
    # An object type no app declares is absent, not an error.
    unknown = reverse("files:upload", args=["core.user", personas.user("wang").pk])
    assert personas.client("wang").post(unknown, {}).status_code == 404


def test_the_person_page_lists_materials(personas: Personas) -> None:
    person = personas.in_scope_person
    stored = _uploaded(personas, person)
    url = reverse("registry:person_detail", args=[person.pk])

    operator = personas.client("wang").get(url).content.decode()
    assessor = personas.client("li").get(url).content.decode()

    link = reverse("files:download", args=[stored.pk])
    assert link in operator and "证明.pdf" in operator
    assert _upload_url(person) in operator and 'enctype="multipart/form-data"' in operator
    assert link in assessor and _upload_url(person) not in assessor  # may view, not upload
    # The type reads as a reader names it, never as a MIME type.
    assert "<td>PDF 文件</td>" in operator and "application/pdf" not in operator


def test_the_web_root_holds_no_uploaded_file(personas: Personas, files_dir: Path) -> None:
    from django.conf import settings

    stored = _uploaded(personas, personas.in_scope_person)
    assert not files_dir.is_relative_to(Path(settings.STATIC_ROOT))
    anonymous = Client()
    for guess in (
        f"/static/{stored.storage_name}",
        f"/files/{stored.storage_name}",
        f"/files/{stored.pk}/",
    ):
        assert anonymous.get(guess).status_code in {302, 404}, guess


# Backups carry the files


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_the_files_back(
    personas: Personas, files_dir: Path, tmp_path: Path
) -> None:
    first = _uploaded(personas, personas.in_scope_person, PDF)
    second = _uploaded(personas, personas.out_of_scope_person, PNG + b"x" * 5000, "图.png")
    at_backup = _on_disk(files_dir)
    assert len(at_backup) == 2

    call_command("backup", "--out", str(tmp_path / "b" / "city.dump"))
    manifest = backups.read_manifest(tmp_path / "b" / "city.dump")
    assert manifest is not None and manifest["files"]["count"] == 2
    # Afterwards: one file lost on disk, another uploaded.
    (files_dir / first.storage_name[:2] / first.storage_name).unlink()
    _uploaded(personas, personas.in_scope_person, JPEG, "照片.jpg")

    call_command("restore", str(tmp_path / "b" / "city.dump"), "--yes")

    assert _on_disk(files_dir) == at_backup
    assert set(StoredFile.objects.values_list("storage_name", flat=True)) == {
        first.storage_name,
        second.storage_name,
    }
    response = personas.client("admin").get(reverse("files:download", args=[first.pk]))
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert not any(p.name.startswith(".files.") for p in files_dir.parent.iterdir())


@pytest.mark.django_db(transaction=True)
def test_a_damaged_files_archive_changes_nothing(
    personas: Personas, files_dir: Path, tmp_path: Path
) -> None:
    _uploaded(personas, personas.in_scope_person, PDF)
    dump = tmp_path / "b" / "city.dump"
    call_command("backup", "--out", str(dump))
    archive = dump.with_name("city.dump.files.tar")
    data = bytearray(archive.read_bytes())
    data[data.index(PDF[:8]) + 5] ^= 0x01  # one byte of the stored file's content
    archive.write_bytes(bytes(data))
    _uploaded(personas, personas.in_scope_person, JPEG, "照片.jpg")
    before_files = _on_disk(files_dir)
    before_tables = backups.table_checksums()

    with pytest.raises(CommandError, match="与其清单不符"):
        call_command("restore", str(dump), "--yes")

    assert _on_disk(files_dir) == before_files
    assert backups.table_checksums() == before_tables
    # The manifest made to agree with the damaged archive: the restored rows' SHA-256 catch it.
    manifest_file = backups.manifest_path(dump)
    manifest = json.loads(manifest_file.read_text())
    manifest["files"]["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="有 1 个在文件归档中缺失或内容不符"):
        call_command("restore", str(dump), "--yes")
    assert _on_disk(files_dir) == before_files
    assert backups.table_checksums() == before_tables
    assert not any(p.name.startswith(".files.") for p in files_dir.parent.iterdir())
    archive.unlink()
    with pytest.raises(CommandError, match=r"清单所列的文件归档 .* 不存在"):
        call_command("restore", str(dump), "--yes")
    assert backups.table_checksums() == before_tables


def test_the_materials_form_carries_a_working_csrf_token(personas: Personas) -> None:
    person = personas.in_scope_person
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.user("wang"))
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    form = page[page.index(_upload_url(person)) :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None

    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    response = client.post(
        _upload_url(person), {"file": upload, "csrfmiddlewaretoken": token.group(1)}
    )

    assert response.status_code == 302
    assert StoredFile.objects.count() == 1

"""Official documents: the 参保证明 as a PDF with Chinese text and embedded fonts, its
verification code checked on the public page, forged codes refused, and the page throttled."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pypdf
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jingban.core.models import ActionLog
from jingban.documents import codes
from jingban.documents.models import DocumentKind, IssuedDocument
from jingban.documents.services import issue_document
from jingban.registry.documents import mask_document
from jingban.registry.models import Person
from tests.personas import Personas

CODE = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){4}")
VERIFY = "/public/verify/"


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """Every font of every page, and whether its program is embedded in the file."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font["/BaseFont"]), embedded))
    return found


def _proof(client: Client, person: Person) -> Any:
    return client.post(reverse("documents:person_enrollment_proof", args=[person.pk]))


def _check(code: str, address: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=address).post(VERIFY, {"code": code})


def test_the_proof_of_enrollment_is_a_pdf_with_chinese_text_and_embedded_fonts(
    personas: Personas,
) -> None:
    person = personas.in_scope_person
    response = _proof(personas.client("wang"), person)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "参保证明" in text
    assert person.name in text
    assert mask_document(person.document_type, person.document_number) in text
    assert person.document_number not in text  # never the full number
    assert person.birth_date.isoformat() not in text  # nor the birth date beside it
    assert "验证码" in text and "城乡居民基本医疗保险" in text
    fonts = _fonts(pdf)
    assert fonts and all(embedded for _name, embedded in fonts), fonts
    assert any("CJK" in name for name, _embedded in fonts), fonts
    document = IssuedDocument.objects.get(kind=DocumentKind.ENROLLMENT_PROOF)
    assert document.kind == DocumentKind.ENROLLMENT_PROOF
    assert document.number in text and document.number in response["Content-Disposition"]
    assert (document.object_type, document.object_id) == ("registry.person", str(person.pk))
    assert document.issued_by == personas.user("wang")
    entry = ActionLog.objects.get(action="documents.document.issued", object_id=str(document.pk))
    assert entry.object_id == str(document.pk) and entry.region_path == person.region.path
    code = CODE.search(text)
    assert code is not None
    assert code.group(0) not in str(entry.after)  # the code is printed, never stored


def test_the_code_on_the_pdf_verifies_on_the_public_page(personas: Personas) -> None:
    person = personas.in_scope_person
    text = _text(_proof(personas.client("wang"), person).content)
    code = CODE.search(text)
    assert code is not None

    response = _check(code.group(0).lower().replace("-", " "))  # as typed, loosely

    page = response.content.decode()
    assert response.status_code == 200
    assert "该文书真实有效。" in page
    assert "参保证明" in page
    assert timezone.localdate().strftime("%Y-%m-%d") in page
    # Nothing about the person, and not even the number.
    assert person.name not in page
    assert mask_document(person.document_type, person.document_number) not in page
    assert IssuedDocument.objects.get(kind=DocumentKind.ENROLLMENT_PROOF).number not in page


def test_a_forged_code_is_refused(personas: Personas) -> None:
    text = _text(_proof(personas.client("wang"), personas.in_scope_person).content)
    genuine = CODE.search(text).group(0)  # type: ignore[union-attr]
    changed = ("B" if genuine[0] != "B" else "C") + genuine[1:]
    # A row written straight into the table, with the digest of a code made without the key.
    day = dt.date(2026, 3, 1)
    forged = "ABCD-EFGH-IJKL-MNOP-QRST"
    IssuedDocument.objects.create(
        kind=DocumentKind.ENROLLMENT_PROOF,
        number="CBZM20260301999999",
        issued_on=day,
        object_type="registry.person",
        object_id=str(personas.in_scope_person.pk),
        code_digest=codes.digest(forged),
    )

    for attempt in (changed, forged, "1234", "<script>alert(1)</script>"):
        response = _check(attempt)
        page = response.content.decode()
        assert response.status_code == 400, attempt
        assert "该验证码不属于本机构出具的任何文书" in page
        assert "该文书真实有效" not in page
    assert "&lt;script&gt;" in _check("<script>x</script>").content.decode()


def test_the_public_page_throttles_by_address(personas: Personas, settings: Any) -> None:
    settings.VERIFY_PER_MINUTE = 3
    issued = issue_document(
        DocumentKind.ENROLLMENT_PROOF,
        object_type="registry.person",
        object_id=personas.in_scope_person.pk,
        region_path=personas.in_scope_person.region.path,
        acting_user=None,
    )

    statuses = [_check("AAAA-BBBB-CCCC-DDDD-EEEE").status_code for _ in range(3)]
    throttled = _check(issued.code)  # the 4th, even with a genuine code

    assert statuses == [400, 400, 400]
    assert throttled.status_code == 429
    assert "您所在地址的核验次数过多，请等待一分钟后再试。" in throttled.content.decode()
    assert "该文书真实有效" not in throttled.content.decode()
    # Another address is not held up by this one.
    assert _check(issued.code, address="198.51.100.9").status_code == 200
    english = Client(REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["jingban_language"] = "en"
    response = english.post(VERIFY, {"code": issued.code})
    assert response.status_code == 429
    assert "Too many checks from your address" in response.content.decode()


def test_the_public_page_needs_no_sign_in(db: None) -> None:
    response = Client().get(VERIFY)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_the_insured_person_downloads_their_own_proof(personas: Personas) -> None:
    own = personas.own_person
    client = personas.client("chen")

    page = client.get(reverse("registry:my_record")).content.decode()
    assert reverse("documents:own_enrollment_proof") in page
    response = client.post(reverse("documents:own_enrollment_proof"))

    assert response.status_code == 200
    text = _text(response.content)
    assert "参保证明" in text and own.name in text and "参保人网上自助出具" in text
    document = IssuedDocument.objects.get(kind=DocumentKind.ENROLLMENT_PROOF)
    assert document.object_id == str(own.pk) and document.issued_by == personas.user("chen")


def test_the_person_page_offers_the_proof_to_operators_only(personas: Personas) -> None:
    person = personas.in_scope_person
    url = reverse("registry:person_detail", args=[person.pk])
    action = reverse("documents:person_enrollment_proof", args=[person.pk])

    assert action in personas.client("wang").get(url).content.decode()
    assert action not in personas.client("sun").get(url).content.decode()


def test_out_of_scope_and_without_capability(personas: Personas) -> None:
    assert _proof(personas.client("wang"), personas.out_of_scope_person).status_code == 404
    assert _proof(personas.client("sun"), personas.in_scope_person).status_code == 403
    assert (
        personas.client("wang")
        .get(reverse("documents:person_enrollment_proof", args=[personas.in_scope_person.pk]))
        .status_code
        == 405
    )
    assert not IssuedDocument.objects.filter(kind=DocumentKind.ENROLLMENT_PROOF).exists()


def test_codes_depend_on_every_field_and_the_key(settings: Any) -> None:
    day = dt.date(2026, 5, 4)
    base = codes.make_code("enrollment_proof", "CBZM20260504000001", day, "registry.person:1")
    assert CODE.fullmatch(base)
    variants = {
        codes.make_code("other", "CBZM20260504000001", day, "registry.person:1"),
        codes.make_code("enrollment_proof", "CBZM20260504000002", day, "registry.person:1"),
        codes.make_code(
            "enrollment_proof", "CBZM20260504000001", day.replace(day=5), "registry.person:1"
        ),
        codes.make_code("enrollment_proof", "CBZM20260504000001", day, "registry.person:2"),
    }
    assert base not in variants and len(variants) == 4
    settings.DOCUMENT_KEY = "another key"
    assert (
        codes.make_code("enrollment_proof", "CBZM20260504000001", day, "registry.person:1") != base
    )

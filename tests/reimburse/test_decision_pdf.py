"""The decision letter: issued with the approval (报销决定书, the amounts settled) and with the
rejection (不予报销决定书, the reason); its text read back from the PDF, Chinese included, and
its verification code accepted by the public page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jingban.core.models import ActionLog
from jingban.reimburse import services
from jingban.reimburse.models import Reimbursement
from tests.personas import Personas
from tests.reimburse.helpers import apply

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _verify(client, code: str) -> tuple[int, str]:
    response = client.post(reverse("documents:verify"), {"code": code})
    return response.status_code, response.content.decode()


def test_the_approval_letter_carries_the_amounts_and_a_verifiable_code(
    personas: Personas, client
) -> None:
    chen, sun = personas.user("chen"), personas.user("sun")
    item = apply(personas.own_person, chen, invoice="66660001")
    item = services.approve(item, acting_user=sun)
    item = Reimbursement.objects.select_related("document", "settlement").get(pk=item.pk)
    assert item.document is not None
    response = personas.client("chen").get(reverse("reimburse:my_decision", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "报销决定书" in text
    assert item.number in text
    assert "200.00" in text  # the total
    assert f"{item.payable / 100:.2f}" in text
    assert "6222" in text and "5678" in text and "6222020200112345678" not in text
    code = services.decision_code(item)
    assert code in text
    assert ActionLog.objects.filter(
        action="reimburse.reimbursement.decision_downloaded", object_id=str(item.pk)
    ).exists()
    status, page = _verify(client, code)
    assert status == 200 and "报销决定书" in page
    assert item.document.issued_on.isoformat() in page or str(item.document.issued_on.year) in page
    assert _verify(client, code[:-1] + ("0" if code[-1] != "0" else "1"))[0] == 400


def test_the_rejection_letter_gives_the_reason(personas: Personas) -> None:
    chen, sun = personas.user("chen"), personas.user("sun")
    item = apply(personas.own_person, chen, invoice="66660002")
    item = services.reject(item, "票据与费用明细不符", acting_user=sun)
    response = personas.client("sun").get(reverse("reimburse:decision", args=[item.pk]))
    text = _text(response.content)
    assert "不予报销决定书" in text
    assert "票据与费用明细不符" in text


def test_no_decision_before_the_review(personas: Personas) -> None:
    item = apply(personas.own_person, personas.user("chen"), invoice="66660003")
    response = personas.client("chen").get(reverse("reimburse:my_decision", args=[item.pk]))
    assert response.status_code == 404

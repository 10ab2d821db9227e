"""The settlement statement (结算单): a PDF of one settlement read back (Chinese included), its
figures the row's, its code verified on the public page and a tampered code refused; who may
download it (the hospital, the bureau in scope, the person and their agent); a manual-channel
settlement prints 手工报销; a cancelled settlement and its reversal say so."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from jingban.core.models import ActionLog, Region
from jingban.demo.world import resident_id
from jingban.documents.models import DocumentKind, IssuedDocument
from jingban.engine.money import fen_to_yuan_text
from jingban.medical.models import Settlement, SettlementChannel
from jingban.medical.services import cancel, psn_no_of, settle
from jingban.packs.models import PackVersion
from jingban.registry.documents import mask_document
from jingban.registry.models import Person
from tests.medical.conftest import line, outpatient
from tests.medical.matrix import _settlement

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){4}")
ZH_AMOUNTS = (
    ("医疗费总额", "medfee_sumamt"),
    ("全自费", "fulamt_ownpay_amt"),
    ("超限价自费", "overlmt_selfpay"),
    ("乙类先行自付", "preselfpay_amt"),
    ("符合政策范围", "inscp_scp_amt"),
    ("起付线", "act_pay_dedc"),
    ("统筹基金支付", "hifp_pay"),
    ("大病保险", "hifmi_pay"),
    ("医疗救助", "maf_pay"),
    ("补充保险", "oth_pay"),
    ("基金支付总额", "fund_pay_sumamt"),
    ("个人负担", "psn_part_amt"),
    ("个人现金支付", "psn_cash_pay"),
)


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _download(client: Client, row: Settlement, *, own: bool = False):
    path = f"/settlements/mine/{row.pk}/statement/" if own else f"/settlements/{row.pk}/statement/"
    return client.post(path)


@pytest.fixture
def person() -> Person:
    born = dt.date(1958, 3, 14)
    return Person.objects.create(
        document_type="resident_id",
        document_number=resident_id("320505", born, 311, male=False),
        name="结算单测试",
        sex="F",
        birth_date=born,
        region=Region.objects.get(code="320505"),
    )


@pytest.fixture
def settled(fake_ports, personas, renmin, hospital, person) -> Settlement:
    lines = [line("1", "A001", 12000), line("2", "C001", 3050)]  # class A, and fully self-paid
    _, request = outpatient(renmin, hospital, person, lines, number="JSD-1")
    info = settle(renmin, hospital, request, msgid="jsd1")
    return Settlement.objects.get(setl_id=info.setl_id)


def test_the_statement_prints_the_settlement_as_written(personas, settled, person, hospital):
    response = _download(personas.client("renmin"), settled)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="JSD')
    assert "no-store" in response["Cache-Control"]
    text = _text(response.content)
    flat = _compact(text)
    assert "医疗费用结算单" in flat
    assert person.name in flat and hospital.name in flat
    assert mask_document(person.document_type, person.document_number) in flat
    assert person.document_number not in flat  # never the whole number
    assert person.birth_date.strftime("%Y-%m-%d") not in flat  # nor the birth date
    assert settled.setl_id in flat and settled.visit.mdtrt_id in flat
    assert "普通门诊" in flat and "本地就医" in flat and "直接结算" in flat
    # Every figure is the row's, in yuan with two decimals, beside its label.
    assert settled.medfee_sumamt == 15050 and settled.fulamt_ownpay_amt == 3050
    for label, field in ZH_AMOUNTS:
        assert f"{label}{fen_to_yuan_text(getattr(settled, field))}" in flat, (label, field)
    assert "医疗费总额150.50" in flat and "全自费30.50" in flat
    # The engine's explanation, rule texts included.
    lines = list(settled.lines.all())
    assert lines
    for ln in lines:
        assert _compact(ln.label_zh) in flat
        assert _compact(ln.rule_zh) in flat
    # The packs by their titles.
    for ref in (p["ref"] for p in settled.packs):
        pack_id, _at, version = ref.partition("@")
        title = PackVersion.objects.get(pack_id=pack_id, version=int(version)).title_zh
        assert _compact(title) in flat
    document = IssuedDocument.objects.get(kind=DocumentKind.SETTLEMENT_STATEMENT)
    assert (document.object_type, document.object_id) == ("medical.settlement", settled.setl_id)
    assert document.number.startswith("JSD") and document.number in flat
    assert document.region_path == settled.region_path
    assert timezone.localdate().strftime("%Y-%m-%d") in flat
    entry = ActionLog.objects.get(action="documents.document.issued", object_id=str(document.pk))
    assert entry.actor == personas.user("renmin")
    assert CODE.search(text) is not None
    assert CODE.search(text).group(0) not in str(entry.after)  # type: ignore[union-attr]


def test_the_code_verifies_and_a_tampered_one_does_not(personas, settled):
    text = _text(_download(personas.client("renmin"), settled).content)
    code = CODE.search(text).group(0)  # type: ignore[union-attr]

    genuine = Client(REMOTE_ADDR="203.0.113.21").post("/public/verify/", {"code": code})
    tampered_code = code[:-1] + ("A" if code[-1] != "A" else "B")
    tampered = Client(REMOTE_ADDR="203.0.113.22").post("/public/verify/", {"code": tampered_code})

    page = genuine.content.decode()
    assert genuine.status_code == 200
    assert "该文书真实有效。" in page and "结算单" in page
    assert settled.person.name not in page and settled.setl_id not in page
    assert tampered.status_code == 400
    assert "该文书真实有效" not in tampered.content.decode()


def test_a_manual_settlement_prints_manual_reimbursement(personas):
    row = _settlement(personas, True)
    Settlement.objects.filter(pk=row.pk).update(channel=SettlementChannel.MANUAL)

    flat = _compact(_text(_download(personas.client("wang"), row).content))

    assert "手工报销" in flat and "直接结算" not in flat
    assert "统筹基金支付25.00" in flat and "个人现金支付75.00" in flat


def test_a_cancelled_settlement_and_its_reversal_say_so(personas, settled, renmin, hospital):
    reversal_info = cancel(
        renmin,
        hospital,
        setl_id=settled.setl_id,
        mdtrt_id=settled.visit.mdtrt_id,
        psn_no=psn_no_of(settled.person),
        msgid="jsd1-cancel",
    )
    reversal = Settlement.objects.get(setl_id=reversal_info.setl_id)
    settled.refresh_from_db()
    client = personas.client("renmin")

    original = _compact(_text(_download(client, settled).content))
    reversed_ = _compact(_text(_download(client, reversal).content))

    assert "已撤销" in original and reversal.setl_id in original
    assert "冲销" in reversed_ and settled.setl_id in reversed_
    assert "医疗费总额-150.50" in reversed_
    assert f"个人现金支付{fen_to_yuan_text(-settled.psn_cash_pay)}" in reversed_
    # The reversal prints the explanation of the settlement it cancels.
    assert all(_compact(ln.rule_zh) in reversed_ for ln in settled.lines.all())
    assert "以上为被撤销结算的结算说明" in reversed_


def test_who_may_download(personas, settled):
    # The staff's settlement page offers the download.
    page = personas.client("renmin").get(f"/settlements/{settled.pk}/").content.decode()
    assert f'action="/settlements/{settled.pk}/statement/"' in page and "下载结算单" in page
    # The hospital's staff and the bureau in scope; another institution's staff see nothing.
    assert _download(personas.client("renmin"), settled).status_code == 200
    assert _download(personas.client("wang"), settled).status_code == 200
    assert _download(personas.client("kangning"), settled).status_code == 404
    assert _download(personas.client("chen"), settled).status_code == 403
    assert _download(personas.client("gongbao"), settled).status_code == 403
    # Not the person's own (chen is not this person, nor their agent).
    assert _download(personas.client("chen"), settled, own=True).status_code == 404
    out = _settlement(personas, False)
    assert _download(personas.client("wang"), out).status_code == 404
    # Downloading is a POST (it records a document).
    assert personas.client("renmin").get(f"/settlements/{settled.pk}/statement/").status_code == 405
    assert IssuedDocument.objects.filter(kind=DocumentKind.SETTLEMENT_STATEMENT).count() == 2


def test_the_person_and_their_agent_download_from_their_pages(personas):
    chen = personas.client("chen")
    own = _settlement(personas, True, person=personas.own_person)
    neighbour = Person.objects.get(name="陆美芳")
    theirs = _settlement(personas, True, person=neighbour)

    mine = chen.get("/settlements/mine/").content.decode()
    assert f"/settlements/mine/{own.pk}/" in mine and f"/settlements/mine/{theirs.pk}/" in mine
    assert "陆美芳" in mine
    page = chen.get(f"/settlements/mine/{theirs.pk}/").content.decode()
    assert f"/settlements/mine/{theirs.pk}/statement/" in page and "下载结算单" in page

    for row, who in ((own, personas.own_person), (theirs, neighbour)):
        response = _download(chen, row, own=True)
        assert response.status_code == 200
        assert who.name in _compact(_text(response.content))
    # Revoked, the authorisation no longer opens the neighbour's settlements.
    neighbour.agent_authorisations.update(revoked_at=timezone.now())
    assert _download(chen, theirs, own=True).status_code == 404
    assert _download(chen, own, own=True).status_code == 200

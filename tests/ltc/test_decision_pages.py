"""The decision part's pages: the public notice shows the masked name and never the document
number; the public objection needs a solved captcha and is refused after the notice; staff
issue a decision whose letter downloads with its code; an institution sees and reports on its
own beneficiaries only."""

from __future__ import annotations

import datetime as dt
import io

import altcha
import pypdf
from django.test import Client
from django.urls import reverse

from jingban.core.calendar import today
from jingban.documents import services as documents
from jingban.ltc import services_decision as services
from jingban.ltc.models import (
    CarePlan,
    Case,
    CaseStatus,
    Decision,
    Entitlement,
    EntitlementStatus,
    Notice,
    Objection,
    StatusReport,
)
from jingban.registry.models import Person
from tests.ltc.test_decision import concluded_case
from tests.personas import Personas


def _posted_today(personas: Personas, name: str = "张三明") -> Notice:
    person = personas.in_scope_person
    Person.objects.filter(pk=person.pk).update(name=name)
    person.refresh_from_db()
    case = concluded_case(personas, person=person)
    return services.post_notice(case, by=personas.user("wang"), day=today())


def _solved(client: Client) -> str:
    challenge = client.get(reverse("desk:challenge")).json()
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()  # type: ignore[no-any-return]


def test_public_notice_page_masks_the_name(personas: Personas) -> None:
    notice = _posted_today(personas)
    person = notice.case.person
    page = Client().get(reverse("ltc:public_notices"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "张*明" in html
    assert "张三明" not in html
    assert person.document_number not in html
    assert person.document_number[-4:] + "<" not in html
    assert "3级 重度失能Ⅰ级" in html
    assert notice.ends_on.isoformat() in html
    # By village or community: another region's filter leaves it out.
    other = Client().get(reverse("ltc:public_notices"), {"region": "999999"})
    assert "张*明" not in other.content.decode()
    mine = Client().get(reverse("ltc:public_notices"), {"region": notice.region.code})
    assert "张*明" in mine.content.decode()


def test_public_objection_needs_the_captcha_and_opens_the_reassessment(
    personas: Personas, settings
) -> None:
    settings.DESK_CAPTCHA_COST = 1
    notice = _posted_today(personas, name="张明")
    client = Client(REMOTE_ADDR="192.0.2.77")
    url = reverse("ltc:public_objection", args=[notice.pk])
    page = client.get(url)
    assert page.status_code == 200 and "张*" in page.content.decode()
    data = {"objector": "other", "reason": "老人平时能自己下楼买菜"}
    refused = client.post(url, {**data, "altcha": "not-a-solution"})
    assert refused.status_code == 400 and not Objection.objects.filter(notice=notice).exists()
    done = client.post(url, {**data, "altcha": _solved(client)})
    assert done.status_code == 200
    objection = Objection.objects.get(notice=notice)
    assert objection.channel == "public" and objection.entered_by is None
    assert Case.objects.get(pk=notice.case_id).status == CaseStatus.OBJECTED


def test_public_objection_after_the_notice_is_refused_with_the_reason(
    personas: Personas, settings
) -> None:
    settings.DESK_CAPTCHA_COST = 1
    notice = _posted_today(personas)
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=today() - dt.timedelta(days=20), ends_on=today() - dt.timedelta(days=1)
    )
    client = Client(REMOTE_ADDR="192.0.2.78")
    url = reverse("ltc:public_objection", args=[notice.pk])
    response = client.post(
        url, {"objector": "other", "reason": "理由理由理由", "altcha": _solved(client)}
    )
    assert response.status_code == 400
    assert "公示已于" in response.content.decode()
    assert not Objection.objects.filter(notice=notice).exists()


def test_staff_issue_the_decision_and_download_the_letter(personas: Personas) -> None:
    notice = _posted_today(personas)
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=today() - dt.timedelta(days=20), ends_on=today() - dt.timedelta(days=1)
    )
    wang = personas.client("wang")
    issued = wang.post(
        reverse("ltc:decision_issue", args=[notice.case_id]), {"delivery": "in_person"}
    )
    assert issued.status_code == 302
    decision = Decision.objects.get(case=notice.case)
    letter = wang.get(reverse("ltc:decision_letter", args=[decision.pk]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(letter.content)).pages
    )
    code = services.letter_code(decision)
    assert code in text.replace(" ", "")
    assert documents.verify(code) == decision.document
    assert "张三明" in text  # the person's own letter names them in full


def test_institution_sees_and_reports_only_its_own_beneficiaries(personas: Personas) -> None:
    from jingban.providers.models import Institution

    notice = _posted_today(personas)
    Notice.objects.filter(pk=notice.pk).update(
        posted_on=today() - dt.timedelta(days=20), ends_on=today() - dt.timedelta(days=1)
    )
    decision = services.issue_decision(
        Case.objects.get(pk=notice.case_id), by=personas.user("wang"), delivery="post"
    )
    entitlement = decision.entitlement
    assert entitlement is not None
    kangning = personas.client("kangning")
    url = reverse("ltc:entitlement_detail", args=[entitlement.pk])
    assert kangning.get(url).status_code == 404
    CarePlan.objects.create(
        entitlement=entitlement,
        person=entitlement.person,
        region_path=entitlement.region_path,
        care_form="institution",
        provider=Institution.objects.get(organisation__code="SZ-CARE-KN"),
        effective_from=entitlement.start_on,
    )
    assert kangning.get(url).status_code == 200
    report = kangning.post(
        reverse("ltc:status_report", args=[entitlement.pk]),
        {"kind": "hospital", "event_on": today().isoformat(), "suspend": "on"},
    )
    assert report.status_code == 302
    assert StatusReport.objects.get(entitlement=entitlement).kind == "hospital"
    assert Entitlement.objects.get(pk=entitlement.pk).status == EntitlementStatus.SUSPENDED
    # Resuming a stopped one is refused on the page with the reason, nothing changed.
    wang = personas.client("wang")
    stopped = wang.post(
        reverse("ltc:entitlement_stop", args=[entitlement.pk]),
        {"reason": "moved", "effective_on": today().isoformat()},
    )
    assert stopped.status_code == 302
    refused = wang.post(
        reverse("ltc:entitlement_resume", args=[entitlement.pk]),
        {"reason": "request", "effective_on": today().isoformat()},
    )
    assert refused.status_code == 400
    assert "只有已暂停的待遇资格才能恢复" in refused.content.decode()
    assert Entitlement.objects.get(pk=entitlement.pk).status == EntitlementStatus.STOPPED

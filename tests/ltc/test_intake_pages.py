"""The intake pages with the demo world: an assessor sees only the cases drawn to them (list,
detail, home panel); the operator's home counts the waiting and overdue applications; the
insured person applies online and sees the case's status; the export masks names."""

from __future__ import annotations

from django.urls import reverse

from jingban.ltc.models import Case, CaseStatus, Channel
from tests.personas import Personas

ANSWERS = {
    f"self_{k}": "dependent"
    for k in ("eating", "continence", "bathing", "dressing", "toilet", "transfer")
}


def test_an_assessor_sees_only_the_cases_drawn_to_them(personas: Personas) -> None:
    li = personas.user("li")
    client = personas.client("li")
    drawn = set(
        Case.objects.filter(assessments__assessors__account=li).values_list("number", flat=True)
    )
    others = Case.objects.exclude(assessments__assessors__account=li).exclude(
        status=CaseStatus.ASSESSED
    )
    assert drawn and others.exists()
    page = client.get(reverse("ltc:case_list")).content.decode()
    assert all(number in page for number in drawn)
    assert not any(c.number in page for c in others)
    assert client.get(reverse("ltc:case_detail", args=[others.first().pk])).status_code == 404
    home = client.get(reverse("core:home")).content.decode()
    # The home panel lists the assessments still to do (li also assessed the decision part's
    # demo cases, which are past their visit).
    to_do = Case.objects.filter(
        assessments__assessors__account=li, assessments__status="pending"
    ).values_list("number", flat=True)
    assert "我的待评估任务" in home and to_do and all(number in home for number in to_do)


def test_the_operator_home_counts_waiting_and_overdue(personas: Personas) -> None:
    home = personas.client("wang").get(reverse("core:home")).content.decode()
    assert "待受理的长期护理申请" in home
    assert "1件已超期" in home


def test_the_insured_person_applies_online_and_sees_the_status(personas: Personas) -> None:
    chen = personas.user("chen")
    client = personas.client("chen")
    form = client.get(reverse("ltc:apply")).content.decode()
    assert "进食" in form
    data = {"person": str(chen.person.pk), "disability_since": "2025-01-01", **ANSWERS}
    response = client.post(reverse("ltc:apply"), data)
    assert response.status_code == 302
    case = Case.objects.get(person=chen.person, channel=Channel.ONLINE)
    assert case.status == CaseStatus.APPLIED and case.agent is None
    mine = client.get(reverse("ltc:my_cases")).content.decode()
    assert case.number in mine


def test_the_insured_person_cannot_apply_for_a_stranger(personas: Personas) -> None:
    client = personas.client("chen")
    data = {"person": str(personas.out_of_scope_person.pk), "disability_since": "2025-01-01"}
    response = client.post(reverse("ltc:apply"), {**data, **ANSWERS})
    assert response.status_code == 400
    assert not Case.objects.filter(person=personas.out_of_scope_person).exists()


def test_the_export_masks_the_applicants(personas: Personas) -> None:
    response = personas.client("wang").get(reverse("ltc:case_export_csv"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "长护" in body
    assert "张桂英" not in body and "张**" in body


def test_an_agent_applies_for_the_person_they_are_authorised_for(personas: Personas) -> None:
    from jingban.registry.models import AgentAuthorisation, AgentService, Person

    chen = personas.user("chen")
    neighbour = Person.objects.get(name="陆美芳")
    client = personas.client("chen")
    data = {"person": str(neighbour.pk), "disability_since": "2025-01-01", **ANSWERS}
    # Authorised to view the record and update the contact only: not to apply.
    assert client.post(reverse("ltc:apply"), data).status_code == 400
    # The demo's letter of authorisation is extended to the LTC application.
    auth = AgentAuthorisation.objects.get(person=neighbour, agent=chen, revoked_at=None)
    auth.services = [*auth.services, AgentService.LTC_APPLY]
    auth.save(update_fields=["services"])
    # Other parts' demo rows may already hold a case of hers: the new one is the one made now.
    before = set(Case.objects.filter(person=neighbour).values_list("pk", flat=True))
    assert client.post(reverse("ltc:apply"), data).status_code == 302
    case = Case.objects.filter(person=neighbour).exclude(pk__in=before).get()
    assert case.agent == chen.person and case.channel == Channel.ONLINE
    assert case.number in client.get(reverse("ltc:my_cases")).content.decode()


def test_the_demo_declares_the_persons_it_registers() -> None:
    """The demo world of N persons holds N plus what the apps' demos declare: intake's named
    applicants are all declared."""
    from jingban.ltc.demo_intake import PEOPLE
    from jingban.ltc.plugin_intake import PART

    assert PART.extra["demo_persons"] == len(PEOPLE)

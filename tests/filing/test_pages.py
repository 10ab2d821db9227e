"""The filing pages: chen files online (for herself and as her neighbour's agent) and cancels
after a confirmation; an operator files at the window and works the approval queue; the staff
list masks document numbers."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jingban.filing.models import Channel, Filing, Status
from tests.filing.helpers import file, pdf, person, today
from tests.personas import Personas


def test_chen_files_long_term_residence_online_with_a_commitment(personas: Personas) -> None:
    client = personas.client("chen")
    page = client.get(reverse("filing:my_new")).content.decode()
    assert "办理异地就医备案" in page and "陆美芳" in page  # she may file for her neighbour
    assert 'value="320100"' in page and 'value="320500"' not in page  # no Suzhou destination
    response = client.post(
        reverse("filing:my_new"),
        {
            "person": str(personas.own_person.pk),
            "kind": "long_term_residence",
            "destination": "320100",
            "commitment": "on",
        },
    )
    filing = Filing.objects.get(person=personas.own_person, kind="long_term_residence")
    assert response.status_code == 302
    assert response["Location"] == reverse("filing:my_detail", args=[filing.pk])
    assert filing.status == Status.IN_EFFECT and filing.channel == Channel.ONLINE
    detail = client.get(response["Location"]).content.decode()
    assert "已生效" in detail and "南京市" in detail and "长期有效" in detail
    listing = client.get(reverse("filing:my_list")).content.decode()
    assert filing.number in listing


def test_wrong_dates_on_the_form_store_nothing(personas: Personas) -> None:
    client = personas.client("chen")
    before = Filing.objects.count()
    response = client.post(
        reverse("filing:my_new"),
        {
            "person": str(personas.own_person.pk),
            "kind": "other_temporary",
            "destination": "310000",
            "start": (today() + dt.timedelta(days=10)).isoformat(),
            "end": today().isoformat(),
        },
    )
    assert response.status_code == 400
    assert (
        "结束日期早于开始日期" in response.content.decode() or "早于" in response.content.decode()
    )
    assert Filing.objects.count() == before


def test_a_proof_is_uploaded_with_the_online_form(personas: Personas) -> None:
    client = personas.client("chen")
    response = client.post(
        reverse("filing:my_new"),
        {
            "person": str(personas.own_person.pk),
            "kind": "referral",
            "destination": "310000",
            "materials": [pdf("转诊证明.pdf")],
        },
    )
    assert response.status_code == 302
    filing = Filing.objects.get(person=personas.own_person, kind="referral")
    assert filing.status == Status.PENDING
    material = filing.materials.get()
    detail = client.get(reverse("filing:my_detail", args=[filing.pk])).content.decode()
    assert "转诊转院证明 1" in detail
    # The operator downloads it (the files app's rule: staff see materials, persons do not).
    download = reverse("files:download", args=[material.file.pk])
    assert download not in detail
    wang = personas.client("wang")
    assert download in wang.get(reverse("filing:detail", args=[filing.pk])).content.decode()
    assert wang.get(download).status_code == 200
    assert personas.client("kangning").get(download).status_code in {403, 404}


def test_chen_files_as_the_agent_of_her_neighbour(personas: Personas) -> None:
    neighbour = person("陆美芳")
    client = personas.client("chen")
    response = client.post(
        reverse("filing:my_new"),
        {"person": str(neighbour.pk), "kind": "other_temporary", "destination": "330000"},
    )
    assert response.status_code == 302
    filing = Filing.objects.get(person=neighbour, destination="330000")
    assert filing.channel == Channel.AGENT
    assert filing.number in client.get(reverse("filing:my_list")).content.decode()


def test_a_person_chen_does_not_act_for_is_not_offered(personas: Personas) -> None:
    client = personas.client("chen")
    stranger = person("顾建华")
    response = client.post(
        reverse("filing:my_new"),
        {"person": str(stranger.pk), "kind": "other_temporary", "destination": "330000"},
    )
    assert response.status_code == 400
    assert not Filing.objects.filter(person=stranger, destination="330000").exists()


def test_chen_cancels_after_a_confirmation(personas: Personas) -> None:
    filing = file(personas.own_person, personas.user("chen"))
    client = personas.client("chen")
    url = reverse("filing:my_cancel", args=[filing.pk])
    confirm = client.get(url).content.decode()
    assert "确定取消此备案" in confirm and "不可撤销" in confirm
    filing.refresh_from_db()
    assert filing.status == Status.IN_EFFECT  # the GET changes nothing
    response = client.post(url, {"reason": "已返回苏州"})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Status.CANCELLED and filing.cancel_reason == "已返回苏州"
    assert (
        "取消备案" not in client.get(reverse("filing:my_detail", args=[filing.pk])).content.decode()
    )


def test_an_operator_files_at_the_window_and_approves_the_queue(personas: Personas) -> None:
    client = personas.client("wang")
    neighbour = person("陆美芳")
    response = client.post(
        reverse("filing:window_new"),
        {
            "document_number": neighbour.document_number,
            "kind": "retired_resettled",
            "destination": "110000",
            "materials": [pdf()],
        },
    )
    assert response.status_code == 302
    filing = Filing.objects.get(person=neighbour, kind="retired_resettled")
    assert filing.status == Status.PENDING and filing.channel == Channel.WINDOW
    queue = client.get(reverse("filing:list") + "?status=pending").content.decode()
    assert filing.number in queue
    # The demo's referral of 沈志明 waits too.
    assert Filing.objects.get(person__name="沈志明").number in queue
    assert "320505********" in queue or "*" in queue
    assert neighbour.document_number not in queue
    home = client.get(reverse("core:home")).content.decode()
    assert "待审核的异地就医备案" in home
    detail = client.get(reverse("filing:detail", args=[filing.pk])).content.decode()
    assert "审核通过" in detail and neighbour.document_number not in detail
    assert client.post(reverse("filing:approve", args=[filing.pk])).status_code == 302
    filing.refresh_from_db()
    assert filing.status == Status.IN_EFFECT and filing.decided_by == personas.user("wang")


def test_the_window_needs_a_person_in_scope(personas: Personas) -> None:
    client = personas.client("wang")
    before = Filing.objects.count()
    response = client.post(
        reverse("filing:window_new"),
        {
            "document_number": personas.out_of_scope_person.document_number,
            "kind": "other_temporary",
            "destination": "310000",
        },
    )
    assert response.status_code == 400
    assert "管辖范围内没有" in response.content.decode()
    assert Filing.objects.count() == before


def test_a_refusal_needs_its_reason(personas: Personas) -> None:
    filing = file(person("陆美芳"), personas.user("wang"), "referral", materials=[pdf()])
    client = personas.client("wang")
    response = client.post(reverse("filing:refuse", args=[filing.pk]), {"refuse-reason": ""})
    assert response.status_code == 400
    filing.refresh_from_db()
    assert filing.status == Status.PENDING
    response = client.post(
        reverse("filing:refuse", args=[filing.pk]), {"refuse-reason": "转诊证明不完整"}
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Status.REFUSED and filing.refusal_reason == "转诊证明不完整"

"""Designated institutions: the agreement's state machine, may_serve day by day, outcome rules
as data, checklists' versions and bad input, and the institution's own view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jingban.core.errors import ValidationFailed
from jingban.core.models import Region
from jingban.providers import queries, reminders, services, serving, transitions
from jingban.providers.models import (
    Agreement,
    AgreementEvent,
    AgreementState,
    CheckKind,
    Checklist,
    EventKind,
    Institution,
    OrderState,
    Outcome,
    OutcomeRule,
    RectificationOrder,
)
from tests.personas import Personas

S = AgreementState
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def world(personas: Personas) -> Personas:
    return personas


def _agreement(p: Personas, state: str, code: str = "SZ-HOSP-1") -> Agreement:
    institution = Institution.objects.get(organisation__code=code)
    agreement = Agreement.objects.create(
        institution=institution,
        number=f"T-{state}-{Agreement.objects.count()}",
        state=state,
        applied_on=dt.date(2025, 11, 1),
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
    )
    AgreementEvent.objects.create(
        agreement=agreement,
        kind=EventKind.APPLIED,
        effective_on=agreement.valid_from,
        state_after=state,
    )
    return agreement


def _checklist(kind: str) -> Checklist:
    return Checklist.objects.filter(check_kind=kind).first() or services.save_checklist(
        None,
        code=f"T-{kind}",
        name=kind,
        check_kind=kind,
        total=100,
        pass_mark=80,
        items=[services.ItemInput("a", 50), services.ItemInput("b", 50)],
        acting_user=None,
    )


def _scores(checklist: Checklist, total: int) -> list[services.ItemScore]:
    items = list(checklist.items.all())
    left = total
    out = []
    for item in items:
        score = min(item.weight, left)
        left -= score
        out.append(services.ItemScore(item.pk, score))
    return out


def _fire(p: Personas, agreement: Agreement, event: str) -> Agreement:
    admin = p.user("admin")
    if event == EventKind.ACCEPTANCE:
        checklist = _checklist(CheckKind.ACCEPTANCE)
        services.record_check(
            agreement, checklist, checked_on=DAY, scores=_scores(checklist, 100), acting_user=admin
        )
    elif event in (EventKind.EVALUATION, EventKind.ASSESSMENT):
        kind = CheckKind.EVALUATION if event == EventKind.EVALUATION else CheckKind.ASSESSMENT
        checklist = _checklist(kind)
        services.record_check(
            agreement, checklist, checked_on=DAY, scores=_scores(checklist, 95), acting_user=admin
        )
    elif event == EventKind.TAKE_EFFECT:
        services.take_effect(agreement, acting_user=admin)
    elif event == EventKind.WARNING:
        services.warn(agreement, on=DAY, note="w", acting_user=admin)
    elif event == EventKind.RECTIFICATION:
        services.order_rectification(
            agreement, issued_on=DAY, working_days=10, requirements="r", acting_user=admin
        )
    elif event == EventKind.RECTIFICATION_CLOSED:
        order = RectificationOrder.objects.create(
            agreement=agreement, issued_on=DAY, deadline=DAY, requirements="r"
        )
        services.close_order(order, on=DAY, note="ok", acting_user=admin)
    elif event == EventKind.SUSPENSION:
        services.suspend(agreement, effective_on=DAY, note="s", acting_user=admin)
    elif event == EventKind.LIFTING:
        services.lift_suspension(agreement, effective_on=DAY, note="l", acting_user=admin)
    elif event == EventKind.TERMINATION:
        services.terminate(agreement, effective_on=DAY, note="t", acting_user=admin)
    elif event == EventKind.EXPIRY:
        services.expire(agreement)
    elif event == EventKind.RENEWAL:
        services.renew(
            agreement,
            valid_until=dt.date(2028, 12, 31),
            number=f"R-{agreement.pk}",
            acting_user=admin,
        )
    agreement.refresh_from_db()
    return agreement


ALLOWED = [(e, s, t) for e, table in transitions.TRANSITIONS.items() for s, t in table.items()]
FORBIDDEN = [
    (e, s) for e in transitions.TRANSITIONS for s in S.values if s not in transitions.TRANSITIONS[e]
]


@pytest.mark.parametrize(("event", "state", "after"), ALLOWED)
def test_each_allowed_transition(world: Personas, event: str, state: str, after: str) -> None:
    agreement = _agreement(world, state)
    assert _fire(world, agreement, event).state == after
    last = agreement.events.exclude(kind=EventKind.APPLIED).order_by("id").first()
    assert last is not None and last.kind == event and last.state_before == state
    from jingban.core.models import ActionLog

    assert ActionLog.objects.filter(
        object_type="providers.agreement",
        object_id=str(agreement.pk),
        action=f"providers.agreement.{event}",
    ).exists()


def test_each_forbidden_transition_is_refused_with_a_reason(world: Personas) -> None:
    """Every (event, state) the table leaves out: refused, with the event named in the reason,
    and nothing changed."""
    assert len(FORBIDDEN) > 40
    for event, state in FORBIDDEN:
        agreement = _agreement(world, state)
        events_before = agreement.events.count()
        with pytest.raises(transitions.TransitionRefused) as refused:
            _fire(world, agreement, event)
        assert str(EventKind(event).label) in str(refused.value.message), (event, state)
        agreement.refresh_from_db()
        assert agreement.state == state, (event, state)
        assert agreement.events.count() == events_before, (event, state)


def test_acceptance_below_the_rule_refuses_the_application(world: Personas) -> None:
    agreement = _agreement(world, S.APPLIED)
    checklist = _checklist(CheckKind.ACCEPTANCE)
    services.record_check(
        agreement, checklist, checked_on=DAY, scores=_scores(checklist, 40), acting_user=None
    )
    agreement.refresh_from_db()
    assert agreement.state == S.REFUSED


def test_may_serve_day_by_day_across_a_suspension(world: Personas) -> None:
    institution = Institution.objects.get(organisation__code="SZ-HOSP-1")
    agreement = institution.agreements.get()
    admin = world.user("admin")
    start, suspended_on, lifted_on = dt.date(2026, 4, 1), dt.date(2026, 4, 4), dt.date(2026, 4, 7)
    services.suspend(agreement, effective_on=suspended_on, note="fraud", acting_user=admin)
    services.lift_suspension(agreement, effective_on=lifted_on, note="ok", acting_user=admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        days = serving.may_serve_days(
            institution, "resident_medical", "inpatient", start, dt.date(2026, 4, 9)
        )
    assert len(captured.captured_queries) == 1
    assert [days[start + dt.timedelta(days=n)].allowed for n in range(9)] == [
        True,
        True,
        True,
        False,
        False,
        False,
        True,
        True,
        True,
    ]
    assert "suspended" in days[suspended_on].reason or "暂停" in days[suspended_on].reason
    assert serving.may_serve(institution, "resident_medical", "inpatient", dt.date(2026, 4, 3))
    assert not serving.may_serve(institution, "resident_medical", "inpatient", suspended_on)
    # Not designated for long-term care; outside the agreement's period; after termination.
    assert not serving.may_serve(institution, "ltc", "institutional", start)
    assert not serving.may_serve(
        institution, "resident_medical", "inpatient", agreement.valid_until + dt.timedelta(days=1)
    )
    services.terminate(agreement, effective_on=dt.date(2026, 6, 1), note="end", acting_user=admin)
    assert serving.may_serve(institution, "resident_medical", "inpatient", dt.date(2026, 5, 31))
    answer = serving.may_serve_reasoned(
        institution, "resident_medical", "inpatient", dt.date(2026, 6, 1)
    )
    assert not answer.allowed and answer.reason


def test_a_renewed_period_serves_after_the_first_ends(world: Personas) -> None:
    institution = Institution.objects.get(organisation__code="SZ-HOSP-1")
    agreement = institution.agreements.get()
    renewed = services.renew(
        agreement,
        valid_until=agreement.valid_until.replace(year=agreement.valid_until.year + 3),
        number="R-1",
        acting_user=world.user("admin"),
    )
    day = agreement.valid_until + dt.timedelta(days=1)
    assert renewed.previous == agreement
    # Designations end with the first period in the demo: extend them, then it serves.
    institution.designations.update(valid_until=None)
    assert serving.may_serve(institution, "resident_medical", "inpatient", day)


def test_changing_an_outcome_rule_changes_what_a_check_does(world: Personas) -> None:
    admin = world.user("admin")
    checklist = Checklist.objects.get(code="SZ-LTC-EVAL")
    suzhou = Region.objects.get(code="320500")
    band = OutcomeRule.objects.get(region=suzhou, check_kind=CheckKind.EVALUATION, min_score=80)
    first = _agreement(world, S.IN_FORCE, "SZ-CARE-KN")
    check = services.record_check(
        first, checklist, checked_on=DAY, scores=_scores(checklist, 85), acting_user=admin
    )
    first.refresh_from_db()
    assert (check.outcome, first.state) == (Outcome.WARNING, S.IN_FORCE)
    assert check.deposit_return_percent == 80
    services.save_outcome_rule(
        band,
        region=suzhou,
        check_kind=CheckKind.EVALUATION,
        min_score=80,
        below_score=90,
        outcome=Outcome.RECTIFICATION,
        rectification_days=5,
        deposit_return_percent=60,
        acting_user=admin,
    )
    second = _agreement(world, S.IN_FORCE, "SZ-CARE-KN")
    check = services.record_check(
        second, checklist, checked_on=DAY, scores=_scores(checklist, 85), acting_user=admin
    )
    second.refresh_from_db()
    assert (check.outcome, second.state, check.deposit_return_percent) == (
        Outcome.RECTIFICATION,
        S.RECTIFYING,
        60,
    )
    order = second.orders.get()
    assert order.deadline == services.deadline_for(DAY, 5) == dt.date(2026, 3, 9)
    services.save_outcome_rule(
        band,
        region=suzhou,
        check_kind=CheckKind.EVALUATION,
        min_score=80,
        below_score=90,
        outcome=Outcome.SUSPENSION,
        rectification_days=None,
        deposit_return_percent=0,
        acting_user=admin,
    )
    third = _agreement(world, S.IN_FORCE, "SZ-CARE-KN")
    services.record_check(
        third, checklist, checked_on=DAY, scores=_scores(checklist, 85), acting_user=admin
    )
    third.refresh_from_db()
    assert third.state == S.SUSPENDED


def test_checklist_weights_must_add_up_to_the_total(world: Personas) -> None:
    count = Checklist.objects.count()
    with pytest.raises(ValidationFailed) as failed:
        services.save_checklist(
            None,
            code="BAD",
            name="bad",
            check_kind=CheckKind.ASSESSMENT,
            total=100,
            pass_mark=60,
            items=[services.ItemInput("a", 30), services.ItemInput("b", 30)],
            acting_user=world.user("admin"),
        )
    assert "items" in failed.value.fields
    assert "60" in str(failed.value.fields["items"][0]) and "100" in str(
        failed.value.fields["items"][0]
    )
    assert Checklist.objects.count() == count
    response = world.client("wang").post(
        reverse("providers:checklist_create"),
        {
            "code": "BAD",
            "name": "bad",
            "check_kind": "assessment",
            "total": 100,
            "pass_mark": 60,
            "items": "30 | a\n30 | b",
        },
    )
    assert response.status_code == 400
    assert "权重合计" in response.content.decode()
    assert Checklist.objects.count() == count


def test_a_checklist_in_use_is_never_changed(world: Personas) -> None:
    admin = world.user("admin")
    checklist = Checklist.objects.get(code="SZ-LTC-EVAL")
    assert services.checklist_in_use(checklist)  # the demo's check of 康宁
    items_before = [(i.text, i.weight) for i in checklist.items.all()]
    new = services.save_checklist(
        checklist,
        code=checklist.code,
        name="新版",
        check_kind=checklist.check_kind,
        total=100,
        pass_mark=85,
        items=[services.ItemInput("x", 60), services.ItemInput("y", 40)],
        acting_user=admin,
    )
    checklist.refresh_from_db()
    assert new.pk != checklist.pk and new.version == checklist.version + 1
    assert [(i.text, i.weight) for i in checklist.items.all()] == items_before
    assert checklist.pass_mark == 80
    unused = Checklist.objects.get(code="SZ-ACCEPT")
    same = services.save_checklist(
        unused,
        code=unused.code,
        name="改",
        check_kind=unused.check_kind,
        total=10,
        pass_mark=6,
        items=[services.ItemInput("x", 10)],
        acting_user=admin,
    )
    assert same.pk == unused.pk and same.version == 1


def test_institution_staff_see_only_their_own_institution(world: Personas) -> None:
    kangning = world.user("kangning")
    own = queries.own_institution(kangning)
    assert own.organisation.code == "SZ-CARE-KN"
    assert list(queries.institutions_for(kangning)) == [own]
    other = RectificationOrder.objects.get(agreement__institution__organisation__code="SZ-CARE-AK")
    client = world.client("kangning")
    assert client.get(reverse("providers:own_order", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("providers:own_order", args=[other.pk]), {"text": "x"}).status_code
        == 404
    )
    assert (
        client.get(
            reverse("providers:institution_detail", args=[other.agreement.institution_id])
        ).status_code
        == 403
    )


def test_kangning_answers_its_rectification_order(world: Personas) -> None:
    order = RectificationOrder.objects.get(agreement__institution__organisation__code="SZ-CARE-KN")
    assert order.agreement.state == S.RECTIFYING
    client = world.client("kangning")
    page = client.get(reverse("providers:own"))
    assert "整改中" in page.content.decode()
    assert (
        client.post(reverse("providers:own_order", args=[order.pk]), {"text": ""}).status_code
        == 400
    )
    response = client.post(
        reverse("providers:own_order", args=[order.pk]), {"text": "已补齐护理记录"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.REPLIED
    services.close_order(order, on=DAY, note="整改到位", acting_user=world.user("wang"))
    order.agreement.refresh_from_db()
    assert order.agreement.state == S.IN_FORCE


def test_reminders_reach_staff_before_and_operators_after_the_deadline(world: Personas) -> None:
    order = RectificationOrder.objects.get(agreement__institution__organisation__code="SZ-CARE-KN")
    before = list(reminders.deadlines(order.deadline - dt.timedelta(days=2)))
    mine = [r for r in before if r.key == f"providers.order.due:{order.pk}"]
    assert [r.user_id for r in mine] == [world.user("kangning").pk]
    after = list(reminders.deadlines(order.deadline + dt.timedelta(days=1)))
    overdue = [r for r in after if r.key == f"providers.order.overdue:{order.pk}"]
    assert world.user("wang").pk in {r.user_id for r in overdue}
    assert world.user("kangning").pk not in {r.user_id for r in overdue}
    agreement = Agreement.objects.get(institution__organisation__code="SZ-HOSP-1")
    ending = list(reminders.deadlines(agreement.valid_until - dt.timedelta(days=10)))
    assert any(
        r.key == f"providers.agreement.expiring:{agreement.pk}"
        and r.user_id == world.user("wang").pk
        for r in ending
    )


def test_bureau_list_filters_and_exports(world: Personas) -> None:
    client = world.client("wang")
    page = client.get(
        reverse("providers:institution_list"), {"state": "rectifying"}
    ).content.decode()
    assert "康宁护理院" in page and "苏州市示例第一人民医院" not in page
    assert "南京" not in client.get(reverse("providers:institution_list")).content.decode()
    export = client.get(reverse("providers:institution_export_csv"))
    body = b"".join(export.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "康宁护理院" in body and "整改中" in body


def test_suspension_asks_for_confirmation_and_a_bad_date_is_refused(world: Personas) -> None:
    agreement = Agreement.objects.get(institution__organisation__code="SZ-HOSP-1")
    client = world.client("wang")
    url = reverse("providers:agreement_event", args=[agreement.pk, "suspension"])
    page = client.get(url).content.decode()
    assert "确认" in page
    assert client.post(url, {"effective_on": "not a date"}).status_code == 400
    assert client.post(url, {"effective_on": "2026-05-01", "note": "违规"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == S.SUSPENDED
    refused = client.post(url, {"effective_on": "2026-05-02", "note": "again"})
    assert refused.status_code == 400


def test_the_synthetic_city_has_institutions_of_every_kind_and_agreements_in_every_state(
    world: Personas,
) -> None:
    from jingban.providers.models import InstitutionKind

    synthetic = Institution.objects.filter(organisation__code__startswith="SYN-")
    assert set(synthetic.values_list("kind", flat=True)) == set(InstitutionKind.values)
    states = set(
        Agreement.objects.filter(institution__organisation__code__startswith="SYN-").values_list(
            "state", flat=True
        )
    )
    assert states == set(S.values)
    # Each synthetic agreement's last event leads to its state (the table's paths).
    for agreement in Agreement.objects.filter(institution__organisation__code__startswith="SYN-"):
        last = agreement.events.order_by("effective_on", "id").last()
        assert last is not None and last.state_after == agreement.state
    rectifying = Agreement.objects.filter(
        institution__organisation__code__startswith="SYN-", state=S.RECTIFYING
    )
    assert all(a.orders.filter(state=OrderState.OPEN).exists() for a in rectifying)


def test_the_daily_job_records_expired_periods(world: Personas) -> None:
    agreement = Agreement.objects.get(institution__organisation__code="SZ-HOSP-1")
    day_after = agreement.valid_until + dt.timedelta(days=1)
    services.expire_due(agreement.valid_until)  # its last day: not yet
    agreement.refresh_from_db()
    assert agreement.state == S.IN_FORCE
    assert services.expire_due(day_after) >= 1
    agreement.refresh_from_db()
    assert agreement.state == S.EXPIRED
    assert agreement.events.order_by("id").last().effective_on == day_after  # type: ignore[union-attr]
    assert services.expire_due(day_after) == 0


def test_the_bureau_designates_and_records_an_application(world: Personas) -> None:
    from jingban.core.models import Organisation, Scheme

    wang = world.user("wang")
    hospital = Organisation.objects.get(code="SZ-HOSP-1")
    with pytest.raises(ValidationFailed) as failed:
        services.designate(hospital, kind="pharmacy", acting_user=wang)
    assert "kind" in failed.value.fields
    institution = Institution.objects.get(organisation=hospital)
    client = world.client("wang")
    url = reverse("providers:designation_add", args=[institution.pk])
    ltc = Scheme.objects.get(code="ltc").pk
    bad = client.post(
        url,
        {
            "scheme": ltc,
            "care_form": "home",
            "valid_from": "2026-05-01",
            "valid_until": "2026-01-01",
        },
    )
    assert (bad.status_code == 400 and "早于" in bad.content.decode()) or bad.status_code == 400
    assert not serving.may_serve(institution, "ltc", "home", dt.date(2026, 6, 1))
    assert (
        client.post(
            url, {"scheme": ltc, "care_form": "home", "valid_from": "2026-05-01"}
        ).status_code
        == 302
    )
    assert serving.may_serve(institution, "ltc", "home", dt.date(2026, 6, 1))
    assert not serving.may_serve(institution, "ltc", "home", dt.date(2026, 4, 30))
    response = client.post(
        reverse("providers:agreement_apply", args=[institution.pk]),
        {
            "number": "XY-NEW-1",
            "applied_on": "2026-03-01",
            "valid_from": "2027-01-01",
            "valid_until": "2029-12-31",
            "deposit_yuan": 20000,
        },
    )
    assert response.status_code == 302
    created = Agreement.objects.get(number="XY-NEW-1")
    assert (created.state, created.deposit_fen) == (S.APPLIED, 2_000_000)


def test_a_check_is_recorded_on_its_page_and_its_evidence_is_scoped(world: Personas) -> None:
    from jingban.providers import files

    agreement = Agreement.objects.get(institution__organisation__code="SZ-HOSP-1")
    checklist = Checklist.objects.get(code="SZ-LTC-EVAL")
    items = list(checklist.items.all())
    url = reverse("providers:check_create", args=[agreement.pk, checklist.pk])
    client = world.client("wang")
    data = {"checked_on": "2026-03-02", **{f"item_{i.pk}": str(i.weight) for i in items}}
    data[f"item_{items[0].pk}"] = str(items[0].weight + 1)
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert f"0 至 {items[0].weight}" in refused.content.decode()
    assert not agreement.checks.exists()
    data[f"item_{items[0].pk}"] = str(items[0].weight - 5)
    response = client.post(url, data)
    assert response.status_code == 302
    check = agreement.checks.get()
    assert (check.total_score, check.outcome) == (95, Outcome.PASS)
    assert check.deposit_return_percent == 100
    assert (
        files.visible(world.user("wang"), str(check.pk))
        == agreement.institution.organisation.region.path
    )
    nanjing = Agreement.objects.get(institution__organisation__code="NJ-HOSP-1")
    elsewhere = services.record_check(
        nanjing,
        checklist,
        checked_on=DAY,
        scores=[services.ItemScore(i.pk, i.weight) for i in items],
        acting_user=None,
    )
    assert files.visible(world.user("wang"), str(elsewhere.pk)) is None
    assert (
        files.visible(world.user("admin"), str(elsewhere.pk))
        == nanjing.institution.organisation.region.path
    )
    assert files.visible(world.user("kangning"), str(check.pk)) is None
    assert files.visible(world.user("wang"), "x") is None


def test_our_institution_shows_the_scores_by_item_and_no_latin_codes(world: Personas) -> None:
    from tests.core.test_english import visible_latin

    page = world.client("kangning").get(reverse("providers:own")).content.decode()
    assert "72 / 100" in page  # the demo's evaluation: 16 + 20 + 22 + 14
    assert "有串换项目" in page
    assert visible_latin(page) == []
    wang = world.client("wang")
    agreement = Agreement.objects.get(institution__organisation__code="SZ-CARE-KN")
    for url in (
        reverse("providers:institution_list"),
        reverse("providers:institution_detail", args=[agreement.institution_id]),
        reverse("providers:agreement_detail", args=[agreement.pk]),
        reverse("providers:checklist_list"),
        reverse("providers:rule_list"),
    ):
        assert visible_latin(wang.get(url).content.decode()) == [], url


def test_escalating_an_order_suspends_from_its_date_and_a_renewal_is_made_once(
    world: Personas,
) -> None:
    from jingban.core.errors import Forbidden

    order = RectificationOrder.objects.get(agreement__institution__organisation__code="SZ-CARE-AK")
    with pytest.raises(Forbidden):
        services.reply_to_order(order, text="不是本机构", acting_user=world.user("kangning"))
    institution = order.agreement.institution
    on = dt.date(2026, 7, 1)
    services.escalate_order(order, on=on, note="逾期未整改", acting_user=world.user("qian"))
    order.refresh_from_db()
    assert order.state == OrderState.ESCALATED
    assert order.agreement.state == S.SUSPENDED
    days = serving.may_serve_days(
        institution, "ltc", "institutional", on - dt.timedelta(days=1), on
    )
    assert [a.allowed for a in days.values()] == [True, False]
    with pytest.raises(ValidationFailed):
        services.close_order(order, on=on, note="", acting_user=world.user("wang"))
    agreement = Agreement.objects.get(institution__organisation__code="SZ-HOSP-1")
    end = agreement.valid_until.replace(year=agreement.valid_until.year + 2)
    services.renew(agreement, valid_until=end, number="R-A", acting_user=world.user("qian"))
    with pytest.raises(transitions.TransitionRefused):
        services.renew(agreement, valid_until=end, number="R-B", acting_user=world.user("qian"))

"""Manual reimbursement through the services: the checks at submission (each naming its field,
nothing stored), the materials by case, every transition, the clock rule across a holiday, the
settlement through the engine with channel manual, the notices at each step, and agents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jingban.core.calendar import add_working_days
from jingban.core.errors import Forbidden, ValidationFailed
from jingban.core.models import ActionLog
from jingban.medical.models import Settlement, SettlementChannel
from jingban.notices.models import Notice
from jingban.registry.models import Enrollment
from jingban.reimburse import services, transitions
from jingban.reimburse.models import Invoice, Material, Reimbursement, Status
from tests.personas import Personas
from tests.reimburse.helpers import ACCOUNT, application, apply, pdf, person, today

pytestmark = pytest.mark.django_db


def _fields(error: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in error.value.fields.items()}


def _refused(data: services.ApplicationInput, user) -> dict[str, list[str]]:
    before = (Reimbursement.objects.count(), Invoice.objects.count(), Material.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        services.apply(data, acting_user=user)
    after = (Reimbursement.objects.count(), Invoice.objects.count(), Material.objects.count())
    assert after == before
    return _fields(caught)


def test_the_person_applies_online_and_the_clock_starts(personas: Personas) -> None:
    chen = personas.user("chen")
    item = apply(personas.own_person, chen)
    assert item.status == Status.SUBMITTED
    assert item.channel == "online" and item.agent is None
    assert item.total == 20000
    assert item.received_on == today()
    assert item.deadline == add_working_days(today(), 20)
    assert item.pack == "suzhou-reimbursement-2026@1"
    assert sorted(item.materials.values_list("kind", flat=True)) == [
        "diagnosis",
        "id_card",
        "invoices",
        "itemised_bill",
    ]
    row = ActionLog.objects.get(action="reimburse.reimbursement.applied", object_id=str(item.pk))
    # The account number is never in the action log.
    assert ACCOUNT not in str(row.after) and ACCOUNT[-4:] not in str(row.after)
    notice = Notice.objects.get(user=chen, key__startswith=f"reimburse.received:{item.pk}:")
    assert item.number in notice.title


def test_the_account_is_masked() -> None:
    assert services.mask_account("6222 0202 0011 2345 678") == "6222 **** **** 5678"
    assert services.mask_account("123") == "****"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"discharged_on": -12}, "discharged_on"),  # before the admission (10 days ago)
        ({"visit_kind": "inpatient"}, "discharged_on"),  # a stay needs its discharge day
        ({"admitted_on": +3}, "admitted_on"),  # in the future
        ({"account_number": "12ab"}, "account_number"),
        ({"bank_name": ""}, "bank_name"),
        ({"invoices": []}, "invoices"),
        ({"lines": []}, "lines"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    personas: Personas, change: dict[str, object], field: str
) -> None:
    data = application(personas.own_person)
    for name, value in change.items():
        if isinstance(value, int) and name.endswith("_on"):
            value = today() + dt.timedelta(days=value)
        setattr(data, name, value)
    if change.get("visit_kind") == "inpatient":
        data.materials = [*data.materials, ("discharge_summary", pdf())]
    assert field in _refused(data, personas.user("chen"))


def test_amounts_must_add_up(personas: Personas) -> None:
    data = application(personas.own_person)
    data.invoices[0].amount = 19999  # type: ignore[index]
    fields = _refused(data, personas.user("chen"))
    assert "199.99" in fields["lines"][0] and "200.00" in fields["lines"][0]


def test_a_line_must_be_quantity_times_price_and_in_the_catalogue(personas: Personas) -> None:
    data = application(personas.own_person)
    line = data.lines[0]
    data.lines = [services.LineInput("NO-SUCH-CODE", line.name, Decimal(4), 5000, 19000)]
    data.invoices[0].amount = 19000  # type: ignore[index]
    fields = _refused(data, personas.user("chen"))
    text = " ".join(fields["lines.1"])
    assert "NO-SUCH-CODE" in text
    assert "数量" in text or "quantity" in text


def test_a_person_not_enrolled_that_year_is_refused(personas: Personas) -> None:
    chen = personas.own_person
    Enrollment.objects.filter(
        person=chen, scheme__code="resident_medical", year=today().year
    ).delete()
    fields = _refused(application(chen, days_ago=1), personas.user("chen"))
    assert "admitted_on" in fields


def test_an_invoice_in_another_application_is_refused_saying_where_and_when(
    personas: Personas,
) -> None:
    chen = personas.user("chen")
    first = apply(personas.own_person, chen, invoice="77770001")
    fields = _refused(application(personas.own_person, invoice="77770001"), chen)
    message = fields["invoices.1"][0]
    assert first.number in message
    assert first.received_on.isoformat() in message
    assert personas.own_person.region.name in message
    # Withdrawn, the invoice is free again.
    services.withdraw(first, acting_user=chen)
    again = apply(personas.own_person, chen, invoice="77770001")
    assert again.status == Status.SUBMITTED


def test_an_invoice_already_reimbursed_is_refused(personas: Personas) -> None:
    chen, sun, wang = personas.user("chen"), personas.user("sun"), personas.user("wang")
    item = apply(personas.own_person, chen, invoice="77770002")
    services.approve(item, acting_user=sun)
    services.pay(Reimbursement.objects.get(pk=item.pk), "PAY-1", acting_user=wang)
    fields = _refused(application(personas.own_person, invoice="77770002"), chen)
    assert "已经报销" in fields["invoices.1"][0] or "already reimbursed" in fields["invoices.1"][0]
    assert item.number in fields["invoices.1"][0]


def test_a_bill_settled_directly_is_refused_naming_the_settlement(personas: Personas) -> None:
    chen, sun = personas.user("chen"), personas.user("sun")
    first = apply(personas.own_person, chen, invoice="77770003")
    services.approve(first, acting_user=sun)
    settlement = Settlement.objects.get(pk=Reimbursement.objects.get(pk=first.pk).settlement_id)
    # Make that settlement look like a direct one: the same hospital, day and total.
    Settlement.objects.filter(pk=settlement.pk).update(channel=SettlementChannel.DIRECT)
    fields = _refused(application(personas.own_person, invoice="77770004"), chen)
    assert settlement.setl_id in fields["invoices"][0]


def test_materials_follow_the_case(personas: Personas) -> None:
    chen = personas.user("chen")
    # No identity document of the one-of group: the group's labels are named.
    data = application(personas.own_person)
    data.materials = [m for m in data.materials if m[0] != "id_card"]
    fields = _refused(data, chen)
    assert any("居民身份证" in m and "社会保障卡" in m for m in fields["materials.id_card"])
    # Another of the group will do.
    data.materials = [*data.materials, ("ss_card", pdf())]
    # An accident also needs the accident statement.
    data.cause = "accident"
    assert "materials.accident_statement" in _refused(data, chen)
    data.materials = [*data.materials, ("accident_statement", pdf())]
    item = services.apply(data, acting_user=chen)
    assert item.cause == "accident"


def test_an_inpatient_stay_needs_the_discharge_summary(personas: Personas) -> None:
    chen = personas.user("chen")
    data = application(personas.own_person, visit_kind="inpatient")
    data.discharged_on = today() - dt.timedelta(days=5)
    data.materials = [m for m in data.materials if m[0] != "diagnosis"]
    assert "materials.discharge_summary" in _refused(data, chen)


def test_a_refused_upload_is_a_field_error(personas: Personas) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = application(personas.own_person)
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10, "application/octet-stream")
    data.materials = [*data.materials, ("id_card", bad)]
    assert "materials.id_card" in _refused(data, personas.user("chen"))


def test_only_a_window_operator_checks_paper(personas: Personas) -> None:
    data = application(personas.own_person)
    data.paper_checked = ["id_card"]
    assert "paper_checked" in _refused(data, personas.user("chen"))


def test_the_clock_stops_and_restarts_with_the_days_left_across_a_holiday(
    personas: Personas,
) -> None:
    from jingban.core.calendar import working_days_between

    chen, sun = personas.user("chen"), personas.user("sun")
    item = apply(personas.own_person, chen)
    # Received the Friday before National Day 2026: the deadline is 20 working days on.
    received = dt.date(2026, 9, 25)
    Reimbursement.objects.filter(pk=item.pk).update(
        received_on=received, deadline=add_working_days(received, 20)
    )
    deadline = add_working_days(received, 20)
    # Asked on 2026-09-29, the holiday week follows: it is not counted.
    asked = dt.date(2026, 9, 29)
    left = working_days_between(asked, deadline)
    assert left == 18
    import jingban.reimburse.services as module

    item.refresh_from_db()
    original = module.local_today
    module.local_today = lambda: asked  # type: ignore[assignment]
    try:
        item = services.request_more(item, "请补充出院小结", ["invoices"], acting_user=sun)
        assert item.status == Status.MORE_MATERIALS
        assert item.deadline is None and item.days_left == 18
        # The materials come in on 2026-10-09 (a working day after the holiday).
        back = dt.date(2026, 10, 9)
        module.local_today = lambda: back  # type: ignore[assignment]
        item = services.resubmit(item, [("invoices", pdf())], acting_user=chen)
    finally:
        module.local_today = original  # type: ignore[assignment]
    assert item.status == Status.RESUBMITTED
    assert item.deadline == add_working_days(dt.date(2026, 10, 9), 18)
    assert item.days_left is None
    assert Notice.objects.filter(user=chen, key__startswith=f"reimburse.more:{item.pk}:").exists()


def test_resubmission_needs_every_material_asked_for(personas: Personas) -> None:
    chen, sun = personas.user("chen"), personas.user("sun")
    item = apply(personas.own_person, chen)
    item = services.request_more(item, "票据不清晰", ["invoices", "diagnosis"], acting_user=sun)
    with pytest.raises(ValidationFailed) as caught:
        services.resubmit(item, [("invoices", pdf())], acting_user=chen)
    assert "materials.diagnosis" in _fields(caught)
    assert Reimbursement.objects.get(pk=item.pk).status == Status.MORE_MATERIALS


def test_approval_settles_through_the_engine_and_the_payment_follows(
    personas: Personas,
) -> None:
    chen, sun, wang = personas.user("chen"), personas.user("sun"), personas.user("wang")
    item = apply(personas.own_person, chen, invoice="88880001")
    item = services.approve(item, acting_user=sun)
    assert item.status == Status.APPROVED
    settlement = Settlement.objects.get(pk=item.settlement_id)
    assert settlement.channel == SettlementChannel.MANUAL
    assert settlement.medfee_sumamt == 20000
    assert settlement.lines.exists()
    # Conservation: the funds and the person's part make the total.
    assert settlement.fund_pay_sumamt + settlement.psn_part_amt == settlement.medfee_sumamt
    assert item.fund_amount + item.supplementary_amount == settlement.fund_pay_sumamt
    assert item.supplementary_amount == settlement.oth_pay
    assert item.payable == settlement.fund_pay_sumamt
    assert 0 < item.payable < 20000
    assert Notice.objects.filter(
        user=chen, key__startswith=f"reimburse.approved:{item.pk}:"
    ).exists()
    with pytest.raises(Forbidden):
        services.pay(item, "", acting_user=sun)
    item = services.pay(item, "BANK-20261206-1", acting_user=wang)
    assert item.status == Status.PAID and item.paid_on == today()
    row = ActionLog.objects.get(action="reimburse.reimbursement.paid", object_id=str(item.pk))
    assert row.after["account"] == "6222 **** **** 5678"
    assert ACCOUNT not in str(row.after)
    assert Notice.objects.filter(user=chen, key__startswith=f"reimburse.paid:{item.pk}:").exists()


def test_a_rejection_needs_a_reason_and_frees_the_invoices(personas: Personas) -> None:
    chen, sun = personas.user("chen"), personas.user("sun")
    item = apply(personas.own_person, chen, invoice="88880002")
    with pytest.raises(ValidationFailed):
        services.reject(item, "  ", acting_user=sun)
    item = services.reject(item, "非医保支付范围", acting_user=sun)
    assert item.status == Status.REJECTED
    assert not Invoice.objects.filter(reimbursement=item, live=True).exists()
    assert Notice.objects.filter(
        user=chen, key__startswith=f"reimburse.rejected:{item.pk}:"
    ).exists()


def test_transitions_outside_the_table_are_refused(personas: Personas) -> None:
    chen, sun, wang = personas.user("chen"), personas.user("sun"), personas.user("wang")
    item = apply(personas.own_person, chen)
    with pytest.raises(transitions.TransitionRefused):
        services.pay(item, "", acting_user=wang)  # not approved
    item = services.reject(item, "重复申请", acting_user=sun)
    with pytest.raises(transitions.TransitionRefused):
        services.approve(item, acting_user=sun)
    with pytest.raises(transitions.TransitionRefused):
        services.withdraw(item, acting_user=chen)
    assert Reimbursement.objects.get(pk=item.pk).status == Status.REJECTED


def test_the_insured_cannot_review(personas: Personas) -> None:
    chen = personas.user("chen")
    item = apply(personas.own_person, chen)
    for act in (
        lambda: services.approve(item, acting_user=chen),
        lambda: services.reject(item, "x", acting_user=chen),
        lambda: services.request_more(item, "x", ["invoices"], acting_user=chen),
    ):
        with pytest.raises(Forbidden):
            act()


def test_an_agent_applies_for_the_neighbour_and_both_are_notified(personas: Personas) -> None:
    neighbour = person("陆美芳")
    chen = personas.user("chen")
    item = apply(neighbour, chen, invoice="99990001")
    assert item.channel == "agent" and item.agent == personas.own_person
    row = ActionLog.objects.get(action="reimburse.reimbursement.applied", object_id=str(item.pk))
    assert row.on_behalf_of == f"registry.person:{neighbour.pk}"
    assert Notice.objects.filter(
        user=chen, key__startswith=f"reimburse.received:{item.pk}:"
    ).exists()
    if neighbour.account_id is not None:
        assert Notice.objects.filter(
            user_id=neighbour.account_id, key__startswith=f"reimburse.received:{item.pk}:"
        ).exists()


def test_an_agent_without_the_authorisation_is_refused(personas: Personas) -> None:
    from jingban.core.errors import NotFound
    from jingban.registry.models import AgentAuthorisation

    neighbour = person("陆美芳")
    chen = personas.user("chen")
    for auth in AgentAuthorisation.objects.filter(person=neighbour):
        auth.services = [s for s in auth.services if s != "submit_claim"]
        auth.save()
    with pytest.raises(NotFound):
        apply(neighbour, chen)


def test_a_window_operator_applies_with_paper_materials(personas: Personas) -> None:
    wang = personas.user("wang")
    data = application(personas.own_person, invoice="55550001")
    data.materials = []
    data.paper_checked = ["id_card", "invoices", "itemised_bill"]
    assert "materials.diagnosis" in _refused(data, wang)
    data.paper_checked = [*data.paper_checked, "diagnosis"]
    item = services.apply(data, acting_user=wang)
    assert item.channel == "window"
    assert Material.objects.filter(reimbursement=item, file__isnull=True).count() == 4

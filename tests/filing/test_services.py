"""Filing through the services: each kind's rule from the pack, bad input refused with nothing
stored, agents, and every transition of the state machine (allowed and forbidden)."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.errors import Forbidden, NotFound, ValidationFailed
from jingban.core.models import ActionLog
from jingban.filing import services, transitions
from jingban.filing.models import Channel, Filing, FilingMaterial, Status
from jingban.registry.models import AgentAuthorisation
from jingban.registry.services import revoke_authorisation
from tests.filing.helpers import file, pdf, person, today
from tests.personas import Personas


def _fields(error: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in error.value.fields.items()}


def test_a_commitment_puts_long_term_residence_in_effect_at_once(personas: Personas) -> None:
    chen = personas.own_person
    filing = file(chen, personas.user("chen"), "long_term_residence", "320100", commitment=True)
    assert filing.status == Status.IN_EFFECT
    assert filing.channel == Channel.ONLINE
    assert filing.insured_area == "320500"
    assert filing.destination_name == "南京市"
    assert filing.start == today() and filing.end is None  # until cancelled
    assert filing.pack == "suzhou-filing-2026@1"
    row = ActionLog.objects.filter(action="filing.filing.filed", object_id=str(filing.pk)).get()
    assert row.actor == personas.user("chen")


def test_without_commitment_a_long_term_filing_needs_its_proof_and_waits(
    personas: Personas,
) -> None:
    chen = personas.own_person
    before = Filing.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        file(chen, personas.user("chen"), "long_term_residence", "320100")
    assert "materials" in _fields(caught)
    assert "居住证明" in _fields(caught)["materials"][0]
    assert Filing.objects.count() == before
    filing = file(chen, personas.user("chen"), "long_term_residence", "320100", materials=[pdf()])
    assert filing.status == Status.PENDING
    material = FilingMaterial.objects.get(filing=filing)
    assert material.kind == "residence" and material.file.object_type == "filing.filing"


def test_a_referral_cannot_be_filed_on_a_commitment(personas: Personas) -> None:
    with pytest.raises(ValidationFailed) as caught:
        file(personas.own_person, personas.user("chen"), "referral", "310000", commitment=True)
    assert set(_fields(caught)) == {"commitment"}


def test_temporary_kinds_run_for_the_pack_validity(personas: Personas) -> None:
    start = today()
    filing = file(personas.own_person, personas.user("chen"), "other_temporary", start=start)
    assert filing.status == Status.IN_EFFECT
    assert filing.end == services.add_months(start, 6) - dt.timedelta(days=1)
    emergency = file(personas.own_person, personas.user("chen"), "emergency", "330100")
    assert emergency.status == Status.IN_EFFECT
    assert emergency.end == services.add_months(today(), 1) - dt.timedelta(days=1)


def test_add_months_holds_to_the_end_of_the_month() -> None:
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2026, 11, 15), 6) == dt.date(2027, 5, 15)


@pytest.mark.parametrize(
    ("kind", "fields", "problem"),
    [
        # Dates in the wrong order.
        ("other_temporary", {"start": 0, "end": -1}, "end"),
        # Longer than the temporary validity (6 months).
        ("other_temporary", {"start": 0, "end": 200}, "end"),
        # Shorter than the long-term minimum (6 months).
        ("long_term_residence", {"start": 0, "end": 30, "commitment": True}, "end"),
        # Further back than the kind allows (long-term: not before today; temporary: 90 days).
        ("long_term_residence", {"start": -1, "commitment": True}, "start"),
        ("other_temporary", {"start": -91}, "start"),
        # More than a year ahead.
        ("other_temporary", {"start": 400}, "start"),
    ],
)
def test_a_period_the_pack_does_not_allow_is_refused_with_nothing_stored(
    personas: Personas, kind: str, fields: dict[str, object], problem: str
) -> None:
    base = today()
    given = {
        k: (base + dt.timedelta(days=v) if k in {"start", "end"} else v)  # type: ignore[operator]
        for k, v in fields.items()
    }
    before = (Filing.objects.count(), ActionLog.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        file(personas.own_person, personas.user("chen"), kind, **given)
    assert problem in _fields(caught)
    assert (Filing.objects.count(), ActionLog.objects.count()) == before


def test_ninety_days_back_is_allowed_for_a_referral_made_before_discharge(
    personas: Personas,
) -> None:
    start = today() - dt.timedelta(days=90)
    filing = file(personas.own_person, personas.user("chen"), "other_temporary", start=start)
    assert filing.start == start


@pytest.mark.parametrize(
    ("destination", "message"),
    [("320506", "统筹区"), ("abc", "六位"), ("990000", "六位"), ("", "六位")],
)
def test_a_destination_in_the_insured_place_or_unknown_is_refused(
    personas: Personas, destination: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        file(personas.own_person, personas.user("chen"), destination=destination)
    assert message in _fields(caught)["destination"][0]


def test_an_unknown_kind_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationFailed) as caught:
        file(personas.own_person, personas.user("chen"), kind="holiday")
    assert "kind" in _fields(caught)


def test_a_file_that_is_not_a_proof_is_refused(personas: Personas) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("证明.pdf", b"<html>not a pdf</html>", "application/pdf")
    before = Filing.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        file(personas.own_person, personas.user("chen"), "referral", materials=[bad])
    assert "materials" in _fields(caught)
    assert Filing.objects.count() == before


def test_two_long_term_filings_may_not_overlap(personas: Personas) -> None:
    chen = personas.own_person
    file(chen, personas.user("chen"), "long_term_residence", "320100", commitment=True)
    with pytest.raises(ValidationFailed) as caught:
        file(chen, personas.user("chen"), "resident_work", "330100", commitment=True)
    assert "kind" in _fields(caught)
    # A temporary one beside it is fine.
    assert file(chen, personas.user("chen"), "other_temporary").status == Status.IN_EFFECT


def test_an_operator_files_at_the_window_with_the_paper_proof_checked(
    personas: Personas,
) -> None:
    wang = personas.user("wang")
    neighbour = person("陆美芳")
    filing = file(neighbour, wang, "referral", "310000", paper_checked=True)
    assert filing.channel == Channel.WINDOW
    assert filing.status == Status.IN_EFFECT and filing.decided_by == wang
    pending = file(neighbour, wang, "retired_resettled", "110000", materials=[pdf()])
    assert pending.status == Status.PENDING


def test_only_the_window_checks_paper(personas: Personas) -> None:
    with pytest.raises(ValidationFailed) as caught:
        file(personas.own_person, personas.user("chen"), "referral", paper_checked=True)
    assert "paper_checked" in _fields(caught)


def test_an_operator_cannot_file_for_a_person_outside_the_scope(personas: Personas) -> None:
    with pytest.raises(NotFound):
        file(personas.out_of_scope_person, personas.user("wang"))


def test_roles_without_filing_cannot_file(personas: Personas) -> None:
    with pytest.raises(Forbidden):
        file(personas.in_scope_person, personas.user("kangning"))
    with pytest.raises(Forbidden):
        file(personas.in_scope_person, personas.user("sun"))


def test_an_agent_files_with_an_authorisation_for_cross_region_filing(
    personas: Personas,
) -> None:
    neighbour = person("陆美芳")
    chen = personas.user("chen")
    # The demo's authorisation of chen for her neighbour covers cross-region filing.
    filing = file(neighbour, chen, "long_term_residence", "440300", commitment=True)
    assert filing.channel == Channel.AGENT
    assert filing.agent == personas.own_person
    row = ActionLog.objects.get(action="filing.filing.filed", object_id=str(filing.pk))
    assert row.on_behalf_of == f"registry.person:{neighbour.pk}"
    services.cancel(filing, "不再需要", acting_user=chen)
    filing.refresh_from_db()
    assert filing.status == Status.CANCELLED


def test_without_the_authorisation_the_agent_is_refused(personas: Personas) -> None:
    neighbour = person("陆美芳")
    chen = personas.user("chen")
    made = file(neighbour, chen)
    for auth in AgentAuthorisation.objects.filter(person=neighbour, agent=chen):
        revoke_authorisation(auth, acting_user=personas.user("wang"), reason="撤销")
    before = Filing.objects.count()
    with pytest.raises(NotFound):
        file(neighbour, chen)
    with pytest.raises(NotFound):
        services.cancel(made, "", acting_user=chen)
    assert Filing.objects.count() == before
    assert ActionLog.objects.filter(action="registry.agent.refused").exists()


# --- The state machine ---------------------------------------------------------------------------


def _pending(personas: Personas) -> Filing:
    return file(person("陆美芳"), personas.user("wang"), "referral", materials=[pdf()])


def _in_effect(personas: Personas) -> Filing:
    return file(person("陆美芳"), personas.user("wang"), "other_temporary")


def test_pending_to_in_effect(personas: Personas) -> None:
    filing = services.approve(_pending(personas), acting_user=personas.user("wang"))
    assert filing.status == Status.IN_EFFECT and filing.decided_by == personas.user("wang")
    assert ActionLog.objects.filter(action="filing.filing.approved", object_id=str(filing.pk))


def test_pending_to_refused(personas: Personas) -> None:
    with pytest.raises(ValidationFailed):
        services.refuse(_pending(personas), "  ", acting_user=personas.user("wang"))
    filing = services.refuse(_pending(personas), "证明不清晰", acting_user=personas.user("wang"))
    assert filing.status == Status.REFUSED and filing.refusal_reason == "证明不清晰"


def test_pending_to_cancelled(personas: Personas) -> None:
    filing = services.cancel(_pending(personas), "", acting_user=personas.user("wang"))
    assert filing.status == Status.CANCELLED and filing.cancelled_on == today()


def test_in_effect_to_cancelled(personas: Personas) -> None:
    filing = services.cancel(_in_effect(personas), "返回", acting_user=personas.user("wang"))
    assert filing.status == Status.CANCELLED
    assert ActionLog.objects.get(action="filing.filing.cancelled", object_id=str(filing.pk))


def test_in_effect_to_expired_once_its_end_passed(personas: Personas) -> None:
    filing = _in_effect(personas)
    assert filing.end is not None
    assert services.expire_due(filing.end) == 0  # still in force on its last day
    count = services.expire_due(filing.end + dt.timedelta(days=1))
    filing.refresh_from_db()
    assert filing.status == Status.EXPIRED and count >= 1
    assert ActionLog.objects.filter(action="filing.filing.expired").exists()


ALL = set(Status.values)


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        (Status.PENDING, {Status.IN_EFFECT, Status.REFUSED, Status.CANCELLED}),
        (Status.IN_EFFECT, {Status.CANCELLED, Status.EXPIRED}),
        (Status.REFUSED, set()),
        (Status.CANCELLED, set()),
        (Status.EXPIRED, set()),
    ],
)
def test_the_transition_table(current: str, allowed: set[str]) -> None:
    for new in ALL:
        assert transitions.allowed(current, new) is (new in allowed), (current, new)


def test_forbidden_steps_are_refused_and_change_nothing(personas: Personas) -> None:
    wang = personas.user("wang")
    in_effect = _in_effect(personas)
    with pytest.raises(transitions.TransitionRefused):
        services.approve(in_effect, acting_user=wang)
    with pytest.raises(transitions.TransitionRefused):
        services.refuse(in_effect, "太晚", acting_user=wang)
    refused = services.refuse(_pending(personas), "不符", acting_user=wang)
    for step in (
        lambda f: services.approve(f, acting_user=wang),
        lambda f: services.cancel(f, "", acting_user=wang),
    ):
        with pytest.raises(transitions.TransitionRefused) as caught:
            step(refused)
        assert "新的备案" in str(caught.value.message) or "new filing" in str(caught.value.message)
    cancelled = services.cancel(_in_effect(personas), "", acting_user=wang)
    with pytest.raises(transitions.TransitionRefused):
        services.cancel(cancelled, "", acting_user=wang)
    refused.refresh_from_db()
    cancelled.refresh_from_db()
    assert (refused.status, cancelled.status) == (Status.REFUSED, Status.CANCELLED)
    in_effect.refresh_from_db()
    assert in_effect.status == Status.IN_EFFECT


def test_who_may_decide_and_cancel(personas: Personas) -> None:
    pending = file(person("顾建华"), personas.user("wang"), "referral", materials=[pdf()])
    for role in ("sun", "zhao", "qian", "chen"):
        with pytest.raises(Forbidden):
            services.approve(pending, acting_user=personas.user(role))
    # Another insured person's filing: not theirs to cancel.
    with pytest.raises(NotFound):
        services.cancel(pending, "", acting_user=personas.user("chen"))
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_reminders_of_pending_and_ending_filings(personas: Personas) -> None:
    from jingban.filing.reminders import due

    wang = personas.user("wang")
    pending = _pending(personas)
    ending = file(personas.own_person, personas.user("chen"), "emergency", "330000")
    assert ending.end is not None
    first = {(r.user_id, r.key) for r in due(today())}
    assert (wang.pk, f"filing.filing.pending:{pending.pk}") in first
    assert not any(key == f"filing.filing.ending:{ending.pk}" for _u, key in first)
    near = {(r.user_id, r.key) for r in due(ending.end - dt.timedelta(days=3))}
    assert (personas.user("chen").pk, f"filing.filing.ending:{ending.pk}") in near
    services.approve(pending, acting_user=wang)
    assert (wang.pk, f"filing.filing.pending:{pending.pk}") not in {
        (r.user_id, r.key) for r in due(today())
    }


def test_reasons_are_encrypted_in_the_action_log(personas: Personas) -> None:
    filing = services.cancel(
        _in_effect(personas), "陆美芳已回苏州居住", acting_user=personas.user("wang")
    )
    row = ActionLog.objects.get(action="filing.filing.cancelled", object_id=str(filing.pk))
    assert row.reason.startswith("pii:") and "陆美芳" not in row.reason

"""The interface's safety rules: the per-account limit on 1101, sign_no on the money
transactions of an account that signs in, and the retention of the message log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingban.core.errors import Forbidden
from jingban.core.models import ActionLog, Organisation
from jingban.jobs import runner
from jingban.jobs import services as jobs
from jingban.jobs.models import JobRun
from jingban.medical.models import Settlement
from jingban.medical.national import jobs as national_jobs
from jingban.medical.national.models import InterfaceMessage, PersonLookup, SignIn
from jingban.medical.services import psn_no_of
from tests.medical.national.flows import fee, outpatient_ready, quiet_person, settle_input
from tests.medical.national.helpers import Hospital
from tests.personas import Personas

SIGN_IN = {"signIn": {"opter_no": "0001"}}
# 甲类 100.00 (the fake ports' catalogue; coverage is the fakes', not the demo's enrollment).
LINES = [fee("1", "A0001", "100.00", "1", "100.00")]


def lookup(hospital: Hospital, number: str) -> dict:
    return hospital.call("1101", {"data": {"mdtrt_cert_type": "02", "mdtrt_cert_no": number}})


# 1101: the per-account limit ----------------------------------------------------------------


def test_lookups_over_the_limit_are_refused_for_that_account_only(
    settings, sz_hospital: Hospital, nj_hospital: Hospital
) -> None:
    settings.HOSPITAL_LOOKUPS_PER_MINUTE = 3
    person = quiet_person()
    found = [lookup(sz_hospital, person.document_number) for _ in range(3)]
    assert [a["infcode"] for a in found] == [0, 0, 0]
    assert found[0]["output"]["baseinfo"]["psn_no"] == psn_no_of(person)
    refused = [lookup(sz_hospital, person.document_number) for _ in range(2)]
    for answer in refused:
        assert answer["infcode"] == -1
        assert answer["err_msg"] == "本账号查询人员信息过于频繁，请一分钟后再试。"
        assert answer["output"] == {}
    # A number that matches nobody counts too: guessing numbers is what the limit stops.
    assert lookup(nj_hospital, "110101199001011237")["infcode"] == -2
    assert lookup(nj_hospital, person.document_number)["infcode"] == 0
    assert PersonLookup.objects.filter(account=sz_hospital.user).count() == 3  # refused: uncounted
    assert PersonLookup.objects.filter(account=nj_hospital.user).count() == 2
    # Read only what went through: three reads logged, and the refusal once, without the number.
    queried = ActionLog.objects.filter(
        action="medical.national.person_queried", actor=sz_hospital.user
    )
    assert queried.count() == 3
    [throttled] = ActionLog.objects.filter(action="medical.national.lookups_throttled")
    assert throttled.actor == sz_hospital.user
    assert throttled.after == {"limit": 3, "institution": "SZ-HOSP-1"}
    assert person.document_number not in str(throttled.after)


def test_the_window_slides_a_lookup_counts_for_one_minute(settings, sz_hospital: Hospital) -> None:
    settings.HOSPITAL_LOOKUPS_PER_MINUTE = 2
    number = quiet_person().document_number
    assert [lookup(sz_hospital, number)["infcode"] for _ in range(3)] == [0, 0, -1]
    first = PersonLookup.objects.filter(account=sz_hospital.user).order_by("at", "pk").first()
    assert first is not None
    PersonLookup.objects.filter(pk=first.pk).update(at=timezone.now() - dt.timedelta(seconds=61))
    assert lookup(sz_hospital, number)["infcode"] == 0  # one of two left the window
    assert lookup(sz_hospital, number)["infcode"] == -1
    assert PersonLookup.objects.filter(account=sz_hospital.user).count() == 2


def test_other_transactions_are_not_counted(settings, sz_hospital: Hospital) -> None:
    settings.HOSPITAL_LOOKUPS_PER_MINUTE = 1
    for _ in range(3):
        assert sz_hospital.call("9001", SIGN_IN)["infcode"] == 0
    assert not PersonLookup.objects.exists()


# sign_no ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_ports")
def test_an_account_that_never_signed_in_settles_without_sign_no(sz_hospital: Hospital) -> None:
    person = quiet_person()
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-S1", LINES)
    settled = sz_hospital.call("2207", settle_input(person, mdtrt_id, "100.00"))
    assert settled["infcode"] == 0, settled


@pytest.mark.usefixtures("fake_ports")
def test_after_9001_money_transactions_need_the_accounts_own_sign_no(
    sz_hospital: Hospital,
) -> None:
    sign_no = sz_hospital.call("9001", SIGN_IN)["output"]["signinoutb"]["sign_no"]
    assert SignIn.objects.get(sign_no=sign_no).account == sz_hospital.user
    person = quiet_person()
    # Registering and uploading fees move no money: no sign_no needed.
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-S2", LINES)
    body = sz_hospital.envelope("2207", settle_input(person, mdtrt_id, "100.00"))
    refused = sz_hospital.post(body)
    assert refused["infcode"] == -2
    assert "sign_no" in refused["err_msg"] and "9001" in refused["err_msg"]
    assert not Settlement.objects.filter(person=person).exists()
    assert not InterfaceMessage.objects.filter(msgid=body["msgid"]).exists()  # may come again
    settled = sz_hospital.post({**body, "sign_no": sign_no})
    assert settled["infcode"] == 0, settled
    setl_id = settled["output"]["setlinfo"]["setl_id"]
    cancel = {"data": {"setl_id": setl_id, "mdtrt_id": mdtrt_id, "psn_no": psn_no_of(person)}}
    assert sz_hospital.call("2208", cancel)["infcode"] == -2
    assert sz_hospital.call("2208", cancel, sign_no=sign_no)["infcode"] == 0


@pytest.mark.usefixtures("fake_ports")
def test_a_sign_no_of_another_account_or_an_old_one_is_refused(
    settings, sz_hospital: Hospital, nj_hospital: Hospital
) -> None:
    settings.HOSPITAL_SIGN_IN_HOURS = 24
    own = sz_hospital.call("9001", SIGN_IN)["output"]["signinoutb"]["sign_no"]
    other = nj_hospital.call("9001", SIGN_IN)["output"]["signinoutb"]["sign_no"]
    person = quiet_person()
    mdtrt_id = outpatient_ready(sz_hospital, person, "MZ-S3", LINES)
    settle = settle_input(person, mdtrt_id, "100.00")
    for sign_no in (other, "20260302090000ffffffffffffffff"):
        answer = sz_hospital.call("2207", settle, sign_no=sign_no)
        assert answer["infcode"] == -2
        assert f"sign_no {sign_no} 不是本账号在本机构的有效签到" in answer["err_msg"]
    SignIn.objects.filter(sign_no=own).update(
        signed_in_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    assert sz_hospital.call("2207", settle, sign_no=own)["infcode"] == -2
    fresh = sz_hospital.call("9001", SIGN_IN)["output"]["signinoutb"]["sign_no"]
    assert sz_hospital.call("2207", settle, sign_no=fresh)["infcode"] == 0
    assert Settlement.objects.filter(person=person).count() == 1


# The message log's retention -------------------------------------------------------------------


def _message(msgid: str, age_days: float) -> InterfaceMessage:
    message = InterfaceMessage.objects.create(
        institution=Organisation.objects.get(code="SZ-HOSP-1"), msgid=msgid, infno="2207"
    )
    received = timezone.now() - dt.timedelta(days=age_days)
    InterfaceMessage.objects.filter(pk=message.pk).update(received_at=received)
    return message


def test_the_daily_job_deletes_messages_past_the_retention_period(
    settings, personas: Personas
) -> None:
    settings.HOSPITAL_MESSAGE_RETENTION_DAYS = 180
    InterfaceMessage.objects.all().delete()
    old = [_message("OLD1", 181), _message("OLD2", 400)]
    kept = [_message("NEW1", 179), _message("NEW2", 0)]
    admin = personas.user("admin")
    run = jobs.enqueue(admin, "medical.national.messages.purge", defer=False)
    runner.execute(run.pk)
    run = JobRun.objects.get(pk=run.pk)
    assert run.result == {"deleted": 2}
    assert set(InterfaceMessage.objects.values_list("pk", flat=True)) == {m.pk for m in kept}
    assert not InterfaceMessage.objects.filter(pk__in=[m.pk for m in old]).exists()
    [logged] = ActionLog.objects.filter(action="medical.national.messages_purged")
    assert logged.actor == admin
    assert logged.after["count"] == 2 and logged.after["retention_days"] == 180
    # Nothing old left: the next run deletes nothing and logs nothing.
    assert national_jobs.purge_messages() == 0
    assert ActionLog.objects.filter(action="medical.national.messages_purged").count() == 1


def test_the_retention_period_is_the_setting(settings, personas: Personas) -> None:
    InterfaceMessage.objects.all().delete()
    _message("A", 10)
    _message("B", 40)
    settings.HOSPITAL_MESSAGE_RETENTION_DAYS = 30
    assert national_jobs.purge_messages() == 1
    assert list(InterfaceMessage.objects.values_list("msgid", flat=True)) == ["A"]


def test_only_an_administrator_may_start_the_purge(personas: Personas) -> None:
    with pytest.raises(Forbidden):
        jobs.enqueue(personas.user("wang"), "medical.national.messages.purge", defer=False)

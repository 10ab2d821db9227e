"""The same msgid sent several times at once, from separate connections: one settlement, and
every answer is the first one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from jingban.medical.models import Settlement
from jingban.medical.national.models import InterfaceMessage
from tests.medical.national.flows import fee, outpatient_ready, quiet_person, settle_input
from tests.medical.national.helpers import hospital

CALLERS = 6


@pytest.mark.django_db(transaction=True)
def test_identical_requests_at_once_settle_once(personas, fake_ports) -> None:
    sz = hospital("SZ-HOSP-1", "his_sz")
    person = quiet_person()
    mdtrt_id = outpatient_ready(sz, person, "MZ-C1", [fee("1", "A0001", "100.00", "4", "400.00")])
    body = sz.envelope("2207", settle_input(person, mdtrt_id, "400.00"))
    barrier = threading.Barrier(CALLERS)
    answers: list[dict] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(sz.post(body))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answers) == CALLERS
    assert answers[0]["infcode"] == 0, answers[0]
    assert all(answer == answers[0] for answer in answers)
    assert Settlement.objects.filter(person=person).count() == 1
    assert InterfaceMessage.objects.filter(msgid=body["msgid"]).count() == 1

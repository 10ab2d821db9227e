"""Fifty settlements for one person at once, each from its own database connection, whose sum
crosses the outpatient pooling cap: the fund pays exactly up to the cap, never past it, and the
accumulators equal the sum of the settlements (the person-year row is locked FOR UPDATE)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from jingban.core.models import Organisation, Region, User
from jingban.demo.world import resident_id
from jingban.medical.models import PersonYearTotals, Settlement
from jingban.medical.services import SettleIn, settle
from jingban.registry.models import Person
from tests.medical.conftest import line, outpatient, today

SETTLEMENTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_settlements_stop_at_the_cap(personas, fake_ports):
    assert connection.vendor == "postgresql"
    renmin = User.objects.get(username="renmin")
    hospital = Organisation.objects.get(code="SZ-HOSP-1")
    person = Person.objects.create(
        document_type="resident_id",
        document_number=resident_id("320505", dt.date(1970, 1, 2), 490, male=False),
        name="并发测试",
        sex="F",
        birth_date=dt.date(1970, 1, 2),
        region=Region.objects.get(code="320505"),
    )
    requests: list[SettleIn] = []
    for n in range(SETTLEMENTS):
        # 100.00 in scope each: the first pays 50% past the 50.00 deductible, the others 50%,
        # until the 150.00 cap of outpatient pooling is reached.
        _, request = outpatient(
            renmin, hospital, person, [line("1", "A001", 10000)], number=f"CC{n}"
        )
        requests.append(request)

    barrier = threading.Barrier(SETTLEMENTS)
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    backends: set[int] = set()

    def run(request: SettleIn, n: int) -> None:
        try:
            barrier.wait(timeout=60)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            info = settle(renmin, hospital, request, msgid=f"CONC-{n}")
            with lock:
                results.append(info.hifp_pay)
                backends.add(pid)
        except BaseException as err:
            with lock:
                errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(r, n)) for n, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert len(results) == SETTLEMENTS
    assert len(backends) == SETTLEMENTS  # each from its own connection
    cap = 15000
    assert sum(results) == cap
    # Whatever the order: one pays past the deductible, two in full, one up to the cap.
    assert sorted(results) == [0] * (SETTLEMENTS - 4) + [2500, 2500, 5000, 5000]
    rows = Settlement.objects.filter(person=person)
    assert rows.count() == SETTLEMENTS
    totals = PersonYearTotals.objects.get(person=person, year=today().year)
    assert totals.counters["cap:outpatient_general"] == cap == sum(r.hifp_pay for r in rows)
    assert totals.counters["deductible:outpatient_general"] == 5000
    assert totals.counters["visits:outpatient_general"] == SETTLEMENTS
    assert totals.medfee == sum(r.medfee_sumamt for r in rows) == SETTLEMENTS * 10000
    assert totals.settlements == SETTLEMENTS
    assert totals.fund_paid_amount == cap

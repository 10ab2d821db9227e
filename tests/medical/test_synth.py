"""The synthetic year of settlements: calibrated rates, settled by the engine (caps hold, the
accumulators equal the settlements), the same seed gives the same rows."""

from __future__ import annotations

import pytest
from django.db.models import Count, Sum

from jingban.core.plugins import SynthContext
from jingban.medical import synth
from jingban.medical.models import PersonYearTotals, Settlement, SettlementFund, Visit

pytestmark = pytest.mark.django_db


def _clear() -> None:
    SettlementFund.objects.filter(settlement__visit__mdtrt_id__startswith="SYN").delete()
    Settlement.objects.filter(visit__mdtrt_id__startswith="SYN").delete()
    Visit.objects.filter(mdtrt_id__startswith="SYN").delete()
    PersonYearTotals.objects.filter(person__account__isnull=True).exclude(
        person__settlements__msgid__startswith="DEMO-"
    ).delete()


def test_a_year_of_settlements_calibrated_and_settled_by_the_engine(personas):
    _clear()
    outcome = synth.generate(SynthContext(persons=24, seed=7))
    rows = Settlement.objects.filter(visit__mdtrt_id__startswith="SYN")
    assert outcome.counts["medical.Settlement"] == rows.count() > 0
    persons = rows.values("person").distinct().count()
    per_person = rows.count() / persons
    assert 2.5 <= per_person <= 8  # about 5 a year
    admitted = rows.filter(visit__inpatient=True).values("person").distinct().count()
    assert admitted <= persons
    # Conservation and the accumulators.
    for row in rows[:50]:
        assert row.fund_pay_sumamt == row.hifp_pay + row.hifmi_pay + row.maf_pay + row.oth_pay
        assert row.psn_cash_pay == row.medfee_sumamt - row.fund_pay_sumamt >= 0
    for totals in PersonYearTotals.objects.filter(person__in=rows.values("person")):
        mine = rows.filter(person=totals.person, year=totals.year)
        agg = mine.aggregate(medfee=Sum("medfee_sumamt"), n=Count("pk"))
        assert (totals.medfee, totals.settlements) == (agg["medfee"], agg["n"])
        assert totals.counters.get("cap:outpatient_general", 0) <= 15000
    # The same seed gives the same rows.
    first = outcome.digest
    _clear()
    assert synth.generate(SynthContext(persons=24, seed=7)).digest == first

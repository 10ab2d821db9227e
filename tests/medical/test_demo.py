"""The demo's settlements, built through the service (here with the other parts faked; the
merged world builds them with the real ones, ``test_settlement_integrated``)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import F

from jingban.medical import demo
from jingban.medical.models import Reconciliation, Settlement, Visit
from jingban.medical.panels import today

pytestmark = pytest.mark.django_db


def test_demo_settles_chen_and_todays_walk_ins(fake_ports, personas, monkeypatch):
    # A merged world has the demo's own settlements already: move them out of the way.
    Settlement.objects.filter(msgid__startswith="DEMO-").update(msgid="old")
    Reconciliation.objects.filter(msgid__startswith="DEMO-").update(msgid="old")
    Visit.objects.filter(ipt_otp_no__startswith="DEMO-").update(ipt_otp_no=F("mdtrt_id"))
    chen = personas.own_person
    fake_ports.registered.add((chen.pk, demo.HYPERTENSION))
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name in demo.NEEDS or real(name))
    demo.build(personas.user("admin"), personas.world.users)
    own = Settlement.objects.filter(person=chen, msgid__startswith="DEMO-")
    assert sorted(own.values_list("med_type", flat=True)) == ["11", "11", "14", "21"]
    assert all(s.fund_pay_sumamt > 0 for s in own)
    assert Settlement.objects.filter(msgid="DEMO-CANCEL-2208", kind="reversal").count() == 1
    assert Reconciliation.objects.filter(msgid="DEMO-3201", result="0").exists()
    panel = today(personas.user("renmin"))
    assert panel is not None and panel["totals"].count >= 2
    # Idempotent.
    count = Settlement.objects.count()
    demo.build(personas.user("admin"), personas.world.users)
    assert Settlement.objects.count() == count


def test_without_the_apps_it_settles_against_the_demo_does_nothing(personas, monkeypatch):
    # A deployment without one of them (here the catalogue): no settlement, and no error.
    Settlement.objects.filter(msgid__startswith="DEMO-").update(msgid="old")
    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "jingban.catalogue" and real(name)
    )
    assert "jingban.catalogue" in demo.NEEDS
    count = Settlement.objects.count()
    demo.build(personas.user("admin"), personas.world.users)
    assert Settlement.objects.count() == count
    assert not Settlement.objects.filter(msgid__startswith="DEMO-").exists()

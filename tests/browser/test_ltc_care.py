"""A caregiver's visit in Chinese, on a phone-sized screen (axe checks every page): 周护理
(zhou) opens today's visits at 390 px, checks in with the browser's location near the home,
ticks what was done, checks out, and sees the visit completed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from jingban.ltc.models import CarePlan, Case, Entitlement, Visit, VisitStatus
from jingban.providers.models import Institution
from jingban.registry.models import Person
from tests.browser.test_roles_and_persons import sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db(transaction=True)

HOME = {"latitude": 31.259, "longitude": 120.519}


def _plan() -> CarePlan:
    person = (
        Person.objects.filter(
            region__path__contains="320500/", account__isnull=True, ltc_entitlements__isnull=True
        )
        .order_by("pk")
        .first()
    )
    assert person is not None
    today = timezone.localdate()
    case = Case.objects.create(
        number="BROWSER-CARE-1",
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="counter",
        status="decided",
        received_on=today - dt.timedelta(days=60),
    )
    entitlement = Entitlement.objects.create(
        person=person,
        case=case,
        region_path=person.region.path,
        level=4,
        severity="severe",
        start_on=today - dt.timedelta(days=30),
        end_on=today + dt.timedelta(days=300),
    )
    return CarePlan.objects.create(
        entitlement=entitlement,
        person=person,
        region_path=person.region.path,
        care_form="home_visit",
        provider=Institution.objects.get(organisation__code="SZ-CARE-KN"),
        monthly_visits=15,
        hours_per_visit=Decimal("2"),
        home_lat=Decimal("31.259000"),
        home_lon=Decimal("120.519000"),
        effective_from=today - dt.timedelta(days=30),
    )


def test_caregiver_checks_in_and_out_on_a_phone(
    live_server, page: Page, personas: Personas
) -> None:
    plan = _plan()
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": 31.2592, "longitude": 120.5191})  # ~25 m away
    sign_in(page, base, "zhou", personas.world.passwords["zhou"])
    expect(page.get_by_role("heading", name="今日服务")).to_be_visible()
    page.goto(f"{base}/ltc/care/today/")
    expect(page.locator("h1")).to_contain_text("今日上门服务")
    card = page.get_by_role("region", name=plan.person.name)
    card.get_by_role("button", name="签到").click()
    expect(page.locator(".messages")).to_contain_text("已签到")
    visit = Visit.objects.get(care_plan=plan)
    assert visit.status == VisitStatus.OPEN and (visit.distance_m or 0) < 50
    # The service took its time: the pack asks for 60 minutes at least.
    Visit.objects.filter(pk=visit.pk).update(check_in=timezone.now() - dt.timedelta(minutes=75))
    page.reload()
    card = page.get_by_role("region", name=plan.person.name)
    card.get_by_label("个人清洁").check()
    card.get_by_label("协助进食").check()
    card.get_by_role("button", name="签退").click()
    expect(page.locator(".messages")).to_contain_text("服务已完成")
    expect(page.get_by_role("region", name=plan.person.name)).to_contain_text("已完成")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.items == ["hygiene", "feeding"] and visit.out_lat is not None
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

"""Care's pages and demo: the demo's plans, visits, bed-days and stay; the home panels; the
forms' errors shown beside their fields with nothing stored; the exports."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jingban.ltc.models import BedDay, CarePlan, HospitalStay, Visit, VisitStatus
from tests.ltc.test_care import _persons, entitlement, home_plan, kn
from tests.personas import Personas


def test_demo_has_plans_visits_bed_days_and_a_stay(personas: Personas) -> None:
    plans = CarePlan.objects.filter(provider=kn(), created_by=personas.user("admin"))
    assert sorted(plans.values_list("care_form", flat=True)) == ["home_visit", "institution"]
    visits = Visit.objects.filter(care_plan__in=plans)
    assert visits.filter(status=VisitStatus.FLAGGED).count() == 1
    assert visits.filter(status=VisitStatus.DONE).count() >= 5
    bed = plans.get(care_form="institution")
    assert HospitalStay.objects.filter(person=bed.person).count() == 1
    assert BedDay.objects.filter(care_plan=bed, status="hospital").count() == 3
    assert BedDay.objects.filter(care_plan=bed, status="present").count() > 20


def test_home_panels(personas: Personas) -> None:
    home = personas.client("zhou").get(reverse("core:home")).content.decode()
    assert "今日服务" in home
    bed = CarePlan.objects.get(
        provider=kn(), created_by=personas.user("admin"), care_form="institution"
    )
    page = personas.client("kangning").get(reverse("core:home")).content.decode()
    assert "今日床日待报" in page and bed.person.name in page


def test_check_in_without_location_shows_the_error(personas: Personas) -> None:
    plan = home_plan(personas, entitlement(_persons(1)[0]))
    response = personas.client("zhou").post(reverse("ltc:care_check_in", args=[plan.pk]), {})
    assert response.status_code == 400
    assert "须定位签到" in response.content.decode()
    assert not Visit.objects.filter(care_plan=plan).exists()
    response = personas.client("zhou").post(
        reverse("ltc:care_check_in", args=[plan.pk]),
        {"in-lat": "31.259100", "in-lon": "120.519000"},
    )
    assert response.status_code == 302
    assert Visit.objects.get(care_plan=plan).status == VisitStatus.OPEN


def test_plan_form_names_the_provider(personas: Personas) -> None:
    from jingban.providers.models import Institution

    ent = entitlement(_persons(1)[0])
    ak = Institution.objects.get(organisation__code="SZ-CARE-AK")
    response = personas.client("wang").post(
        reverse("ltc:care_plan_new"),
        {
            "entitlement": ent.pk,
            "care_form": "home_visit",
            "provider": ak.pk,
            "effective_from": ent.start_on.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "id_provider_error" in response.content.decode()
    assert not CarePlan.objects.filter(entitlement=ent).exists()
    response = personas.client("wang").post(
        reverse("ltc:care_plan_new"),
        {
            "entitlement": ent.pk,
            "care_form": "home_visit",
            "provider": kn().pk,
            "effective_from": ent.start_on.isoformat(),
        },
    )
    assert response.status_code == 302
    plan = CarePlan.objects.get(entitlement=ent)
    change = personas.client("wang").post(
        reverse("ltc:care_plan_change", args=[plan.pk]),
        {
            "care_form": "institution",
            "provider": kn().pk,
            "effective_from": (ent.start_on + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert change.status_code == 400  # not confirmed
    assert CarePlan.objects.filter(entitlement=ent).count() == 1


def test_bed_days_and_stay_import_pages(personas: Personas) -> None:
    person = _persons(1)[0]
    from jingban.ltc import services_care
    from jingban.ltc.services_care import PlanInput

    ent = entitlement(person)
    services_care.create_plan(
        ent, PlanInput("institution", kn(), ent.start_on), acting_user=personas.user("wang")
    )
    client = personas.client("kangning")
    today = timezone.localdate()
    response = client.post(
        reverse("ltc:bed_days"), {"day": today.isoformat(), f"status_{person.pk}": "absent"}
    )
    assert response.status_code == 302
    assert BedDay.objects.get(person=person, day=today).status == "absent"
    text = f"证件号码,入院日期,出院日期\n{person.document_number},{today.isoformat()},\n000,x,\n"
    upload = SimpleUploadedFile("stays.csv", text.encode("utf-8"), content_type="text/csv")
    response = client.post(reverse("ltc:hospital_stay_import"), {"file": upload})
    assert response.status_code == 400
    assert "第3行" in response.content.decode()
    assert not HospitalStay.objects.filter(person=person).exists()


def test_visit_export_is_masked_and_scoped(personas: Personas) -> None:
    response = personas.client("zhao").get(reverse("ltc:visit_export_csv") + "?flagged=1")
    assert response.status_code == 200
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    text = body.decode("utf-8-sig")
    assert "距服务地址过远" in text

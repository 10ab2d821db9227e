"""The catalogue app's routes in the authorization matrix.

The catalogue is reference data every signed-in user reads (an absent code is 404 for all);
operators and admin import versions. Chronic-disease registrations: bureau staff read those of
persons in their region subtree (in scope: 陈秀英's, Suzhou; out of scope: a Nanjing person's),
operators and admin register and end them, the insured person sees their own."""

from __future__ import annotations

import datetime as dt

from jingban.catalogue import services
from jingban.catalogue.models import ChronicDisease, ChronicRegistration
from tests.authz import EVERYONE, Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
REGISTRARS = {"admin", "wang"}
EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}  # core's export capability
ITEM = "XJ01CAA381A0010100000"


def item(p: Personas, in_scope: bool) -> str:
    return ITEM if in_scope else "XNOTINCATALOGUE"


def registration(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return ChronicRegistration.objects.get(person=p.own_person, disease__code="M03900").pk
    found = ChronicRegistration.objects.filter(
        person=p.out_of_scope_person, disease__code="M01600"
    ).first()
    if found is not None:
        return found.pk
    return services.register_chronic(
        services.RegistrationInput(
            person=p.out_of_scope_person,
            disease=ChronicDisease.objects.get(code="M01600"),
            valid_from=dt.date(2026, 1, 1),
        ),
        acting_user=None,
    ).pk


def active_registration(p: Personas, in_scope: bool) -> int:
    """A registration still active (the matrix ends one per allowed role)."""
    if not in_scope:
        return registration(p, False)
    person = p.in_scope_person
    rows = ChronicRegistration.objects.filter(person=person, disease__code="M07800")
    active = rows.filter(status="active").first()
    if active is not None:
        return active.pk
    ends = [r.effective_period()[1] for r in rows]
    start = max(ends) + dt.timedelta(days=1) if ends else dt.date(2026, 1, 1)
    return services.register_chronic(
        services.RegistrationInput(
            person=person, disease=ChronicDisease.objects.get(code="M07800"), valid_from=start
        ),
        acting_user=None,
    ).pk


PAGES = {
    "catalogue:item_list": Route(EVERYONE),
    "catalogue:item_detail": Route(EVERYONE, item, regional=False),
    "catalogue:item_export_csv": Route(EXPORTERS),
    "catalogue:item_export_xlsx": Route(EXPORTERS),
    "catalogue:version_import": Route(REGISTRARS),
    "catalogue:chronic_list": Route(VIEWERS),
    "catalogue:chronic_register": Route(REGISTRARS),
    "catalogue:chronic_own": Route({"chen"}),
    "catalogue:chronic_detail": Route(VIEWERS, registration),
    "catalogue:chronic_end": Route(
        REGISTRARS,
        active_registration,
        method="post",
        data={"ended_on": "2027-06-30", "reason": "matrix"},
        ok=302,
        confirm=True,
    ),
}

CLASSIFY = {
    "on": "2026-03-02",
    "visit_type": "outpatient_general",
    "lines": [
        {"line_id": "1", "code": ITEM, "name": "", "quantity": "2", "price": 50, "amount": 100}
    ],
}

API = {
    ("GET", "/api/v1/catalogue/items"): Route(EVERYONE),
    ("GET", "/api/v1/catalogue/diseases"): Route(EVERYONE),
    ("GET", "/api/v1/catalogue/items/{code}"): Route(EVERYONE, item, regional=False),
    ("POST", "/api/v1/catalogue/classify"): Route(EVERYONE, data=CLASSIFY),
}

"""The workforce's routes in the authorization matrix.

In scope: zhou's own caregiver record at 康宁护理院 (Suzhou), which every caregiver viewer may
open (institution staff see their institution's, a caregiver their own); an assessor of the
Suzhou assessment centre; the demo draw. Out of scope: the same in Nanjing.
"""

from __future__ import annotations

import datetime as dt

from jingban.core.models import Organisation
from jingban.workforce.models import Assessor, AssessorClass, Caregiver, Draw
from jingban.workforce.synth import staff_id
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
CAREGIVER_VIEWERS = VIEWERS | {"kangning", "zhou"}
CAREGIVER_EDITORS = {"admin", "wang", "kangning"}
ASSESSOR_VIEWERS = VIEWERS | {"li"}
ASSESSOR_EDITORS = {"admin", "wang"}
DRAWERS = {"admin", "wang", "li"}
DRAW_VIEWERS = VIEWERS | {"li"}
EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}
REVEALERS = {"wang", "sun", "zhao"}


def _nanjing_org(kind: str) -> Organisation:
    org = Organisation.objects.filter(code=f"NJ-WF-{kind}").first()
    if org is None:
        region = Organisation.objects.get(code="NJ-HOSP-1").region
        org = Organisation.objects.create(
            code=f"NJ-WF-{kind}", name="南京示例", kind=kind, region=region
        )
    return org


def caregiver(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return Caregiver.objects.get(account=p.user("zhou")).pk
    org = _nanjing_org("care_institution")
    found, _ = Caregiver.objects.get_or_create(
        document_number=staff_id("320102", 7, base=dt.date(1980, 1, 1)),
        defaults={"name": "南京护理员", "phone": "13800000000", "employer": org},
    )
    return found.pk


def assessor(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return Assessor.objects.get(account=p.user("li")).pk
    org = _nanjing_org("assessment")
    found, _ = Assessor.objects.get_or_create(
        document_number=staff_id("320102", 8, base=dt.date(1980, 1, 1)),
        defaults={"name": "南京评估员", "klass": AssessorClass.ASSESSOR, "organisation": org},
    )
    return found.pk


def draw(p: Personas, in_scope: bool) -> int:
    if in_scope:
        return Draw.objects.order_by("pk").first().pk  # type: ignore[union-attr]
    first = Draw.objects.order_by("pk").first()
    assert first is not None
    found = Draw.objects.filter(region_path__startswith="320000/320100/").first()
    if found is None:
        found = Draw.objects.create(
            applicant=p.out_of_scope_person,
            drawn_on=first.drawn_on,
            region_path=p.out_of_scope_person.region.path,
            needed=first.needed,
            seed="x",
            pool=first.pool,
            pool_digest=first.pool_digest,
            result=first.result,
        )
    return found.pk


PAGES: dict[str, Route] = {
    "workforce:caregiver_list": Route(CAREGIVER_VIEWERS),
    "workforce:caregiver_create": Route(CAREGIVER_EDITORS),
    "workforce:caregiver_detail": Route(CAREGIVER_VIEWERS, caregiver),
    "workforce:caregiver_reveal": Route(
        REVEALERS, caregiver, method="post", data={"purpose": "identity_check"}
    ),
    "workforce:caregiver_edit": Route(CAREGIVER_EDITORS, caregiver),
    "workforce:caregiver_qualification": Route(CAREGIVER_EDITORS, caregiver),
    "workforce:assessor_list": Route(ASSESSOR_VIEWERS),
    "workforce:assessor_create": Route(ASSESSOR_EDITORS),
    "workforce:assessor_detail": Route(ASSESSOR_VIEWERS, assessor),
    "workforce:assessor_edit": Route(ASSESSOR_EDITORS, assessor),
    "workforce:assessor_qualification": Route(ASSESSOR_EDITORS, assessor),
    "workforce:assessor_affiliation": Route(ASSESSOR_EDITORS, assessor),
    "workforce:draw_list": Route(DRAW_VIEWERS),
    "workforce:draw_new": Route(DRAWERS),
    "workforce:draw_detail": Route(DRAW_VIEWERS, draw),
    "workforce:draw_replay": Route(DRAW_VIEWERS, draw, method="post"),
}
PAGES.update(
    {
        f"workforce:{name}_{fmt}": Route(allowed & EXPORTERS)
        for name, allowed in (
            ("caregiver_export", CAREGIVER_VIEWERS),
            ("assessor_export", ASSESSOR_VIEWERS),
        )
        for fmt in ("csv", "xlsx")
    }
)

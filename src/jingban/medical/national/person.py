"""1101 人员信息获取: the person as the hospital's system needs them before a visit — baseinfo
(document masked: the hospital holds the document it presented), insuinfo (one row per medical
enrollment of the current year) and idetinfo (special groups in force)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingban.core.actionlog import log_action
from jingban.core.models import User
from jingban.medical import services
from jingban.registry.documents import mask_document
from jingban.registry.models import Enrollment, EnrollmentStatus, GroupMembership, Person
from jingban.registry.services.probes import term_digest

# Scheme kinds → the interface's insutype.
INSUTYPE_OF_KIND = {
    "resident_medical": "390",
    "employee_medical": "310",
    "critical_illness": "392",
    "ltc": "410",
}
PSN_CERT_TYPE = {
    "resident_id": "01",
    "hkmt_residence": "06",
    "foreign_permanent": "07",
    "passport": "08",
}
INSU_STAS: dict[str, str] = {
    EnrollmentStatus.ACTIVE: "1",
    EnrollmentStatus.SUSPENDED: "2",
    EnrollmentStatus.ENDED: "4",
}


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def person_information(person: Person, user: User, *, today: dt.date) -> dict[str, Any]:
    baseinfo = {
        "psn_no": services.psn_no_of(person),
        "psn_cert_type": PSN_CERT_TYPE.get(person.document_type, "99"),
        "certno": mask_document(person.document_type, person.document_number),
        "psn_name": person.name,
        "gend": {"M": "1", "F": "2"}.get(person.sex, "9"),
        "naty": None,
        "brdy": person.birth_date,
        "age": _age(person.birth_date, today),
        "expt_flag": "1" if person.death_date is not None else "0",
    }
    enrollments = (
        Enrollment.objects.filter(person=person, year=today.year)
        .select_related("scheme")
        .order_by("scheme__code")
    )
    insuinfo = [
        {
            "insutype": INSUTYPE_OF_KIND[e.scheme.kind],
            "psn_type": "1",
            "psn_insu_stas": INSU_STAS.get(e.status, "1"),
            "psn_insu_date": e.since,
            "paus_insu_date": None,
            "cvlserv_flag": "0",
            "insuplc_admdvs": person.region.code[:6],
            "emp_name": None,
            "balc": 0,
        }
        for e in enrollments
        if e.scheme.kind in INSUTYPE_OF_KIND
    ]
    memberships = (
        GroupMembership.objects.filter(person=person, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .select_related("group")
        .order_by("group__code")
    )
    idetinfo = [
        {
            "psn_idet_type": m.group.code,
            "psn_type_lv": m.group.tier,
            "memo": m.group.name_zh,
            "begntime": m.valid_from,
            "endtime": m.valid_to,
        }
        for m in memberships
    ]
    return {"baseinfo": baseinfo, "insuinfo": insuinfo, "idetinfo": idetinfo}


def log_person_query(user: User, person: Person, cert_no: str) -> None:
    """A hospital read a person's information by their document number: logged like a lookup
    by number (the number masked, and its keyed digest so an auditor holding it can find the
    lookups), in the person's region."""
    log_action(
        acting_user=user,
        action="medical.national.person_queried",
        object_type="registry.person",
        object_id=person.pk,
        region_path=person.region.path,
        after={
            "term": mask_document(person.document_type, cert_no),
            "term_digest": term_digest(cert_no.strip().upper()),
            "institution": user.organisation.code if user.organisation else "",
        },
    )

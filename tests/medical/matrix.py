"""Medical settlement's routes in the authorization matrix. In scope: a settlement or visit of
苏州市示例第一人民医院 (Suzhou); out of scope: one of 南京市示例医院. 康宁护理院's staff hold the
settlement capabilities (institution staff) but see only their own institution: 404 on the
hospital's rows. POSTs that would need the other parts' contracts are sent bad input (400),
which still goes through authentication, capability and scope."""

from __future__ import annotations

import datetime as dt
import importlib.util
import secrets

from django.utils import timezone

from jingban.core.models import Organisation
from jingban.medical.models import Settlement, Visit
from tests.authz import Route
from tests.personas import Personas

BUREAU = {"admin", "wang", "sun", "zhao", "qian"}
# 第一人民医院's staff (renmin): the in-scope rows are their institution's, the out-of-scope
# ones another city's hospital (404). The co-insurer's staff (gongbao) hold no medical
# capability: 403 everywhere.
HOSPITAL = {"renmin"}
VIEWERS = BUREAU | {"kangning"} | HOSPITAL
SETTLERS = {"admin", "wang"} | HOSPITAL
HIDDEN = {"kangning": 404}


def _visit(p: Personas, in_scope: bool) -> Visit:
    code = "SZ-HOSP-1" if in_scope else "NJ-HOSP-1"
    org = Organisation.objects.select_related("region").get(code=code)
    person = p.in_scope_person if in_scope else p.out_of_scope_person
    number = secrets.token_hex(6)
    return Visit.objects.create(
        mdtrt_id=f"MX{number}",
        person=person,
        institution=org,
        scheme="resident_medical",
        insutype="390",
        med_type="11",
        visit_type="outpatient_general",
        begntime=timezone.now() - dt.timedelta(hours=1),
        ipt_otp_no=f"MX{number}",
        insuplc_admdvs=person.region.code[:6],
        mdtrtarea_admvs=org.region.code[:6],
        region_path=org.region.path,
    )


def visit(p: Personas, in_scope: bool) -> int:
    return _visit(p, in_scope).pk


def _settlement(p: Personas, in_scope: bool, person=None) -> Settlement:
    row = _visit(p, in_scope)
    if person is not None:
        Visit.objects.filter(pk=row.pk).update(person=person)
    amounts = dict.fromkeys(
        (
            "fulamt_ownpay_amt",
            "overlmt_selfpay",
            "preselfpay_amt",
            "act_pay_dedc",
            "hifmi_pay",
            "maf_pay",
            "oth_pay",
        ),
        0,
    )
    return Settlement.objects.create(
        setl_id=f"SX{secrets.token_hex(6)}",
        kind="settlement",
        status="settled",
        visit=row,
        person=person or row.person,
        institution=row.institution,
        setl_time=timezone.now(),
        year=timezone.localdate().year,
        insutype="390",
        med_type="11",
        visit_type="outpatient_general",
        cross_region="local",
        medfee_sumamt=10000,
        inscp_scp_amt=10000,
        hifp_pay=2500,
        pool_prop_selfpay="0.5",
        fund_pay_sumamt=2500,
        psn_part_amt=7500,
        psn_cash_pay=7500,
        clr_optins=row.insuplc_admdvs,
        region_path=row.region_path,
        **amounts,
    )


def settlement(p: Personas, in_scope: bool) -> int:
    return _settlement(p, in_scope).pk


def own_settlement(p: Personas, in_scope: bool) -> int:
    """chen's own settlement in scope; another person's outside."""
    if in_scope:
        return _settlement(p, True, person=p.own_person).pk
    return _settlement(p, True).pk


BAD_VISIT = {
    "fixmedins_code": "SZ-HOSP-1",
    "psn_no": "1",
    "insutype": "390",
    "med_type": "99",
    "ipt_otp_no": "MATRIX",
}
BAD_LINES = {
    "lines": [
        {"feedetl_sn": "1", "med_list_codg": "A", "cnt": "2", "pric": 100, "det_item_fee_sumamt": 1}
    ]
}

PAGES: dict[str, Route] = {
    "medical:settlement_list": Route(VIEWERS),
    "medical:settlement_detail": Route(BUREAU | HOSPITAL, settlement, denied_as=HIDDEN),
    # The settlement statement (结算单): a POST, since each download records a document.
    "medical:settlement_statement": Route(
        BUREAU | HOSPITAL, settlement, method="post", denied_as=HIDDEN
    ),
    "medical:reconciliation_list": Route(VIEWERS),
    "medical:own_settlements": Route({"chen"}),
    "medical:own_settlement_detail": Route({"chen"}, own_settlement),
    "medical:own_settlement_statement": Route({"chen"}, own_settlement, method="post"),
}

API: dict[tuple[str, str], Route] = {
    ("POST", "/api/v1/medical/visits"): Route(SETTLERS | {"kangning"}, data=BAD_VISIT, ok=400),
    ("GET", "/api/v1/medical/visits/{visit_id}"): Route(BUREAU | HOSPITAL, visit, denied_as=HIDDEN),
    ("POST", "/api/v1/medical/visits/{visit_id}/fee-lines"): Route(
        SETTLERS, visit, data=BAD_LINES, ok=400, denied_as=HIDDEN
    ),
    ("POST", "/api/v1/medical/visits/{visit_id}/discharge"): Route(
        SETTLERS, visit, ok=400, denied_as=HIDDEN
    ),
    ("POST", "/api/v1/medical/visits/{visit_id}/preview"): Route(
        SETTLERS, visit, ok=400, denied_as=HIDDEN
    ),
    ("POST", "/api/v1/medical/visits/{visit_id}/settle"): Route(
        SETTLERS, visit, ok=400, denied_as=HIDDEN
    ),
    ("POST", "/api/v1/medical/settlements/{settlement_id}/cancel"): Route(
        SETTLERS, settlement, ok=201, denied_as=HIDDEN
    ),
    ("GET", "/api/v1/medical/settlements"): Route(VIEWERS),
    ("GET", "/api/v1/medical/settlements/{settlement_id}"): Route(
        BUREAU | HOSPITAL, settlement, denied_as=HIDDEN
    ),
}

# The national interface's routes (tests/medical/national/matrix.py, the national part's), once
# that part is merged: the matrix reads only this module one level down.
if importlib.util.find_spec("tests.medical.national") is not None:
    from tests.medical.national import matrix as _national

    PAGES.update(getattr(_national, "PAGES", {}))
    API.update(getattr(_national, "API", {}))
    PUBLIC = set(getattr(_national, "PUBLIC", set()))
    API_PUBLIC = set(getattr(_national, "API_PUBLIC", set()))

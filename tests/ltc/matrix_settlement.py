"""The settlement part's routes in the authorization matrix: a Suzhou batch with a statement of
康宁护理院 (in scope, kangning's institution too) and a Nanjing batch (out of every scope but
admin's)."""

from __future__ import annotations

import datetime as dt

from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "kangning", "qian"}
EXPORTERS = VIEWERS - {"kangning"}
MONTH = dt.date(2025, 3, 1)


def batch(p: Personas, in_scope: bool) -> int:
    from jingban.core.models import Region
    from jingban.ltc.models import SettlementBatch, Statement, StatementLine
    from jingban.providers.models import Institution

    region = Region.objects.get(code="320500" if in_scope else "320100")
    found, made = SettlementBatch.objects.get_or_create(
        region=region,
        month=MONTH,
        pack_id="suzhou-ltc",
        pack_version=1,
        defaults={"region_path": region.path, "pack_hash": "0" * 64},
    )
    if made:
        prefix = "320500/" if in_scope else "320100/"
        person = next(x for x in p.world.persons if prefix in x.region.path)
        statement = Statement.objects.create(
            batch=found,
            person=person,
            region_path=person.region.path,
            billed_fen=3_000,
            fund_fen=3_000,
            self_pay_fen=0,
        )
        institution = (
            Institution.objects.filter(organisation__code="SZ-CARE-KN").first()
            if in_scope
            else None
        )
        StatementLine.objects.create(
            statement=statement,
            institution=institution,
            service_date=MONTH,
            care_form="institution",
            quantity=1,
            unit="days",
            billed_fen=3_000,
            fund_fen=3_000,
            self_pay_fen=0,
        )
        found.statement_count, found.billed_fen, found.fund_fen = 1, 3_000, 3_000
        found.save()
    return found.pk


def statement(p: Personas, in_scope: bool) -> int:
    from jingban.ltc.models import Statement

    return Statement.objects.filter(batch_id=batch(p, in_scope)).values_list("pk", flat=True)[0]


PAGES = {
    "ltc:settlement_list": Route(VIEWERS),
    "ltc:settlement_export_csv": Route(EXPORTERS),
    "ltc:settlement_export_xlsx": Route(EXPORTERS),
    "ltc:settlement_run": Route({"wang"}),
    "ltc:settlement_detail": Route(VIEWERS, batch),
    "ltc:settlement_statements_csv": Route(EXPORTERS, batch),
    "ltc:settlement_statements_xlsx": Route(EXPORTERS, batch),
    "ltc:settlement_statement": Route(VIEWERS, statement),
    # Claiming the computed batch (the one who may) moves it on, then redirects to it.
    "ltc:settlement_advance": Route(
        {"wang"}, batch, method="post", data={"stage": "claimed"}, ok=302
    ),
    # Sending back needs a reason: a blank one is a 400 for those who may.
    "ltc:settlement_return": Route(
        {"sun", "qian", "admin"}, batch, method="post", data={"back-reason": " "}, ok=400
    ),
    "ltc:settlement_rerun": Route({"wang"}, batch, method="post", ok=302),
    "ltc:settlement_correct": Route(
        {"wang"}, batch, method="post", data={"fix-reason": " "}, ok=400
    ),
}

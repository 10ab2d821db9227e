"""Reconciliation (3201) and the queries of 5203 and 5206."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_action
from jingban.core.models import Organisation, User
from jingban.engine.money import format_yuan
from jingban.medical.models import (
    PersonYearTotals,
    ReconcileResult,
    Reconciliation,
    Settlement,
    SettlementKind,
)
from jingban.medical.services.common import check_actor, get_person, invalid, refuse
from jingban.medical.services.results import setl_info
from jingban.medical.services.types import PersonYearOut, ReconcileIn, ReconcileOut, SetlInfo

RECONCILIATION_OBJECT = "medical.reconciliation"


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def totals_for(
    institution: Organisation,
    begin: dt.date,
    end: dt.date,
    *,
    insutype: str = "",
    clr_type: str = "",
    setl_optins: str = "",
) -> dict[str, int]:
    """jingban's totals of an institution's settlements in a day range (reversals negative, so
    a cancelled settlement nets to zero; the count is settlements less reversals)."""
    rows = Settlement.objects.filter(
        institution=institution,
        setl_time__gte=_day_start(begin),
        setl_time__lt=_day_start(end + dt.timedelta(days=1)),
    )
    if insutype:
        rows = rows.filter(insutype=insutype)
    if clr_type == "11":
        rows = rows.filter(visit__inpatient=False)
    elif clr_type == "21":
        rows = rows.filter(visit__inpatient=True)
    if setl_optins:
        rows = rows.filter(clr_optins=setl_optins)
    got = rows.aggregate(
        medfee=Coalesce(Sum("medfee_sumamt"), 0),
        fund=Coalesce(Sum("fund_pay_sumamt"), 0),
        acct=Coalesce(Sum("acct_pay"), 0),
        settled=Count("pk", filter=Q(kind=SettlementKind.SETTLEMENT)),
        reversed=Count("pk", filter=Q(kind=SettlementKind.REVERSAL)),
    )
    return {
        "medfee": got["medfee"],
        "fund": got["fund"],
        "acct": got["acct"],
        "count": got["settled"] - got["reversed"],
    }


def reconcile(
    actor: User, institution: Organisation, data: ReconcileIn, *, msgid: str = ""
) -> ReconcileOut:
    """3201 对总账: compare the hospital's totals with jingban's for its settlements whose
    ``setl_time`` falls in the day range (reversals count negative, so a cancelled settlement
    nets to zero; ``fixmedins_setl_cnt`` counts settlements net of reversals). Stores the result
    (a ``Reconciliation`` row, shown on the pages) and logs it; ``stmt_rslt`` "0" when all four
    figures match, "1" otherwise with the differences in ``stmt_rslt_dscr``."""
    check_actor(actor, institution)
    if data.stmt_enddate < data.stmt_begndate:
        raise invalid("stmt_enddate", _("The end of the period is before its start."))
    if (data.stmt_enddate - data.stmt_begndate).days > 366:
        raise invalid("stmt_enddate", _("A reconciliation covers at most a year."))
    for field in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "fixmedins_setl_cnt"):
        value = getattr(data, field)
        if not isinstance(value, int) or isinstance(value, bool):
            raise invalid(field, _("Must be a whole number."))
    ours = totals_for(
        institution,
        data.stmt_begndate,
        data.stmt_enddate,
        insutype=data.insutype,
        clr_type=data.clr_type,
        setl_optins=data.setl_optins,
    )
    differences = []
    pairs = (
        (_("total fees"), data.medfee_sumamt, ours["medfee"], True),
        (_("fund payments"), data.fund_pay_sumamt, ours["fund"], True),
        (_("personal account"), data.acct_pay, ours["acct"], True),
        (_("settlements"), data.fixmedins_setl_cnt, ours["count"], False),
    )
    for label, theirs, mine, money in pairs:
        if theirs != mine:
            show = format_yuan if money else str
            differences.append(
                _("%(what)s: yours %(theirs)s, ours %(ours)s")
                % {"what": label, "theirs": show(theirs), "ours": show(mine)}
            )
    result = ReconcileResult.UNBALANCED if differences else ReconcileResult.BALANCED
    description = "; ".join(differences) if differences else _("Balanced.")
    with transaction.atomic():
        row = Reconciliation.objects.create(
            institution=institution,
            insutype=data.insutype,
            clr_type=data.clr_type,
            setl_optins=data.setl_optins,
            begin=data.stmt_begndate,
            end=data.stmt_enddate,
            hospital_medfee=data.medfee_sumamt,
            hospital_fund=data.fund_pay_sumamt,
            hospital_acct=data.acct_pay,
            hospital_count=data.fixmedins_setl_cnt,
            our_medfee=ours["medfee"],
            our_fund=ours["fund"],
            our_acct=ours["acct"],
            our_count=ours["count"],
            result=result,
            description=description[:500],
            msgid=msgid,
            region_path=institution.region.path,
            created_by=actor,
        )
        log_action(
            acting_user=actor,
            action="medical.reconciliation.made",
            object_type=RECONCILIATION_OBJECT,
            object_id=row.pk,
            region_path=row.region_path,
            after={"result": result, "begin": str(row.begin), "end": str(row.end)},
        )
    return ReconcileOut(
        setl_optins=data.setl_optins,
        stmt_rslt=str(result),
        stmt_rslt_dscr=description,
        medfee_sumamt=ours["medfee"],
        fund_pay_sumamt=ours["fund"],
        acct_pay=ours["acct"],
        setl_cnt=ours["count"],
        reconciliation_id=row.pk,
    )


def settlement_query(
    actor: User, institution: Organisation, *, setl_id: str, mdtrt_id: str = "", psn_no: str = ""
) -> SetlInfo:
    """5203: one settlement of this institution. Another institution's answers
    ``medical.settlement_not_found`` exactly like a missing one."""
    check_actor(actor, institution)
    rows = Settlement.objects.select_related("person", "visit", "original").filter(
        institution=institution, setl_id=(setl_id or "").strip()
    )
    if mdtrt_id:
        rows = rows.filter(visit__mdtrt_id=mdtrt_id)
    row = rows.first()
    if row is None or (psn_no and get_person(psn_no).pk != row.person_id):
        raise refuse(
            "medical.settlement_not_found",
            "setl_id",
            _("No settlement of your institution has this number."),
        )
    return setl_info(row)


def person_year(actor: User, institution: Organisation, *, psn_no: str, year: int) -> PersonYearOut:
    """5206: the person's accumulators for ``year`` (zeros when nothing settled yet)."""
    check_actor(actor, institution)
    person = get_person(psn_no)
    if not 1990 <= year <= 2100:
        raise invalid("year", _("Not a year."))
    row = PersonYearTotals.objects.filter(person=person, year=year).first()
    counters = dict(row.counters) if row else {}
    cumulative = [
        *sorted(counters.items()),
        ("medfee", row.medfee if row else 0),
        ("fund_paid", row.fund_paid_amount if row else 0),
        ("settlements", row.settlements if row else 0),
    ]
    return PersonYearOut(
        psn_no=psn_no,
        year=year,
        cumulative=tuple(cumulative),
        fund_paid=bool(row and row.fund_paid),
        ci_paid=bool(row and row.ci_paid),
    )

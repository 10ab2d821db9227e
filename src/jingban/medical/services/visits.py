"""Visits (就诊 / 住院登记) and their fee details (费用明细)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_action
from jingban.core.models import Organisation, User
from jingban.engine.codes import VisitType
from jingban.medical import ports
from jingban.medical.codes import INSUTYPE_SCHEME, MED_TYPES, visit_type_of
from jingban.medical.models import FeeDetail, FeeStatus, Visit, VisitStatus
from jingban.medical.services.common import (
    aware,
    check_actor,
    get_person,
    get_visit,
    history,
    invalid,
    local_day,
    person_unknown,
    psn_no,
    refuse,
)
from jingban.medical.services.types import (
    DischargeIn,
    FeeLineIn,
    FeeLineOut,
    FeeLinesOut,
    VisitIn,
    VisitOut,
)
from jingban.providers.models import Institution
from jingban.providers.serving import may_serve_reasoned
from jingban.registry.models import DocumentType, Person

VISIT_OBJECT = "medical.visit"
_CATEGORY_LEVEL = {"A": "01", "B": "02", "C": "03", "none": "03"}


def psn_no_of(person: Person) -> str:
    """The person's 人员编号 as the interface shows it (the person's number, 10 digits)."""
    return psn_no(person.pk)


def person_by_psn_no(psn_no: str) -> Person:
    """The person of a 人员编号; ``DomainError`` ``medical.person_unknown`` (field ``psn_no``)."""
    return get_person(psn_no)


def find_person(mdtrt_cert_type: str, mdtrt_cert_no: str) -> Person:
    """1101: the person of a document (``mdtrt_cert_type`` 02 resident ID, 03 social security card
    number = the ID number); ``DomainError`` ``medical.person_unknown`` (field
    ``mdtrt_cert_no``)."""
    if mdtrt_cert_type not in ("02", "03"):
        raise invalid(
            "mdtrt_cert_type", _("Only an ID number (02) or a social security card (03) is read.")
        )
    number = (mdtrt_cert_no or "").strip().upper()
    person = (
        Person.objects.select_related("region")
        .filter(document_type=DocumentType.RESIDENT_ID, document_number=number)
        .first()
        if number
        else None
    )
    if person is None:
        raise person_unknown("mdtrt_cert_no")
    return person


def _visit_out(visit: Visit) -> VisitOut:
    return VisitOut(
        mdtrt_id=visit.mdtrt_id,
        psn_no=psn_no(visit.person_id),
        ipt_otp_no=visit.ipt_otp_no,
        med_type=visit.med_type,
        insutype=visit.insutype,
        begntime=visit.begntime,
        endtime=visit.endtime,
        status=visit.status,
    )


def _new_number(day_text: str) -> str:
    return f"{day_text}{secrets.randbelow(10**12):012d}"


def _admdvs(value: str, default: str, field: str) -> str:
    code = (value or "").strip() or default
    if len(code) != 6 or not code.isdigit():
        raise invalid(field, _("An area code has 6 digits."))
    return code


def check_may_serve(institution: Organisation, scheme: str, care_form: str, day: object) -> None:
    network = Institution.objects.filter(organisation=institution).values_list("pk", flat=True)
    answer = (
        may_serve_reasoned(network[0], scheme, care_form, day)  # type: ignore[arg-type]
        if network
        else None
    )
    if answer is None or not answer.allowed:
        reason = answer.reason if answer is not None else _("not in the provider network")
        raise refuse(
            "medical.may_not_serve",
            "fixmedins_code",
            _("The institution may not serve this scheme on that day: %(reason)s")
            % {"reason": reason},
        )


def register_visit(
    actor: User, institution: Organisation, data: VisitIn, *, msgid: str = ""
) -> VisitOut:
    """2201 / 2401: register an outpatient visit or an admission. Checks the person exists and is
    covered on the day (contract 3: not enrolled, waiting period, after death → DomainError),
    that the institution may serve the scheme that day, and for med_type 14 the chronic-disease
    registration of ``dise_codg``. The same ``ipt_otp_no`` open twice at one institution is
    refused (``medical.visit_duplicate``)."""
    check_actor(actor, institution)
    med_type = MED_TYPES.get(data.med_type)
    if med_type is None:
        raise invalid("med_type", _("This medical type is not settled here."))
    scheme = INSUTYPE_SCHEME.get(data.insutype)
    if scheme is None:
        raise invalid("insutype", _("This insurance type is not settled here."))
    if not (data.ipt_otp_no or "").strip():
        raise invalid("ipt_otp_no", _("The hospital's visit number is required."))
    person = get_person(data.psn_no)
    begntime = aware(data.begntime)
    day = local_day(begntime)
    if begntime > timezone.now() + dt.timedelta(days=1):
        raise invalid("begntime", _("The visit cannot begin in the future."))
    ports.coverage(person.pk, scheme, day, history=history(person.pk, day.year))
    check_may_serve(institution, scheme, med_type.care_form, day)
    dise = (data.dise_codg or "").strip()
    if med_type.chronic:
        if not dise:
            raise invalid("dise_codg", _("A chronic-disease visit names the disease."))
        ports.require_registration(person.pk, dise, day)
    insured = _admdvs(data.insuplc_admdvs, person.region.code[:6], "insuplc_admdvs")
    treated = _admdvs(data.mdtrtarea_admvs, institution.region.code[:6], "mdtrtarea_admvs")
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                mdtrt_id=_new_number(day.strftime("%Y%m%d")),
                person=person,
                institution=institution,
                scheme=scheme,
                insutype=data.insutype,
                med_type=med_type.code,
                visit_type=visit_type_of(med_type, dise).value,
                inpatient=med_type.inpatient,
                begntime=begntime,
                ipt_otp_no=data.ipt_otp_no.strip(),
                dise_codg=dise,
                dise_name=(data.dise_name or "")[:200],
                insuplc_admdvs=insured,
                mdtrtarea_admvs=treated,
                emergency=data.emergency or med_type.code == "13",
                msgid=msgid,
                region_path=institution.region.path,
                created_by=actor,
            )
            log_action(
                acting_user=actor,
                action="medical.visit.registered",
                object_type=VISIT_OBJECT,
                object_id=visit.mdtrt_id,
                region_path=visit.region_path,
                after={"med_type": visit.med_type, "institution": institution.code},
            )
    except IntegrityError as err:
        raise refuse(
            "medical.visit_duplicate",
            "ipt_otp_no",
            _("This visit number is already registered and not cancelled."),
        ) from err
    return _visit_out(visit)


def update_visit(
    actor: User,
    institution: Organisation,
    *,
    mdtrt_id: str,
    psn_no: str,
    med_type: str,
    dise_codg: str = "",
    dise_name: str = "",
    msgid: str = "",
) -> VisitOut:
    """2203: the visit's medical type and diagnosis after registration. Same checks as
    ``register_visit`` (med_type known, outpatient stays outpatient, the chronic registration
    of ``dise_codg`` for med_type 14); refused once settled or cancelled."""
    check_actor(actor, institution)
    kind = MED_TYPES.get(med_type)
    if kind is None:
        raise invalid("med_type", _("This medical type is not settled here."))
    dise = (dise_codg or "").strip()

    def change(visit: Visit) -> None:
        _unsettled(visit)
        if kind.inpatient != visit.inpatient:
            raise invalid("med_type", _("An outpatient visit cannot become an admission."))
        if kind.chronic:
            if not dise:
                raise invalid("dise_codg", _("A chronic-disease visit names the disease."))
            ports.require_registration(visit.person_id, dise, local_day(visit.begntime))
        visit.med_type = kind.code
        visit.visit_type = visit_type_of(kind, dise).value
        visit.dise_codg = dise[:30]
        visit.dise_name = (dise_name or "")[:200]
        visit.save(update_fields=["med_type", "visit_type", "dise_codg", "dise_name"])

    visit = _change_visit(actor, institution, mdtrt_id, psn_no, "medical.visit.updated", change)
    return _visit_out(visit)


def _change_visit(
    actor: User,
    institution: Organisation,
    mdtrt_id: str,
    person: str,
    action: str,
    change: object,
) -> Visit:
    with transaction.atomic():
        visit = get_visit(institution, mdtrt_id, person, lock=True)
        before = visit.status
        change(visit)  # type: ignore[operator]
        log_action(
            acting_user=actor,
            action=action,
            object_type=VISIT_OBJECT,
            object_id=visit.mdtrt_id,
            region_path=visit.region_path,
            before={"status": before},
            after={"status": visit.status},
        )
    return visit


def _unsettled(visit: Visit) -> None:
    if visit.status == VisitStatus.SETTLED:
        raise refuse("medical.already_settled", "mdtrt_id", _("The visit is settled."))
    if visit.status == VisitStatus.CANCELLED:
        raise refuse("medical.visit_cancelled", "mdtrt_id", _("The visit is cancelled."))


def cancel_visit(
    actor: User, institution: Organisation, *, mdtrt_id: str, psn_no: str, msgid: str = ""
) -> VisitOut:
    """2202 / 2404: cancel a visit not settled (its fee lines go with it)."""
    check_actor(actor, institution)

    def change(visit: Visit) -> None:
        _unsettled(visit)
        visit.fee_lines.filter(status=FeeStatus.ACTIVE).update(status=FeeStatus.CANCELLED)
        visit.status = VisitStatus.CANCELLED
        visit.save(update_fields=["status"])

    visit = _change_visit(actor, institution, mdtrt_id, psn_no, "medical.visit.cancelled", change)
    return _visit_out(visit)


def discharge(
    actor: User, institution: Organisation, data: DischargeIn, *, msgid: str = ""
) -> VisitOut:
    """2402: record the discharge of an open admission (``endtime`` not before ``begntime``)."""
    check_actor(actor, institution)
    endtime = aware(data.endtime)

    def change(visit: Visit) -> None:
        if not visit.inpatient:
            raise refuse("medical.not_inpatient", "mdtrt_id", _("The visit is not an admission."))
        if visit.status != VisitStatus.OPEN:
            raise refuse("medical.not_open", "mdtrt_id", _("The admission is not open."))
        if endtime < visit.begntime:
            raise invalid("endtime", _("The discharge is before the admission."))
        if endtime > timezone.now() + dt.timedelta(days=1):
            raise invalid("endtime", _("The discharge cannot be in the future."))
        visit.endtime = endtime
        if data.dise_codg:
            visit.dise_codg = data.dise_codg.strip()[:30]
            visit.dise_name = (data.dise_name or "")[:200]
        visit.status = VisitStatus.DISCHARGED
        visit.save(update_fields=["endtime", "dise_codg", "dise_name", "status"])

    visit = _change_visit(
        actor, institution, data.mdtrt_id, data.psn_no, "medical.visit.discharged", change
    )
    return _visit_out(visit)


def cancel_discharge(
    actor: User, institution: Organisation, *, mdtrt_id: str, psn_no: str, msgid: str = ""
) -> VisitOut:
    """2405: undo a discharge not yet settled."""
    check_actor(actor, institution)

    def change(visit: Visit) -> None:
        if visit.status != VisitStatus.DISCHARGED:
            raise refuse(
                "medical.not_discharged", "mdtrt_id", _("The admission is not discharged.")
            )
        visit.endtime = None
        visit.status = VisitStatus.OPEN
        visit.save(update_fields=["endtime", "status"])

    visit = _change_visit(
        actor, institution, mdtrt_id, psn_no, "medical.visit.discharge_cancelled", change
    )
    return _visit_out(visit)


def _line_problem(line: FeeLineIn, field: str, message: str) -> Exception:
    text = _("Fee line %(sn)s: %(problem)s") % {"sn": line.feedetl_sn or "?", "problem": message}
    return invalid(field, text)


def check_line(line: FeeLineIn) -> None:
    """A line's own figures: a line number and a code, no negative figure, quantity × price equal
    to the line's amount to the fen (half up)."""
    if not (line.feedetl_sn or "").strip():
        raise _line_problem(line, "feedetl_sn", _("the line number is required"))
    if not (line.med_list_codg or "").strip():
        raise _line_problem(line, "med_list_codg", _("the catalogue code is required"))
    for field, value in (("pric", line.pric), ("det_item_fee_sumamt", line.det_item_fee_sumamt)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise _line_problem(line, field, _("must be an amount of at least 0"))
    try:
        cnt = Decimal(line.cnt)
        if not cnt.is_finite() or cnt < 0:
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise _line_problem(line, "cnt", _("must be a quantity of at least 0")) from None
    product = (cnt * line.pric).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if product != line.det_item_fee_sumamt:
        raise _line_problem(
            line, "det_item_fee_sumamt", _("quantity × price is not the line's amount")
        )


def record_fee_lines(
    actor: User,
    institution: Organisation,
    *,
    mdtrt_id: str,
    psn_no: str,
    lines: Sequence[FeeLineIn],
    msgid: str = "",
) -> FeeLinesOut:
    """2204 / 2301: store fee lines of an open visit and classify them through the catalogue
    (contract 4). All or nothing: a bad line (negative, ``cnt × pric`` not the line's amount, a
    ``feedetl_sn`` already stored) raises naming its ``feedetl_sn`` and stores none."""
    check_actor(actor, institution)
    if not lines:
        raise invalid("feedetail", _("At least one fee line is required."))
    seen: set[str] = set()
    for line in lines:
        check_line(line)
        if line.feedetl_sn in seen:
            raise _line_problem(line, "feedetl_sn", _("the line number is given twice"))
        seen.add(line.feedetl_sn)
    with transaction.atomic():
        visit = get_visit(institution, mdtrt_id, psn_no, lock=True)
        _unsettled(visit)
        taken = set(
            visit.fee_lines.exclude(status=FeeStatus.CANCELLED)
            .filter(feedetl_sn__in=seen)
            .values_list("feedetl_sn", flat=True)
        )
        for line in lines:
            if line.feedetl_sn in taken:
                raise _line_problem(line, "feedetl_sn", _("the line number is already recorded"))
        classification = ports.classify(
            [
                ports.fee_line(
                    ln.feedetl_sn,
                    ln.med_list_codg,
                    ln.name,
                    ln.cnt,
                    ln.pric,
                    ln.det_item_fee_sumamt,
                )
                for ln in lines
            ],
            on=local_day(visit.begntime),
            visit_type=VisitType(visit.visit_type),
        )
        by_id = {c.line_id: c for c in classification.lines}
        rows = []
        for ln in lines:
            c = by_id[ln.feedetl_sn]
            rows.append(
                FeeDetail(
                    visit=visit,
                    feedetl_sn=ln.feedetl_sn,
                    med_list_codg=ln.med_list_codg,
                    medins_list_codg=ln.medins_list_codg or "",
                    name=(ln.name or c.name or "")[:200],
                    cnt=ln.cnt,
                    pric=ln.pric,
                    amount=ln.det_item_fee_sumamt,
                    fee_ocur_time=aware(ln.fee_ocur_time),
                    chrg_bchno=ln.chrg_bchno or "",
                    category=c.category,
                    fulamt_ownpay=c.fulamt_ownpay,
                    overlmt=c.overlmt,
                    preselfpay=c.preselfpay,
                    inscp=c.inscp,
                    warning=(c.warning or "")[:300],
                    msgid=msgid,
                )
            )
        FeeDetail.objects.bulk_create(rows)
        log_action(
            acting_user=actor,
            action="medical.fee_lines.recorded",
            object_type=VISIT_OBJECT,
            object_id=visit.mdtrt_id,
            region_path=visit.region_path,
            after={"lines": len(rows), "amount": sum(r.amount for r in rows)},
        )
    return FeeLinesOut(mdtrt_id=visit.mdtrt_id, lines=tuple(line_out(r) for r in rows))


def line_out(row: FeeDetail) -> FeeLineOut:
    amount = row.amount
    if row.category == "B" and row.inscp + row.preselfpay:
        share = Decimal(row.preselfpay) / Decimal(row.inscp + row.preselfpay)
        prop = share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    elif row.category == "A":
        prop = Decimal(0)
    else:
        prop = Decimal(1) if amount and row.fulamt_ownpay == amount else Decimal(0)
    return FeeLineOut(
        feedetl_sn=row.feedetl_sn,
        det_item_fee_sumamt=amount,
        cnt=Decimal(row.cnt),
        pric=row.pric,
        pric_uplmt_amt=None,
        selfpay_prop=prop,
        fulamt_ownpay_amt=row.fulamt_ownpay,
        overlmt_amt=row.overlmt,
        preselfpay_amt=row.preselfpay,
        inscp_scp_amt=row.inscp,
        chrgitm_lv=_CATEGORY_LEVEL.get(row.category, "03"),
        med_chrgitm_type="",
        lmt_used_flag="1" if row.overlmt else "0",
        memo=row.warning,
    )


def cancel_fee_lines(
    actor: User,
    institution: Organisation,
    *,
    mdtrt_id: str,
    psn_no: str,
    feedetl_sn: str = "",
    chrg_bchno: str = "",
    msgid: str = "",
) -> int:
    """2205 / 2302: cancel unsettled fee lines: the one ``feedetl_sn``, or a batch
    ``chrg_bchno``, or (both empty) all of the visit's. Returns how many were cancelled."""
    check_actor(actor, institution)
    with transaction.atomic():
        visit = get_visit(institution, mdtrt_id, psn_no, lock=True)
        _unsettled(visit)
        rows = visit.fee_lines.filter(status=FeeStatus.ACTIVE)
        if feedetl_sn:
            rows = rows.filter(feedetl_sn=feedetl_sn)
        elif chrg_bchno:
            rows = rows.filter(chrg_bchno=chrg_bchno)
        count = rows.update(status=FeeStatus.CANCELLED)
        if feedetl_sn and not count:
            raise refuse(
                "medical.fee_line_not_found", "feedetl_sn", _("No recorded line has this number.")
            )
        log_action(
            acting_user=actor,
            action="medical.fee_lines.cancelled",
            object_type=VISIT_OBJECT,
            object_id=visit.mdtrt_id,
            region_path=visit.region_path,
            after={"lines": count},
        )
    return count


def cancel_fee_lines_by_message(
    actor: User, institution: Organisation, omsgid: str, msgid: str
) -> str | None:
    """2601 of a 2204/2301: cancel the still unsettled lines the message ``omsgid`` recorded;
    the visit's number, or None when no line came with that message."""
    first = (
        FeeDetail.objects.filter(visit__institution=institution, msgid=omsgid)
        .select_related("visit")
        .first()
    )
    if first is None:
        return None
    with transaction.atomic():
        visit = get_visit(
            institution, first.visit.mdtrt_id, psn_no(first.visit.person_id), lock=True
        )
        _unsettled(visit)
        rows = visit.fee_lines.filter(status=FeeStatus.ACTIVE, msgid=omsgid)
        count = rows.update(status=FeeStatus.CANCELLED)
        log_action(
            acting_user=actor,
            action="medical.fee_lines.cancelled",
            object_type=VISIT_OBJECT,
            object_id=visit.mdtrt_id,
            region_path=visit.region_path,
            after={"lines": count, "reversal_of": omsgid, "msgid": msgid},
        )
    return visit.mdtrt_id

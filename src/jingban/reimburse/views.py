"""The reimbursement pages: the staff queue (sorted by deadline, with working days left) and an
application with its review actions; the insured person's own applications and the hand-in of
materials asked for. Account numbers are shown masked, names as the registry shows them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core.calendar import today as local_today
from jingban.core.calendar import working_days_between
from jingban.core.errors import DomainError
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry.documents import mask_document
from jingban.reimburse import queries, services
from jingban.reimburse.models import Reimbursement, Status
from jingban.reimburse.rules import pack_of, reimbursement_pack, rules_of


def _decorate(item: Reimbursement) -> Reimbursement:
    item.masked_account = services.mask_account(item.account_number)  # type: ignore[attr-defined]
    item.masked_document = mask_document(  # type: ignore[attr-defined]
        item.person.document_type, item.person.document_number
    )
    if item.deadline is not None:
        item.left = working_days_between(local_today(), item.deadline)  # type: ignore[attr-defined]
    else:
        item.left = item.days_left  # type: ignore[attr-defined]
    return item


def _materials(item: Reimbursement) -> list[tuple[str, str]]:
    pack = pack_of(item.person.region.code, item.received_on, item.pack)
    rules = rules_of(pack) if pack is not None else None
    return [(k, services.material_label(k, rules)) for k in (rules.materials if rules else {})]


def _context(item: Reimbursement) -> dict[str, object]:
    pack = pack_of(item.person.region.code, item.received_on, item.pack)
    rules = rules_of(pack) if pack is not None else None
    return {
        "item": _decorate(item),
        "invoices": list(item.invoices.all()),
        "lines": list(item.lines.all()),
        "materials": [(services.material_label(m.kind, rules), m) for m in item.materials.all()],
        "requested": [services.material_label(k, rules) for k in item.requested_items],
        "requested_keys": [(k, services.material_label(k, rules)) for k in item.requested_items],
        "all_materials": _materials(item),
        "explanation": list(item.settlement.lines.all()) if item.settlement else [],
    }


@requires(services.VIEW)
def staff_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = queries.reimbursements_for(request.user)
    if status in Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    person = request.GET.get("person", "")
    if person.isdigit() and len(person) < 19:
        qs = qs.filter(person_id=int(person))
    else:
        person = ""
    qs = qs.order_by("deadline", "received_on", "pk")
    page = page_of(request, qs)
    for item in page:
        _decorate(item)
    return render(
        request,
        "reimburse/list.html",
        {
            "page_obj": page,
            "statuses": Status.choices,
            "status": status,
            "query": f"status={status}" if status else "",
        },
    )


@requires(services.VIEW)
def staff_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = queries.reimbursement_for(request.user, pk)
    return render(request, "reimburse/detail.html", {**_context(item), "staff": True})


def _act(request: AuthedRequest, pk: int, action: object, done: str) -> HttpResponse:
    item = queries.reimbursement_for(request.user, pk)
    try:
        action(item)  # type: ignore[operator]
    except DomainError as err:
        for problems in (err.fields or {}).values():
            for message in problems:
                messages.error(request, str(message))
        if not err.fields:
            messages.error(request, str(err))
        return redirect("reimburse:detail", pk=pk)
    messages.success(request, done)
    return redirect("reimburse:detail", pk=pk)


@require_POST
@requires(services.REVIEW)
def request_more(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda item: services.request_more(
            item,
            request.POST.get("reason", ""),
            request.POST.getlist("items"),
            acting_user=request.user,
        ),
        _("More materials were asked for; the clock is stopped."),
    )


@require_POST
@requires(services.REVIEW)
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda item: services.approve(item, acting_user=request.user),
        _("The reimbursement is approved and settled."),
    )


@require_POST
@requires(services.REVIEW)
def reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda item: services.reject(
            item, request.POST.get("reason", ""), acting_user=request.user
        ),
        _("The reimbursement is rejected."),
    )


@require_POST
@requires(services.PAY)
def pay(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda item: services.pay(
            item, request.POST.get("reference", ""), acting_user=request.user
        ),
        _("The payment is recorded."),
    )


@requires(services.OWN)
def my_list(request: AuthedRequest) -> HttpResponse:
    rows = [_decorate(i) for i in queries.reimbursements_for(request.user)[:200]]
    return render(request, "reimburse/my_list.html", {"rows": rows})


@requires(services.OWN)
def my_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = queries.reimbursement_for(request.user, pk)
    return render(request, "reimburse/detail.html", {**_context(item), "staff": False})


@require_POST
@requires(services.OWN)
def resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = queries.reimbursement_for(request.user, pk)
    uploads = [
        (key, upload)
        for key in item.requested_items
        for upload in request.FILES.getlist(f"material_{key}")
    ]
    try:
        services.resubmit(item, uploads, acting_user=request.user)
    except DomainError as err:
        for problems in (err.fields or {}).values():
            for message in problems:
                messages.error(request, str(message))
        if not err.fields:
            messages.error(request, str(err))
        return redirect("reimburse:my_detail", pk=pk)
    messages.success(request, _("The materials are handed in; the review goes on."))
    return redirect("reimburse:my_detail", pk=pk)


def _decision(request: AuthedRequest, item: Reimbursement) -> HttpResponse:
    from jingban.core.actionlog import log_action
    from jingban.core.errors import NotFound

    if item.document is None:
        raise NotFound()
    content = services.render_decision(
        item, verify_url=request.build_absolute_uri(reverse("documents:verify"))
    )
    log_action(
        acting_user=request.user,
        action="reimburse.reimbursement.decision_downloaded",
        object_type=services.OBJECT,
        object_id=item.pk,
        region_path=item.region_path,
        after={"document": item.document.number},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{item.document.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@requires(services.VIEW)
def decision(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decision(request, queries.reimbursement_for(request.user, pk))


@requires(services.OWN)
def my_decision(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decision(request, queries.reimbursement_for(request.user, pk))


LINE_ROWS = 5


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _fen(text: str) -> int | None:
    from jingban.engine.money import parse_yuan

    try:
        return parse_yuan(text.strip())
    except (ValueError, ArithmeticError, TypeError):
        return None


@require_http_methods(["GET", "POST"])
@requires(services.OWN)
def my_new(request: AuthedRequest) -> HttpResponse:
    """The online application: for oneself or a principal; one invoice, up to five bill lines
    (amounts in yuan), the account, and a file per material of the checklist."""
    from jingban.core.models import Organisation
    from jingban.engine.policy.families.reimbursement import Case, ReimbursementVisit
    from jingban.engine.policy.families.reimbursement import Cause as PackCause
    from jingban.reimburse.models import Cause, VisitKind

    principals = queries.principals(request.user)
    hospitals = Organisation.objects.filter(kind="hospital").order_by("code")[:200]
    post = request.POST
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        chosen = next((p for p in principals if str(p.pk) == post.get("person", "")), None)
        if chosen is None:
            errors["person"] = [_("Choose the person.")]
        else:
            lines = []
            for row in range(1, LINE_ROWS + 1):
                code = post.get(f"line{row}_code", "").strip()
                if not code:
                    continue
                lines.append(
                    services.LineInput(
                        code,
                        post.get(f"line{row}_name", ""),
                        post.get(f"line{row}_quantity", "0") or "0",
                        _fen(post.get(f"line{row}_price", "")) or 0,
                        _fen(post.get(f"line{row}_amount", "")) or 0,
                    )
                )
            amount = _fen(post.get("invoice_amount", ""))
            data = services.ApplicationInput(
                person=chosen,
                institution=Organisation.objects.select_related("region")
                .filter(pk=int(post["hospital"]) if post.get("hospital", "").isdigit() else 0)
                .first(),
                visit_kind=post.get("visit_kind", ""),
                cause=post.get("cause", ""),
                admitted_on=_date(post.get("admitted_on", "")),
                discharged_on=_date(post.get("discharged_on", "")),
                diagnosis_code=post.get("diagnosis_code", ""),
                referral=bool(post.get("referral")),
                bank_name=post.get("bank_name", ""),
                account_holder=post.get("account_holder", ""),
                account_number=post.get("account_number", ""),
                invoices=[
                    services.InvoiceInput(
                        post.get("invoice_code", ""),
                        post.get("invoice_number", ""),
                        amount if amount is not None else 0,
                        _date(post.get("invoice_date", "")),
                        post.get("invoice_check_code", ""),
                    )
                ],
                lines=lines,
                materials=[
                    (key[len("material_") :], upload)
                    for key in request.FILES
                    for upload in request.FILES.getlist(key)
                    if key.startswith("material_")
                ],
            )
            try:
                item = services.apply(data, acting_user=request.user)
            except DomainError as err:
                errors = {k: [str(m) for m in v] for k, v in (err.fields or {}).items()}
                if not errors:
                    errors["__all__"] = [str(err)]
            else:
                messages.success(request, _("The application is received."))
                return redirect("reimburse:my_detail", pk=item.pk)
    region = principals[0].region.code if principals else "320500"
    pack = reimbursement_pack(region, local_today())
    rules = rules_of(pack) if pack is not None else None
    case = Case(
        visit=ReimbursementVisit(post.get("visit_kind") or "outpatient")
        if (post.get("visit_kind") or "outpatient") in VisitKind.values
        else ReimbursementVisit.OUTPATIENT,
        cause=PackCause(post.get("cause") or "illness")
        if (post.get("cause") or "illness") in Cause.values
        else PackCause.ILLNESS,
        cross_region=False,
        referral=bool(post.get("referral")),
    )
    checklist = [
        (key, services.material_label(key, rules), r.required, r.applies(case))
        for key, r in (rules.materials.items() if rules else [])
    ]
    return render(
        request,
        "reimburse/my_new.html",
        {
            "principals": principals,
            "hospitals": hospitals,
            "visit_kinds": VisitKind.choices,
            "causes": Cause.choices,
            "checklist": checklist,
            "rows": range(1, LINE_ROWS + 1),
            "errors": errors,
            "post": post,
        },
        status=400 if errors else 200,
    )

"""The enrollment pages: staff find a person and enroll, suspend, end or renew, record a window
payment, import enrollment and payment files; the insured person and their agent read the
payment history (缴费记录查询)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jingban.core.calendar import today
from jingban.core.errors import DomainError
from jingban.core.pagination import page_of
from jingban.core.roles import Cap
from jingban.core.scope import scheme_codes
from jingban.core.views.access import AuthedRequest, requires
from jingban.enrollment import bulk, caps, payments, queries, services
from jingban.enrollment.forms import (
    ChangeForm,
    EnrollForm,
    PaymentForm,
    PaymentUploadForm,
    PersonSearchForm,
    RenewForm,
    UploadForm,
)
from jingban.enrollment.models import Reconciliation
from jingban.enrollment.payments import STATUS_LABELS
from jingban.enrollment.tables import ImportRefused
from jingban.registry import queries as registry_queries
from jingban.registry.display import shown
from jingban.registry.models import Person
from jingban.registry.services import search_persons


@requires(caps.VIEW)
def overview(request: AuthedRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        try:
            found = list(search_persons(request.user, form.cleaned_data["q"])[:20])
        except DomainError as error:
            form.add_error("q", str(error.message))
    return render(
        request,
        "enrollment/overview.html",
        {
            "form": form,
            "found": [(p, shown(p)) for p in found] if found is not None else None,
            "imports": queries.imports_for(request.user)[:10],
        },
    )


def _person_page(
    request: AuthedRequest,
    person: Person,
    *,
    enroll_form: EnrollForm | None = None,
    payment_form: PaymentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    codes = scheme_codes(request.user)
    enrollments = queries.person_enrollments(person)
    paid = queries.person_payments(person)
    if codes is not None:
        enrollments = enrollments.filter(scheme__code__in=codes)
        paid = paid.filter(scheme__code__in=codes)
    year = today().year
    return render(
        request,
        "enrollment/person.html",
        {
            "person": person,
            "shown": shown(person),
            "enrollments": enrollments,
            "payments": paid,
            "enroll_form": enroll_form
            or EnrollForm(
                initial={"year": year, "effective": today(), "tier": "tier_1"}, prefix="enroll"
            ),
            "payment_form": payment_form or PaymentForm(initial={"year": year}, prefix="pay"),
            "perms_edit": request.user.can(caps.EDIT),
        },
        status=status,
    )


@requires(caps.VIEW)
def person(request: AuthedRequest, person_id: int) -> HttpResponse:
    return _person_page(request, registry_queries.person_for(request.user, person_id))


@requires(caps.EDIT)
@require_http_methods(["POST"])
def enroll(request: AuthedRequest, person_id: int) -> HttpResponse:
    found = registry_queries.person_for(request.user, person_id)
    form = EnrollForm(request.POST, prefix="enroll")
    if form.is_valid():
        d = form.cleaned_data
        try:
            done = services.enroll(
                found,
                services.EnrollInput(
                    scheme_code=d["scheme"],
                    year=d["year"],
                    effective=d["effective"],
                    tier=d["tier"] or "",
                    enrolled_on=d["enrolled_on"],
                    reason=d["reason"],
                ),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            if done.benefits_from:
                messages.success(
                    request,
                    _("Enrolled. Waiting period: benefits start on %(day)s.")
                    % {"day": done.benefits_from.isoformat()},
                )
            else:
                messages.success(request, _("Enrolled, without a waiting period."))
            return redirect("enrollment:person", person_id=found.pk)
    return _person_page(request, found, enroll_form=form, status=400)


@requires(caps.PAYMENT_RECORD)
@require_http_methods(["POST"])
def pay(request: AuthedRequest, person_id: int) -> HttpResponse:
    found = registry_queries.person_for(request.user, person_id)
    form = PaymentForm(request.POST, prefix="pay")
    if form.is_valid():
        d = form.cleaned_data
        amount: Decimal = d["amount"]
        try:
            payment = payments.record_window_payment(
                found,
                scheme_code=d["scheme"],
                year=d["year"],
                amount=int(amount * 100),
                voucher=d["voucher"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request,
                _("Payment recorded, receipt number %(voucher)s.") % {"voucher": payment.voucher},
            )
            return redirect("enrollment:person", person_id=found.pk)
    return _person_page(request, found, payment_form=form, status=400)


def _change(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    enrollment = queries.enrollment_for(request.user, pk)
    form: ChangeForm | RenewForm = (
        RenewForm(request.POST or None) if action == "renew" else ChangeForm(request.POST or None)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "renew":
                services.renew(enrollment, reason=d["reason"], acting_user=request.user)
            elif action == "suspend":
                services.suspend(
                    enrollment,
                    effective=d["effective"],
                    reason=d["reason"],
                    acting_user=request.user,
                )
            else:
                services.end(
                    enrollment,
                    effective=d["effective"],
                    reason=d["reason"],
                    acting_user=request.user,
                )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Done."))
            return redirect("enrollment:person", person_id=enrollment.person_id)
    titles = {
        "suspend": _("Suspend the enrollment"),
        "end": _("End the enrollment"),
        "renew": _("Renew for the following year"),
    }
    return render(
        request,
        "enrollment/change.html",
        {"enrollment": enrollment, "form": form, "action": action, "title": titles[action]},
        status=400 if request.method == "POST" else 200,
    )


@requires(caps.EDIT)
@require_http_methods(["GET", "POST"])
def suspend(request: AuthedRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "suspend")


@requires(caps.EDIT)
@require_http_methods(["GET", "POST"])
def end(request: AuthedRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "end")


@requires(caps.EDIT)
@require_http_methods(["GET", "POST"])
def renew(request: AuthedRequest, pk: int) -> HttpResponse:
    return _change(request, pk, "renew")


def _problems(error: DomainError) -> list[str]:
    if isinstance(error, ImportRefused):
        return [str(p) for p in error.problems]
    return [str(m) for ms in error.fields.values() for m in ms] or [str(error.message)]


@requires(caps.EDIT)
@require_http_methods(["GET", "POST"])
def import_enrollments(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = bulk.import_enrollments(upload.read(), upload.name, acting_user=request.user)
        except DomainError as error:
            problems = _problems(error)
        else:
            messages.success(request, _("%(n)d enrollments recorded.") % {"n": count})
            return redirect("enrollment:overview")
    return render(
        request,
        "enrollment/import_enrollments.html",
        {"form": form, "problems": problems, "columns": bulk.ENROLLMENT_COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


@requires(caps.PAYMENT_IMPORT)
@require_http_methods(["GET", "POST"])
def import_payments(request: AuthedRequest) -> HttpResponse:
    form = PaymentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = payments.import_payments(
                upload.read(),
                upload.name,
                channel=form.cleaned_data["channel"],
                acting_user=request.user,
            )
        except DomainError as error:
            problems = _problems(error)
        else:
            return redirect("enrollment:import_detail", pk=batch.pk)
    return render(
        request,
        "enrollment/import_payments.html",
        {
            "form": form,
            "problems": problems,
            "columns": payments.PAYMENT_COLUMNS,
            "imports": page_of(request, queries.imports_for(request.user)),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(caps.VIEW)
def differences(request: AuthedRequest) -> HttpResponse:
    """对账差异: payments in scope whose amount is not what the person owed, newest first."""
    found = queries.payments_for(request.user).filter(reconciliation=Reconciliation.AMOUNT_DIFFERS)
    return render(request, "enrollment/differences.html", {"page_obj": page_of(request, found)})


@requires(caps.PAYMENT_IMPORT)
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = queries.import_for(request.user, pk)
    rows = [{**row, "label": STATUS_LABELS.get(str(row["status"]), "")} for row in batch.report]
    return render(request, "enrollment/import_detail.html", {"batch": batch, "rows": rows})


def _history(request: AuthedRequest, person: Person, *, own: bool) -> HttpResponse:
    principals = registry_queries.principals_of(request.user) if own else []
    return render(
        request,
        "enrollment/history.html",
        {
            "person": person,
            "own": own,
            "enrollments": queries.person_enrollments(person),
            "payments": queries.person_payments(person),
            "principals": principals,
        },
    )


@requires(Cap.OWN_RECORD_VIEW)
def mine(request: AuthedRequest) -> HttpResponse:
    own = registry_queries.own_person(request.user)
    if own is None:
        return render(request, "enrollment/history.html", {"person": None, "own": True})
    return _history(request, own, own=True)


@requires(Cap.AGENT_ACT)
def acting(request: AuthedRequest, person_id: int) -> HttpResponse:
    return _history(request, services.agent_views_payments(request.user, person_id), own=False)

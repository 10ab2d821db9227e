"""The accident insurance pages: staff lists of claims and covers, a group's list import, one
person's enrollment, a claim reported at a window with its review (pay or refuse); the insured
person's covers and claims and the online claim form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.accident import queries, services
from jingban.accident.forms import (
    EnrollForm,
    ImportForm,
    OnlineClaimForm,
    PayForm,
    RefuseForm,
    WindowClaimForm,
)
from jingban.accident.models import Claim, ClaimStatus
from jingban.core.errors import DomainError, NotFound
from jingban.core.models import Region, RegionLevel
from jingban.core.pagination import page_of
from jingban.core.scope import region_path_filter
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry.documents import mask_document
from jingban.registry.models import Person


def _masked(person: Person) -> str:
    return mask_document(person.document_type, person.document_number)


def _person_filter(request: AuthedRequest) -> str:
    person = request.GET.get("person", "")
    return person if person.isdigit() and len(person) < 19 else ""


def _claim_data(data: dict[str, object], person: Person) -> services.ClaimData:
    grade = data.get("disability_grade")
    return services.ClaimData(
        person=person,
        accident_date=data.get("accident_date"),  # type: ignore[arg-type]
        description=str(data.get("description") or ""),
        medical_expenses=int(data.get("medical_expenses") or 0),  # type: ignore[call-overload]
        hospital_days=int(data.get("hospital_days") or 0),  # type: ignore[call-overload]
        outcome=str(data.get("outcome") or ""),
        disability_grade=int(grade) if grade else None,  # type: ignore[call-overload]
        materials=list(data.get("materials") or []),  # type: ignore[call-overload]
    )


# --- Staff ------------------------------------------------------------------------------------


@requires(services.VIEW)
def claim_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = queries.claims_for(request.user)
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    person = _person_filter(request)
    if person:
        qs = qs.filter(person_id=int(person))
    page = page_of(request, qs)
    for claim in page:
        claim.masked_document = _masked(claim.person)
    query = "&".join(f"{k}={v}" for k, v in (("status", status), ("person", person)) if v)
    return render(
        request,
        "accident/claim_list.html",
        {
            "page_obj": page,
            "query": query,
            "status": status,
            "person": person,
            "statuses": ClaimStatus.choices,
        },
    )


def _detail_context(request: AuthedRequest, claim: Claim) -> dict[str, object]:
    can_decide = request.user.can(services.DECIDE) and claim.status == ClaimStatus.REPORTED
    preview = None
    if can_decide:
        try:
            preview = services.assess(claim)
        except DomainError:
            preview = None
    return {
        "claim": claim,
        "masked_document": _masked(claim.person),
        "materials": claim.materials.select_related("file"),
        "refuse_form": RefuseForm(prefix="refuse"),
        "pay_form": PayForm(prefix="pay"),
        "can_decide": can_decide,
        "preview": preview.as_json() if preview is not None else None,
        "preview_total": preview.total if preview is not None else None,
    }


@requires(services.VIEW)
def claim_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = queries.claim_for(request.user, pk)
    return render(request, "accident/claim_detail.html", _detail_context(request, claim))


@requires(services.DECIDE)
@require_POST
def claim_pay(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = queries.claim_for(request.user, pk)
    form = PayForm(request.POST, prefix="pay")
    if form.is_valid():
        try:
            claim = services.pay(claim, acting_user=request.user)
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The claim is paid."))
            return redirect("accident:claim_detail", pk=claim.pk)
    context = _detail_context(request, claim)
    context["pay_form"] = form
    return render(request, "accident/claim_detail.html", context, status=400)


@requires(services.DECIDE)
@require_POST
def claim_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = queries.claim_for(request.user, pk)
    form = RefuseForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            services.refuse(claim, form.cleaned_data["reason"], acting_user=request.user)
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The claim is refused."))
            return redirect("accident:claim_detail", pk=claim.pk)
    context = _detail_context(request, claim)
    context["refuse_form"] = form
    return render(request, "accident/claim_detail.html", context, status=400)


def _window_person(request: AuthedRequest, number: str) -> Person | None:
    return (
        queries.persons_in_scope(request.user)
        .filter(document_number=number.strip().upper())
        .first()
    )


@requires(services.REPORT)
@require_http_methods(["GET", "POST"])
def claim_new(request: AuthedRequest) -> HttpResponse:
    form = WindowClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        person = _window_person(request, form.cleaned_data["document_number"])
        if person is None:
            form.add_error(
                "document_number", _("No insured person in your scope has this ID number.")
            )
        else:
            try:
                claim = services.report_claim(
                    _claim_data(form.cleaned_data, person), acting_user=request.user
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(
                    request, _("The claim %(number)s is reported.") % {"number": claim.number}
                )
                return redirect("accident:claim_detail", pk=claim.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accident/claim_new.html", {"form": form}, status=status)


@requires(services.VIEW)
def enrollment_list(request: AuthedRequest) -> HttpResponse:
    qs = queries.enrollments_for(request.user)
    person = _person_filter(request)
    if person:
        qs = qs.filter(person_id=int(person))
    page = page_of(request, qs)
    for enrollment in page:
        enrollment.masked_document = _masked(enrollment.person)
    return render(
        request,
        "accident/enrollment_list.html",
        {
            "page_obj": page,
            "query": f"person={person}" if person else "",
            "payments": queries.payments_for(request.user)[:10],
        },
    )


@requires(services.VIEW)
def enrollment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    enrollment = queries.enrollment_for(request.user, pk)
    return render(
        request,
        "accident/enrollment_detail.html",
        {"enrollment": enrollment, "masked_document": _masked(enrollment.person)},
    )


@requires(services.VIEW)
def payment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    payment = queries.payment_for(request.user, pk)
    return render(request, "accident/payment_detail.html", {"payment": payment})


@requires(services.ENROLL)
@require_http_methods(["GET", "POST"])
def enroll_new(request: AuthedRequest) -> HttpResponse:
    form = EnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = _window_person(request, form.cleaned_data["document_number"])
        if person is None:
            form.add_error(
                "document_number", _("No insured person in your scope has this ID number.")
            )
        else:
            try:
                enrollment = services.enroll(
                    person,
                    start=form.cleaned_data.get("start"),
                    payer=form.cleaned_data["payer"],
                    organisation=form.cleaned_data.get("organisation") or "",
                    acting_user=request.user,
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(
                    request,
                    _("%(name)s is covered from %(start)s to %(end)s.")
                    % {
                        "name": person.name,
                        "start": enrollment.start.isoformat(),
                        "end": enrollment.end.isoformat(),
                    },
                )
                return redirect("accident:enrollment_detail", pk=enrollment.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accident/enroll_new.html", {"form": form}, status=status)


def _regions(request: AuthedRequest) -> list[tuple[str, str]]:
    rows = (
        Region.objects.filter(region_path_filter(request.user, "path"))
        .exclude(level=RegionLevel.PROVINCE)
        .order_by("path")
        .values_list("code", "name", "level")[:1000]
    )
    return [("", "—"), *[(code, f"{name}（{code}）") for code, name, _level in rows]]


@requires(services.ENROLL)
@require_http_methods(["GET", "POST"])
def import_list(request: AuthedRequest) -> HttpResponse:
    from jingban.enrollment.tables import ImportRefused

    form = ImportForm(request.POST or None, request.FILES or None, regions=_regions(request))
    problems: list[object] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_list(
                services.GroupImport(
                    content=upload.read(),
                    filename=upload.name or "",
                    region_code=form.cleaned_data["region"],
                    organisation=form.cleaned_data["organisation"],
                    payer=form.cleaned_data["payer"],
                    start=form.cleaned_data.get("start"),
                ),
                acting_user=request.user,
            )
        except ImportRefused as refused:
            problems = list(refused.problems)
            form.add_error(None, str(refused.message))
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request,
                _("%(count)d persons are enrolled; the group's payment is recorded.")
                % {"count": result.payment.count},
            )
            return redirect("accident:payment_detail", pk=result.payment.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accident/import.html", {"form": form, "problems": problems}, status=status
    )


# --- The insured person -------------------------------------------------------------------------


@requires(services.OWN)
def my(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "accident/my.html",
        {
            "enrollments": list(queries.enrollments_for(request.user)),
            "claims": list(queries.claims_for(request.user)),
        },
    )


@requires(services.OWN)
@require_http_methods(["GET", "POST"])
def my_claim_new(request: AuthedRequest) -> HttpResponse:
    people = queries.principals(request.user)
    form = OnlineClaimForm(
        request.POST or None, request.FILES or None, people=[(p.pk, p.name) for p in people]
    )
    if request.method == "POST" and form.is_valid():
        person = next((p for p in people if str(p.pk) == form.cleaned_data["person"]), None)
        if person is None:
            raise NotFound()
        try:
            claim = services.report_claim(
                _claim_data(form.cleaned_data, person), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request,
                _("Your claim %(number)s is received and waits for review.")
                % {"number": claim.number},
            )
            return redirect("accident:my_claim_detail", pk=claim.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accident/my_claim_new.html", {"form": form}, status=status)


@requires(services.OWN)
def my_claim_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = queries.claim_for(request.user, pk)
    return render(
        request,
        "accident/my_claim_detail.html",
        {"claim": claim, "materials": claim.materials.select_related("file")},
    )

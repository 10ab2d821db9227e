"""The filing pages: staff list and approval queue, a filing with its actions, the window
filing; the insured person's own filings, the online form and cancellation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core.errors import DomainError, NotFound
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.filing import queries, services
from jingban.filing.forms import CancelForm, OnlineFilingForm, RefuseForm, WindowFilingForm
from jingban.filing.models import Filing, Kind, Status
from jingban.registry.documents import mask_document
from jingban.registry.models import Person


def _masked(person: Person) -> str:
    return mask_document(person.document_type, person.document_number)


def _input(data: dict[str, object], person: Person) -> services.FilingInput:
    return services.FilingInput(
        person=person,
        kind=str(data["kind"]),
        destination=str(data["destination"]),
        start=data.get("start"),  # type: ignore[arg-type]
        end=data.get("end"),  # type: ignore[arg-type]
        commitment=bool(data.get("commitment")),
        paper_checked=bool(data.get("paper_checked")),
        note=str(data.get("note") or ""),
        materials=list(data.get("materials") or []),  # type: ignore[call-overload]
    )


# --- Staff ------------------------------------------------------------------------------------


@requires(services.VIEW)
def filing_list(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = queries.filings_for(request.user)
    if status in Status.values:
        qs = qs.filter(status=status)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    person = request.GET.get("person", "")
    if person.isdigit() and len(person) < 19:
        qs = qs.filter(person_id=int(person))
    else:
        person = ""
    page = page_of(request, qs)
    for filing in page:
        filing.masked_document = _masked(filing.person)
    query = "&".join(
        f"{k}={v}" for k, v in (("status", status), ("kind", kind), ("person", person)) if v
    )
    return render(
        request,
        "filing/list.html",
        {
            "page_obj": page,
            "query": query,
            "status": status,
            "kind": kind,
            "person": person,
            "statuses": Status.choices,
            "kinds": Kind.choices,
        },
    )


def _detail_context(request: AuthedRequest, filing: Filing) -> dict[str, object]:
    return {
        "filing": filing,
        "masked_document": _masked(filing.person),
        "materials": filing.materials.select_related("file"),
        "refuse_form": RefuseForm(prefix="refuse"),
        "can_decide": request.user.can(services.DECIDE) and filing.status == Status.PENDING,
        "can_cancel": request.user.can(services.CANCEL)
        and filing.status in (Status.PENDING, Status.IN_EFFECT),
    }


@requires(services.VIEW)
def filing_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = queries.filing_for(request.user, pk)
    return render(request, "filing/detail.html", _detail_context(request, filing))


@requires(services.DECIDE)
@require_POST
def filing_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = queries.filing_for(request.user, pk)
    try:
        services.approve(filing, acting_user=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The filing is approved and in effect."))
    return redirect("filing:detail", pk=filing.pk)


@requires(services.DECIDE)
@require_POST
def filing_refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = queries.filing_for(request.user, pk)
    form = RefuseForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            services.refuse(filing, form.cleaned_data["reason"], acting_user=request.user)
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The filing is refused."))
            return redirect("filing:detail", pk=filing.pk)
    context = _detail_context(request, filing)
    context["refuse_form"] = form
    return render(request, "filing/detail.html", context, status=400)


@requires(services.CANCEL)
@require_http_methods(["GET", "POST"])
def filing_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = queries.filing_for(request.user, pk)
    return _cancel(request, filing, back="filing:detail")


@requires(services.RECORD)
@require_http_methods(["GET", "POST"])
def window_new(request: AuthedRequest) -> HttpResponse:
    form = WindowFilingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from jingban.registry.queries import persons_for

        number = form.cleaned_data["document_number"].strip().upper()
        person = persons_for(request.user).filter(document_number=number).first()
        if person is None:
            form.add_error(
                "document_number", _("No insured person in your scope has this document number.")
            )
        else:
            try:
                filing = services.file_filing(
                    _input(form.cleaned_data, person), acting_user=request.user
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(
                    request, _("The filing %(number)s is recorded.") % {"number": filing.number}
                )
                return redirect("filing:detail", pk=filing.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "filing/window_new.html", {"form": form}, status=status)


# --- The insured person -------------------------------------------------------------------------


@requires(services.OWN)
def my_list(request: AuthedRequest) -> HttpResponse:
    filings = list(queries.filings_for(request.user).order_by("-filed_on", "-pk"))
    return render(request, "filing/my_list.html", {"filings": filings})


@requires(services.OWN)
@require_http_methods(["GET", "POST"])
def my_new(request: AuthedRequest) -> HttpResponse:
    people = queries.principals(request.user)
    own = people[0] if people and people[0].account_id == request.user.pk else None
    prefix = own.region.code[:4] if own is not None else ""
    form = OnlineFilingForm(
        request.POST or None,
        request.FILES or None,
        people=[(p.pk, p.name) for p in people],
        exclude_prefix=prefix,
    )
    if request.method == "POST" and form.is_valid():
        person = next((p for p in people if str(p.pk) == form.cleaned_data["person"]), None)
        if person is None:
            raise NotFound()
        try:
            filing = services.file_filing(
                _input(form.cleaned_data, person), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            if filing.status == Status.IN_EFFECT:
                messages.success(
                    request,
                    _("Your filing %(number)s is in effect.") % {"number": filing.number},
                )
            else:
                messages.success(
                    request,
                    _("Your filing %(number)s is received and waits for approval.")
                    % {"number": filing.number},
                )
            return redirect("filing:my_detail", pk=filing.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "filing/my_new.html", {"form": form}, status=status)


@requires(services.OWN)
def my_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = queries.filing_for(request.user, pk)
    return render(
        request,
        "filing/my_detail.html",
        {
            "filing": filing,
            "materials": filing.materials.select_related("file"),
            "can_cancel": filing.status in (Status.PENDING, Status.IN_EFFECT),
        },
    )


@requires(services.OWN)
@require_http_methods(["GET", "POST"])
def my_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    filing = queries.filing_for(request.user, pk)
    return _cancel(request, filing, back="filing:my_detail")


def _cancel(request: AuthedRequest, filing: Filing, *, back: str) -> HttpResponse:
    """The confirmation page (GET) and the cancellation (POST)."""
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(filing, form.cleaned_data["reason"], acting_user=request.user)
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request, _("The filing %(number)s is cancelled.") % {"number": filing.number}
            )
            return redirect(back, pk=filing.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "filing/cancel.html",
        {"filing": filing, "form": form, "back": back},
        status=status,
    )

"""The care part's pages: care plans (list, detail, new, change), the caregiver's page of
today's visits (check-in/out, phone-sized), the visit list (flagged filter), and the
institution's bed-days and hospital stays. Thin: queries start from scope, services decide."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core import exports
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError
from jingban.core.exports import Column
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.ltc import policy
from jingban.ltc import queries_care as queries
from jingban.ltc import services_care as services
from jingban.ltc.forms_care import (
    ChangeForm,
    CheckInForm,
    CheckOutForm,
    PlanForm,
    StayForm,
    StayImportForm,
)
from jingban.ltc.models import BedDay, BedDayStatus, CareFormCode, CarePlan, Visit, VisitStatus
from jingban.registry.documents import mask_document
from jingban.registry.models import Person

# --- Care plans -------------------------------------------------------------------------------


def _plan_flags(request: AuthedRequest) -> dict[str, object]:
    form = request.GET.get("care_form", "")
    return {
        "care_form": form if form in CareFormCode.values else "",
        "current": request.GET.get("current") == "1",
    }


def _plans(request: AuthedRequest) -> object:
    flags = _plan_flags(request)
    plans = queries.plans_for(request.user)
    if flags["care_form"]:
        plans = plans.filter(care_form=flags["care_form"])
    if flags["current"]:
        today = local_today()
        plans = plans.filter(effective_from__lte=today).exclude(effective_to__lt=today)
    return plans.order_by("person__name", "-effective_from", "-pk")


@requires(services.PLAN_VIEW)
def care_plan_list(request: AuthedRequest) -> HttpResponse:
    flags = _plan_flags(request)
    query = "&".join(f"{k}={'1' if v is True else v}" for k, v in flags.items() if v)
    return render(
        request,
        "ltc/care/plan_list.html",
        {
            "page_obj": page_of(request, _plans(request)),
            "flags": flags,
            "query": query,
            "forms": CareFormCode.choices,
            "can_edit": request.user.can(services.PLAN_EDIT),
        },
    )


def _plan_columns() -> tuple[Column[CarePlan], ...]:
    return (
        Column("person", gettext_lazy("Person"), lambda p: p.person.name),
        Column(
            "document",
            gettext_lazy("Document number"),
            lambda p: mask_document(p.person.document_type, p.person.document_number),
        ),
        Column("care_form", gettext_lazy("Care form"), lambda p: p.get_care_form_display()),
        Column(
            "provider",
            gettext_lazy("Designated provider"),
            lambda p: p.provider.organisation.name if p.provider else "",
        ),
        Column("level", gettext_lazy("Disability level"), lambda p: p.entitlement.level),
        Column("monthly_visits", gettext_lazy("Visits per month"), lambda p: p.monthly_visits),
        Column("hours_per_visit", gettext_lazy("Hours per visit"), lambda p: p.hours_per_visit),
        Column("effective_from", gettext_lazy("Effective from"), lambda p: p.effective_from),
        Column("effective_to", gettext_lazy("Effective to"), lambda p: p.effective_to),
    )


@requires(services.PLAN_VIEW)
def care_plan_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    return exports.export_response(
        request,
        list_name="ltc.care_plans",
        rows=_plans(request),  # type: ignore[arg-type]
        columns=_plan_columns(),
        fmt=fmt,
        filename="ltc-care-plans",
        filters={k: v for k, v in _plan_flags(request).items() if v},
    )


@requires(services.PLAN_VIEW)
def care_plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = queries.plan_for(request.user, pk)
    history = queries.plans_for(request.user).filter(entitlement_id=plan.entitlement_id)
    visits = queries.visits_for(request.user).filter(care_plan=plan)[:20]
    return render(
        request,
        "ltc/care/plan_detail.html",
        {
            "plan": plan,
            "document": mask_document(plan.person.document_type, plan.person.document_number),
            "history": history.order_by("effective_from", "pk"),
            "visits": visits,
            "can_edit": request.user.can(services.PLAN_EDIT)
            and (plan.effective_to is None or plan.effective_to >= local_today()),
        },
    )


def _plan_input(data: dict[str, object]) -> services.PlanInput:
    return services.PlanInput(
        care_form=str(data["care_form"]),
        provider=data.get("provider"),  # type: ignore[arg-type]
        effective_from=data["effective_from"],  # type: ignore[arg-type]
        home_lat=data.get("home_lat"),  # type: ignore[arg-type]
        home_lon=data.get("home_lon"),  # type: ignore[arg-type]
    )


@require_http_methods(["GET", "POST"])
@requires(services.PLAN_EDIT)
def care_plan_new(request: AuthedRequest) -> HttpResponse:
    initial = {"effective_from": local_today()}
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                form.cleaned_data["entitlement"],
                _plan_input(form.cleaned_data),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The care plan is opened."))
            return redirect("ltc:care_plan_detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ltc/care/plan_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@requires(services.PLAN_EDIT)
def care_plan_change(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = queries.plan_for(request.user, pk)
    initial = {
        "care_form": plan.care_form,
        "provider": plan.provider_id,
        "effective_from": max(local_today(), plan.effective_from + dt.timedelta(days=1)),
    }
    form = ChangeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.change_plan(
                plan, _plan_input(form.cleaned_data), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The care plan is changed."))
            return redirect("ltc:care_plan_detail", pk=new.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ltc/care/plan_form.html", {"form": form, "plan": plan}, status=status)


# --- The caregiver's day ----------------------------------------------------------------------


def _today_context(request: AuthedRequest, **forms: object) -> dict[str, object]:
    today = local_today()
    caregiver = services.caregiver_of(request.user)
    plans = list(queries.today_plans(request.user, today))
    visits = (
        list(
            Visit.objects.filter(
                caregiver=caregiver, service_date=today, care_plan__in=plans
            ).order_by("check_in")
        )
        if caregiver
        else []
    )
    by_plan: dict[int, list[Visit]] = {}
    for visit in visits:
        by_plan.setdefault(visit.care_plan_id, []).append(visit)
    open_visit = next((v for v in visits if v.status == VisitStatus.OPEN), None)
    rules = policy.ltc_rules(plans[0].region_path, today) if plans else None
    entries = [
        {
            "plan": plan,
            "suspended": plan.entitlement.status != "active",
            "visits": by_plan.get(plan.pk, []),
            "open": open_visit if open_visit and open_visit.care_plan_id == plan.pk else None,
        }
        for plan in plans
    ]
    return {
        "entries": entries,
        "open_visit": open_visit,
        "today": today,
        "caregiver": caregiver,
        "check": rules.check_in if rules else None,
        "in_form": forms.get("in_form") or CheckInForm(prefix="in"),
        "out_form": forms.get("out_form") or CheckOutForm(prefix="out"),
        "failed_plan": forms.get("failed_plan"),
    }


@requires(services.VISIT_RECORD)
def care_today(request: AuthedRequest) -> HttpResponse:
    return render(request, "ltc/care/today.html", _today_context(request))


@require_POST
@requires(services.VISIT_RECORD)
def care_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = queries.today_plans(request.user, local_today()).filter(pk=pk).first()
    if plan is None:
        from django.http import Http404

        raise Http404
    form = CheckInForm(request.POST, prefix="in")
    if form.is_valid():
        try:
            services.check_in(
                plan,
                acting_user=request.user,
                lat=form.cleaned_data["lat"],
                lon=form.cleaned_data["lon"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Checked in. Check out when the service is done."))
            return redirect("ltc:care_today")
    context = _today_context(request, in_form=form, failed_plan=plan.pk)
    return render(request, "ltc/care/today.html", context, status=400)


@require_POST
@requires(services.VISIT_RECORD)
def care_check_out(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = queries.visit_for(request.user, pk)
    form = CheckOutForm(request.POST, request.FILES, prefix="out")
    if form.is_valid():
        try:
            done = services.check_out(
                visit,
                acting_user=request.user,
                lat=form.cleaned_data["lat"],
                lon=form.cleaned_data["lon"],
                items=form.cleaned_data["items"],
                photo=form.cleaned_data["photo"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            if done.status == VisitStatus.FLAGGED:
                messages.warning(
                    request, _("Checked out. The visit is kept with a flag for audit.")
                )
            else:
                messages.success(request, _("Checked out. The visit is completed."))
            return redirect("ltc:care_today")
    context = _today_context(request, out_form=form, failed_plan=visit.care_plan_id)
    return render(request, "ltc/care/today.html", context, status=400)


# --- Visits -----------------------------------------------------------------------------------


def _visit_flags(request: AuthedRequest) -> dict[str, object]:
    status = request.GET.get("status", "")
    return {
        "flagged": request.GET.get("flagged") == "1",
        "status": status if status in VisitStatus.values else "",
        "month": request.GET.get("month", "")[:7],
    }


def _visits(request: AuthedRequest) -> object:
    return queries.filtered_visits(request.user, **_visit_flags(request))  # type: ignore[arg-type]


@requires(services.VISIT_VIEW)
def visit_list(request: AuthedRequest) -> HttpResponse:
    flags = _visit_flags(request)
    query = "&".join(f"{k}={'1' if v is True else v}" for k, v in flags.items() if v)
    return render(
        request,
        "ltc/care/visit_list.html",
        {
            "page_obj": page_of(request, _visits(request)),
            "flags": flags,
            "query": query,
            "statuses": VisitStatus.choices,
            "flag_labels": services.FLAG_LABELS,
        },
    )


def _visit_columns() -> tuple[Column[Visit], ...]:
    labels = dict(services.SERVICE_ITEMS)
    return (
        Column("service_date", gettext_lazy("Service date"), lambda v: v.service_date),
        Column("person", gettext_lazy("Person"), lambda v: v.person.name),
        Column("caregiver", gettext_lazy("Caregiver"), lambda v: v.caregiver.name),
        Column("check_in", gettext_lazy("Checked in at"), lambda v: v.check_in),
        Column("check_out", gettext_lazy("Checked out at"), lambda v: v.check_out),
        Column("distance_m", gettext_lazy("Distance from the home (m)"), lambda v: v.distance_m),
        Column("status", gettext_lazy("Status"), lambda v: v.get_status_display()),
        Column(
            "flags",
            gettext_lazy("Flags"),
            lambda v: "、".join(str(services.FLAG_LABELS.get(f, f)) for f in v.flags),
        ),
        Column(
            "items",
            gettext_lazy("Service items"),
            lambda v: "、".join(str(labels.get(i, i)) for i in v.items),
        ),
    )


@requires(services.VISIT_VIEW)
def visit_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    return exports.export_response(
        request,
        list_name="ltc.visits",
        rows=_visits(request),  # type: ignore[arg-type]
        columns=_visit_columns(),
        fmt=fmt,
        filename="ltc-visits",
        filters={k: v for k, v in _visit_flags(request).items() if v},
    )


@requires(services.VISIT_VIEW)
def visit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    from jingban.files.models import StoredFile

    visit = queries.visit_for(request.user, pk)
    labels = dict(services.SERVICE_ITEMS)
    minutes = (
        int((visit.check_out - visit.check_in).total_seconds() // 60) if visit.check_out else None
    )
    return render(
        request,
        "ltc/care/visit_detail.html",
        {
            "visit": visit,
            "minutes": minutes,
            "hours": queries.visit_hours(visit.check_in, visit.check_out)
            if visit.check_out
            else None,
            "items": [labels.get(i, i) for i in visit.items],
            "flags": [services.FLAG_LABELS.get(f, f) for f in visit.flags],
            "photos": StoredFile.objects.filter(object_type="ltc.visit", object_id=str(visit.pk)),
        },
    )


# --- Bed-days and hospital stays --------------------------------------------------------------


def _day(request: AuthedRequest) -> dt.date:
    text = request.POST.get("day") or request.GET.get("day") or ""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return local_today()
    return min(day, local_today())


@require_http_methods(["GET", "POST"])
@requires(services.BEDDAY_REPORT)
def bed_days(request: AuthedRequest) -> HttpResponse:
    day = _day(request)
    plans = list(queries.bed_plans(request.user, day))
    errors: list[str] = []
    if request.method == "POST":
        statuses = {
            plan.person_id: str(request.POST.get(f"status_{plan.person_id}", ""))
            for plan in plans
            if request.POST.get(f"status_{plan.person_id}")
        }
        try:
            services.report_bed_days(day, statuses, acting_user=request.user)
        except DomainError as error:
            errors = [str(m) for msgs in error.fields.values() for m in msgs] or [
                str(error.message)
            ]
        else:
            messages.success(request, _("The day is reported."))
            return redirect(f"{request.path}?day={day.isoformat()}")
    reported = dict(
        BedDay.objects.filter(day=day, person_id__in=[p.person_id for p in plans]).values_list(
            "person_id", "status"
        )
    )
    rows = [
        {
            "plan": plan,
            "status": reported.get(plan.person_id, ""),
            "reported": plan.person_id in reported,
        }
        for plan in plans
    ]
    return render(
        request,
        "ltc/care/bed_days.html",
        {
            "day": day,
            "rows": rows,
            "statuses": BedDayStatus.choices,
            "errors": errors,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1) if day < local_today() else None,
        },
        status=400 if errors else 200,
    )


def _own_persons(request: AuthedRequest) -> object:
    ids = queries.plans_for(request.user).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("name")


@require_http_methods(["GET", "POST"])
@requires(services.BEDDAY_REPORT)
def hospital_stays(request: AuthedRequest) -> HttpResponse:
    persons = _own_persons(request)
    form = StayForm(request.POST or None, persons=persons)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            services.record_stay(
                form.cleaned_data["person"],
                form.cleaned_data["admitted_on"],
                form.cleaned_data["discharged_on"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The hospital stay is recorded."))
            return redirect("ltc:hospital_stays")
    return _stays_page(request, form=form, status=400 if request.method == "POST" else 200)


def _stays_page(
    request: AuthedRequest,
    *,
    form: StayForm | None = None,
    import_form: StayImportForm | None = None,
    problems: object = None,
    status: int = 200,
) -> HttpResponse:
    persons = _own_persons(request)
    return render(
        request,
        "ltc/care/stays.html",
        {
            "page_obj": page_of(
                request, queries.stays_for(request.user).order_by("-admitted_on", "-pk")
            ),
            "form": form or StayForm(persons=persons),  # type: ignore[arg-type]
            "import_form": import_form or StayImportForm(),
            "problems": problems,
        },
        status=status,
    )


@require_POST
@requires(services.BEDDAY_REPORT)
def hospital_stay_import(request: AuthedRequest) -> HttpResponse:
    form = StayImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _stays_page(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        content = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        form.add_error("file", _("Save the file as UTF-8 text."))
        return _stays_page(request, import_form=form, status=400)
    try:
        count, problems = services.import_stays(content, acting_user=request.user)
    except DomainError as error:
        form.add_domain_errors(error)
        return _stays_page(request, import_form=form, status=400)
    if problems:
        return _stays_page(request, import_form=form, problems=problems, status=400)
    messages.success(request, _("Hospital stays imported: %(count)s.") % {"count": count})
    return redirect("ltc:hospital_stays")

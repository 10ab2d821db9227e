"""Pages of designated institutions: the bureau's list, an institution, an agreement with its
events, checks and orders, each event's form (confirmation before suspension and termination),
checklists and outcome rules; and the institution's own pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.core import exports
from jingban.core.calendar import today
from jingban.core.errors import DomainError
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.providers import queries, services, transitions
from jingban.providers.forms import (
    ApplicationForm,
    ChecklistForm,
    DecideForm,
    DesignationForm,
    EventForm,
    FilterForm,
    RectificationForm,
    RenewalForm,
    ReplyForm,
    RuleForm,
    ZoneForm,
)
from jingban.providers.models import (
    OPEN_ORDER_STATES,
    Agreement,
    AgreementState,
    Checklist,
    EventKind,
    Institution,
    InstitutionKind,
)

VIEW = "providers.institution.view"
MANAGE = services.MANAGE
DECIDE = services.DECIDE
EDIT = services.CHECKLIST_EDIT


def _listed(request: AuthedRequest) -> tuple[FilterForm, QuerySet[Institution]]:
    filters = FilterForm(request.GET or None)
    latest = Agreement.objects.filter(institution=OuterRef("pk")).order_by("-valid_from", "-id")
    rows = (
        queries.institutions_for(request.user)
        .annotate(
            agreement_state=Subquery(latest.values("state")[:1]),
            agreement_until=Subquery(latest.values("valid_until")[:1]),
        )
        .order_by("organisation__code")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data.get("q"):
            rows = rows.filter(organisation__name__icontains=data["q"]) | rows.filter(
                organisation__code__icontains=data["q"]
            )
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("state"):
            rows = rows.filter(agreement_state=data["state"])
        if data.get("region"):
            rows = rows.filter(organisation__region__path__contains=f"{data['region']}/")
    return filters, rows


@requires(VIEW)
def institution_list(request: AuthedRequest) -> HttpResponse:
    filters, rows = _listed(request)
    page = page_of(request, rows)
    return render(
        request,
        "providers/institution_list.html",
        {"filters": filters, "page": page, "states": dict(AgreementState.choices)},
    )


def _state_label(value: str | None) -> str:
    return str(AgreementState(value).label) if value else ""


COLUMNS: tuple[exports.Column[Any], ...] = (
    exports.Column("code", gettext_lazy("Code"), lambda i: i.organisation.code),
    exports.Column("name", gettext_lazy("Name"), lambda i: i.organisation.name),
    exports.Column("kind", gettext_lazy("Institution kind"), lambda i: i.get_kind_display()),
    exports.Column("region", gettext_lazy("Region"), lambda i: i.organisation.region.name),
    exports.Column(
        "state", gettext_lazy("Agreement state"), lambda i: _state_label(i.agreement_state)
    ),
    exports.Column("until", gettext_lazy("Valid until"), lambda i: i.agreement_until),
    exports.Column("beds", gettext_lazy("Long-term care beds"), lambda i: i.ltc_beds),
)


@requires(VIEW)
def institution_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    filters, rows = _listed(request)
    safe = {
        k: v
        for k, v in (
            filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
        ).items()
        if v
    }
    return exports.export_response(
        request,
        list_name="providers.institutions",
        rows=rows,
        columns=COLUMNS,
        fmt=fmt,
        filename="institutions",
        filters=safe,
    )


def _institution_context(institution: Institution) -> dict[str, object]:
    agreements = list(
        institution.agreements.prefetch_related(
            "events", "checks__checklist", "checks__scores__item", "orders"
        )
    )
    return {
        "institution": institution,
        "agreements": agreements,
        "designations": institution.designations.select_related("scheme"),
        "service_area": institution.service_area.all(),
    }


@requires(VIEW)
def institution_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    institution = queries.institution_for(request.user, pk)
    context = _institution_context(institution)
    if request.user.can(MANAGE):
        context["designation_form"] = DesignationForm(initial={"valid_from": today()})
        context["application_form"] = ApplicationForm(initial={"applied_on": today()})
    return render(request, "providers/institution_detail.html", context)


@requires(MANAGE)
def designation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    institution = queries.institution_for(request.user, pk)
    form = DesignationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_designation(
                institution,
                scheme=data["scheme"],
                care_form=data["care_form"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The designation was added."))
            return redirect("providers:institution_detail", pk=institution.pk)
    context = _institution_context(institution)
    context["designation_form"] = form
    context["application_form"] = ApplicationForm(initial={"applied_on": today()})
    status = 400 if request.method == "POST" else 200
    return render(request, "providers/institution_detail.html", context, status=status)


@requires(MANAGE)
def agreement_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    institution = queries.institution_for(request.user, pk)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.apply_for_agreement(
                institution,
                number=data["number"],
                applied_on=data["applied_on"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                deposit_fen=(data["deposit_yuan"] or 0) * 100,
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The application was recorded."))
            return redirect("providers:agreement_detail", pk=agreement.pk)
    context = _institution_context(institution)
    context["designation_form"] = DesignationForm(initial={"valid_from": today()})
    context["application_form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "providers/institution_detail.html", context, status=status)


EVENT_FORMS = {
    EventKind.TAKE_EFFECT: (None, DECIDE),
    EventKind.WARNING: (EventForm, MANAGE),
    EventKind.RECTIFICATION: (RectificationForm, MANAGE),
    EventKind.SUSPENSION: (EventForm, DECIDE),
    EventKind.LIFTING: (EventForm, DECIDE),
    EventKind.TERMINATION: (EventForm, DECIDE),
    EventKind.RENEWAL: (RenewalForm, DECIDE),
}
# Events that cannot be undone: the page asks for confirmation first.
GRAVE = {EventKind.SUSPENSION, EventKind.TERMINATION}


@requires(VIEW)
def agreement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agreement = queries.agreement_for(request.user, pk)
    user = request.user
    actions = [
        (event, EventKind(event).label)
        for event in EVENT_FORMS
        if transitions.allowed(event, agreement.state) and user.can(EVENT_FORMS[event][1])
    ]
    if EventKind.RENEWAL in dict(actions) and hasattr(agreement, "renewal"):
        actions = [a for a in actions if a[0] != EventKind.RENEWAL]
    checklists = queries.checklists() if user.can(MANAGE) else []
    orders = list(agreement.orders.all())
    for order in orders:
        order.shown_replies = queries.replies_with_files(user, order)  # type: ignore[attr-defined]
    latest: dict[str, Checklist] = {}
    for checklist in checklists:
        latest.setdefault(checklist.code, checklist)
    return render(
        request,
        "providers/agreement_detail.html",
        {
            "agreement": agreement,
            "events": agreement.events.select_related("actor").order_by("effective_on", "id"),
            "checks": agreement.checks.select_related("checklist"),
            "orders": orders,
            "actions": actions,
            "checklists": list(latest.values()),
            "can_decide": user.can(MANAGE),
            "open_states": OPEN_ORDER_STATES,
        },
    )


@requires(VIEW)
def agreement_event(request: AuthedRequest, pk: int, event: str) -> HttpResponse:
    if event not in EVENT_FORMS:
        raise Http404
    form_class, capability = EVENT_FORMS[EventKind(event)]
    if not request.user.can(capability):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    agreement = queries.agreement_for(request.user, pk)
    initial = {"effective_on": today(), "issued_on": today(), "working_days": 20}
    form = form_class(request.POST or None, initial=initial) if form_class else None
    status = 200
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        user = request.user
        try:
            if event == EventKind.TAKE_EFFECT:
                services.take_effect(agreement, acting_user=user)
            elif event == EventKind.WARNING:
                services.warn(
                    agreement, on=data["effective_on"], note=data["note"], acting_user=user
                )
            elif event == EventKind.RECTIFICATION:
                services.order_rectification(
                    agreement,
                    issued_on=data["issued_on"],
                    working_days=data["working_days"],
                    requirements=data["requirements"],
                    acting_user=user,
                )
            elif event == EventKind.SUSPENSION:
                services.suspend(
                    agreement,
                    effective_on=data["effective_on"],
                    note=data["note"],
                    acting_user=user,
                )
            elif event == EventKind.LIFTING:
                services.lift_suspension(
                    agreement,
                    effective_on=data["effective_on"],
                    note=data["note"],
                    acting_user=user,
                )
            elif event == EventKind.TERMINATION:
                services.terminate(
                    agreement,
                    effective_on=data["effective_on"],
                    note=data["note"],
                    acting_user=user,
                )
            elif event == EventKind.RENEWAL:
                renewed = services.renew(
                    agreement,
                    valid_until=data["valid_until"],
                    number=data["number"],
                    note=data["note"],
                    acting_user=user,
                )
                messages.success(request, _("The agreement was renewed."))
                return redirect("providers:agreement_detail", pk=renewed.pk)
        except DomainError as err:
            if form is not None:
                form.add_domain_errors(err)
            else:
                messages.error(request, str(err.message))
                return redirect("providers:agreement_detail", pk=agreement.pk)
        else:
            messages.success(request, _("Recorded: %(event)s.") % {"event": EventKind(event).label})
            return redirect("providers:agreement_detail", pk=agreement.pk)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "providers/agreement_event.html",
        {
            "agreement": agreement,
            "event": event,
            "event_label": EventKind(event).label,
            "form": form,
            "grave": event in GRAVE,
            "refused": None
            if transitions.allowed(event, agreement.state)
            else transitions.refusal(event, agreement.state).message,
        },
        status=status,
    )


@requires(MANAGE)
def check_create(request: AuthedRequest, pk: int, checklist: int) -> HttpResponse:
    agreement = queries.agreement_for(request.user, pk)
    chosen = queries.checklist_for(checklist)
    items = list(chosen.items.all())
    errors: dict[str, list[str]] = {}
    status = 200
    values: dict[str, str] = {}
    if request.method == "POST":
        scores = []
        for item in items:
            raw = request.POST.get(f"item_{item.pk}", "").strip()
            values[f"item_{item.pk}"] = raw
            if not raw.isdigit():
                errors[f"item_{item.pk}"] = [_("Give a score for this item.")]
                continue
            scores.append(
                services.ItemScore(item.pk, int(raw), request.POST.get(f"note_{item.pk}", ""))
            )
        checked_on = request.POST.get("checked_on", "")
        try:
            day = dt.date.fromisoformat(checked_on)
        except ValueError:
            errors["checked_on"] = [_("Enter a valid date.")]
            day = today()
        if not errors:
            try:
                check = services.record_check(
                    agreement,
                    chosen,
                    checked_on=day,
                    scores=scores,
                    note=request.POST.get("note", ""),
                    acting_user=request.user,
                )
            except DomainError as err:
                errors = {k: [str(m) for m in v] for k, v in err.fields.items()}
                if not errors:
                    errors["__all__"] = [str(err.message)]
            else:
                messages.success(request, _("The check was recorded."))
                return redirect("providers:check_detail", pk=check.pk)
        status = 400
    rows = [
        (item, values.get(f"item_{item.pk}", ""), errors.get(f"item_{item.pk}", []))
        for item in items
    ]
    return render(
        request,
        "providers/check_form.html",
        {
            "agreement": agreement,
            "checklist": chosen,
            "rows": rows,
            "errors": errors,
            "top_errors": errors.get("__all__", []) + errors.get("checked_on", []),
            "checked_on": request.POST.get("checked_on", today().isoformat()),
        },
        status=status,
    )


@requires(VIEW)
def check_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    check = queries.check_for(request.user, pk)
    return render(
        request,
        "providers/check_detail.html",
        {"check": check, "scores": check.scores.select_related("item")},
    )


@requires(MANAGE)
def order_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    order = queries.order_for(request.user, pk)
    form = DecideForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "close":
                services.close_order(
                    order, on=data["on"], note=data["note"], acting_user=request.user
                )
            else:
                services.escalate_order(
                    order, on=data["on"], note=data["note"], acting_user=request.user
                )
        except DomainError as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("providers:agreement_detail", pk=order.agreement_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "providers/order_decide.html",
        {
            "order": order,
            "form": form,
            "replies": queries.replies_with_files(request.user, order),
        },
        status=status,
    )


@requires(VIEW)
def checklist_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "providers/checklist_list.html",
        {"checklists": queries.checklists(), "can_edit": request.user.can(EDIT)},
    )


@requires(EDIT)
def checklist_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    based_on = queries.checklist_for(pk) if pk is not None else None
    initial = {}
    if based_on is not None:
        initial = {
            "code": based_on.code,
            "name": based_on.name,
            "check_kind": based_on.check_kind,
            "total": based_on.total,
            "pass_mark": based_on.pass_mark,
            "items": "\n".join(f"{i.weight} | {i.text}" for i in based_on.items.all()),
        }
    form = ChecklistForm(request.POST or None, initial=initial)
    if based_on is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_checklist(
                based_on,
                code=data["code"],
                name=data["name"],
                check_kind=data["check_kind"],
                total=data["total"],
                pass_mark=data["pass_mark"],
                items=services.parse_items(data["items"]),
                acting_user=request.user,
            )
        except DomainError as err:
            form.add_domain_errors(err)
        else:
            messages.success(
                request, _("Saved as version %(version)s.") % {"version": saved.version}
            )
            return redirect("providers:checklist_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "providers/checklist_form.html",
        {
            "form": form,
            "based_on": based_on,
            "in_use": based_on is not None and services.checklist_in_use(based_on),
        },
        status=status,
    )


@requires(VIEW)
def rule_list(request: AuthedRequest) -> HttpResponse:
    can_edit = request.user.can(EDIT) and request.user.region_id is not None
    form = RuleForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if form is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            return _save_rule(request, None, form)
    return render(
        request,
        "providers/rule_list.html",
        {"rules": queries.rules_for(request.user), "form": form, "can_edit": can_edit},
        status=400 if request.method == "POST" else 200,
    )


def _save_rule(request: AuthedRequest, rule: object, form: RuleForm) -> HttpResponse:
    data = form.cleaned_data
    try:
        services.save_outcome_rule(
            rule,  # type: ignore[arg-type]
            region=request.user.region if rule is None else rule.region,  # type: ignore[attr-defined,arg-type]
            check_kind=data["check_kind"],
            min_score=data["min_score"],
            below_score=data["below_score"],
            outcome=data["outcome"],
            rectification_days=data["rectification_days"],
            deposit_return_percent=data["deposit_return_percent"],
            acting_user=request.user,
        )
    except DomainError as err:
        form.add_domain_errors(err)
        return render(
            request,
            "providers/rule_list.html",
            {"rules": queries.rules_for(request.user), "form": form, "can_edit": True},
            status=400,
        )
    messages.success(request, _("The outcome rule was saved."))
    return redirect("providers:rule_list")


@requires(EDIT)
def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    from jingban.core.scope import region_filter

    rule = queries.rules_for(request.user).filter(region_filter(request.user)).filter(pk=pk).first()
    if rule is None:
        raise Http404
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        original = queries.rules_for(request.user).get(pk=pk)
        return _save_rule(request, original, form)
    return render(
        request,
        "providers/rule_form.html",
        {"rule": rule, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# The institution's own pages ---------------------------------------------------------------


@requires(queries.OWN)
def own(request: AuthedRequest) -> HttpResponse:
    institution = queries.own_institution(request.user)
    context = _institution_context(institution)
    context["open_orders"] = queries.open_orders(request.user)
    context["kinds"] = InstitutionKind
    # Each check carries what the files app lets this user see of its evidence.
    checks = [c for a in context["agreements"] for c in a.checks.all()]  # type: ignore[attr-defined]
    evidence = queries.evidence_by_check(request.user, [c.pk for c in checks])
    for check in checks:
        check.evidence = evidence.get(check.pk, [])
    return render(request, "providers/own.html", context)


@requires("providers.own.edit")
def own_zone(request: AuthedRequest) -> HttpResponse:
    institution = queries.own_institution(request.user)
    form = ZoneForm(
        request.POST or None,
        initial={
            n: getattr(institution, n)
            for n in (
                "ltc_beds",
                "ltc_beds_occupied",
                "ltc_doctors",
                "ltc_nurses",
                "ltc_caregivers",
            )
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_ltc_zone(institution, form.cleaned_data, acting_user=request.user)
        except DomainError as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The long-term care zone was updated."))
            return redirect("providers:own")
    return render(
        request,
        "providers/own_zone.html",
        {"form": form, "institution": institution},
        status=400 if request.method == "POST" else 200,
    )


@requires(queries.OWN)
def own_order(request: AuthedRequest, pk: int) -> HttpResponse:
    order = queries.order_for(request.user, pk)
    can_reply = request.user.can("providers.own.reply") and order.state in OPEN_ORDER_STATES
    form = ReplyForm(request.POST or None, request.FILES or None) if can_reply else None
    if request.method == "POST":
        if form is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                services.reply_to_order(
                    order,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["evidence"],
                    acting_user=request.user,
                )
            except DomainError as err:
                form.add_domain_errors(err)
            else:
                messages.success(request, _("Your reply was sent to the bureau."))
                return redirect("providers:own_order", pk=order.pk)
    return render(
        request,
        "providers/own_order.html",
        {
            "order": order,
            "replies": queries.replies_with_files(request.user, order),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )

"""The desk's pages: the staff list, a case and its actions, the staff intake; and the public
filing and tracking pages (no sign-in)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jingban.core import exports
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError
from jingban.core.exports import Column
from jingban.core.models import Scheme
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.desk import captcha, queries, services, throttle, tracking
from jingban.desk.forms import (
    CloseForm,
    ConfirmForm,
    FilingForm,
    IntakeForm,
    RouteForm,
    RuleForm,
    TextForm,
    TrackForm,
)
from jingban.desk.masking import mask_document, mask_name, mask_phone
from jingban.desk.models import Case, CaseKind, CaseState, Category, Channel, RoutingRule


def _fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


def _filing(data: dict[str, object], channel: str) -> services.Filing:
    return services.Filing(
        kind=str(data["kind"]),
        channel=channel,
        category=str(data["category"]),
        region=data["region"],  # type: ignore[arg-type]
        text=str(data["text"]),
        anonymous=bool(data.get("anonymous")) and data["kind"] == CaseKind.REPORT,
        name=str(data.get("name") or ""),
        document=str(data.get("document") or ""),
        phone=str(data.get("phone") or ""),
        subject_type=str(data.get("subject_type") or "") if data["kind"] == CaseKind.REPORT else "",
        subject_text=str(data.get("subject_text") or ""),
        amount_fen=_fen(data.get("amount")),  # type: ignore[arg-type]
        scheme=Scheme.objects.filter(code="resident_medical").first(),
    )


# --- Public pages -------------------------------------------------------------------------


@never_cache
@require_GET
def challenge(request: HttpRequest) -> JsonResponse:
    """A new proof-of-work challenge for the filing form's widget."""
    return JsonResponse(captcha.new_challenge())


@never_cache
@require_http_methods(["GET", "POST"])
def file_case(request: HttpRequest) -> HttpResponse:
    form = FilingForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        if not captcha.verify(str(request.POST.get("altcha", ""))):
            form.add_error(None, _("The check that you are a person did not succeed. Try again."))
        elif not throttle.allow_filing(throttle.client_address(request)):
            context["form"] = form
            form.add_error(None, _("Too many filings from your address. Try again in an hour."))
            return render(request, "desk/public_file.html", context, status=429)
        else:
            try:
                filed = services.receive(_filing(form.cleaned_data, Channel.WEB), acting_user=None)
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                return render(
                    request,
                    "desk/public_filed.html",
                    {"case": filed.case, "secret": filed.secret},
                )
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/public_file.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Status, deadline and answer of a case, for whoever holds its number and proof; the
    same message whether the number exists or not, and wrong tries throttled."""
    form = TrackForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method != "POST":
        return render(request, "desk/public_track.html", context)
    if not form.is_valid():
        return render(request, "desk/public_track.html", context, status=400)
    number = tracking.normalise(form.cleaned_data["number"])
    proof = str(form.cleaned_data["proof"]).strip()
    client = throttle.client_address(request)
    if throttle.lookup_blocked(client, number):
        context["error"] = _("Too many wrong tries. Please wait a minute and try again.")
        return render(request, "desk/public_track.html", context, status=429)
    case = _match(number, proof)
    if case is None:
        throttle.count_wrong_lookup(client, number)
        context["error"] = _(
            "No case matches this tracking number and proof. Check both and try again."
        )
        return render(request, "desk/public_track.html", context, status=400)
    context["found"] = {
        "state": case.get_state_display(),
        "anonymous": case.anonymous,
        "deadline": None if case.anonymous else case.deadline,
        "answer": "" if case.anonymous else case.answer,
        "answered_on": None if case.anonymous else case.answered_on,
    }
    return render(request, "desk/public_track.html", context)


def _match(number: str, proof: str) -> Case | None:
    """The case this number and proof open, or None. One password-hash check whatever the
    outcome, so the time taken does not tell a known number from an unknown one."""
    case = Case.objects.filter(number=number).first() if tracking.well_formed(number) else None
    if case is not None and case.anonymous:
        return case if tracking.secret_matches(proof, case.secret_hash) else None
    tracking.secret_matches(proof, _dummy_hash())
    if case is None or len(proof) != 4:
        return None
    return case if tracking.last_four(case.filer_document) == proof.upper() else None


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random code, made once: what a lookup without a secret checks against."""
    return tracking.hash_secret(tracking.new_secret())


# --- Staff pages --------------------------------------------------------------------------


def _flags(request: HttpRequest) -> dict[str, object]:
    return {
        "kind": request.GET.get("kind", ""),
        "state": request.GET.get("state", ""),
        "category": request.GET.get("category", ""),
        "overdue": request.GET.get("overdue") == "1",
        "mine": request.GET.get("mine") == "1",
        "escalated": request.GET.get("escalated") == "1",
    }


def _list(request: AuthedRequest) -> object:
    flags = _flags(request)
    return queries.filtered(request.user, today=local_today(), **flags)  # type: ignore[arg-type]


@requires(services.VIEW)
def case_list(request: AuthedRequest) -> HttpResponse:
    flags = _flags(request)
    page = page_of(request, _list(request))
    query = "&".join(f"{k}={'1' if v is True else v}" for k, v in flags.items() if v)
    return render(
        request,
        "desk/case_list.html",
        {
            "page_obj": page,
            "flags": flags,
            "query": query,
            "kinds": CaseKind.choices,
            "states": CaseState.choices,
            "categories": Category.choices,
            "today": local_today(),
        },
    )


def _columns() -> tuple[Column[Case], ...]:
    return (
        Column("number", gettext_lazy("Tracking number"), lambda c: c.number),
        Column("kind", gettext_lazy("Kind"), lambda c: c.get_kind_display()),
        Column("channel", gettext_lazy("Channel"), lambda c: c.get_channel_display()),
        Column("category", gettext_lazy("Category"), lambda c: c.get_category_display()),
        Column("region", gettext_lazy("Region"), lambda c: c.region.name),
        Column("state", gettext_lazy("State"), lambda c: c.get_state_display()),
        Column("escalated", gettext_lazy("Escalated"), lambda c: c.escalated),
        Column("received_on", gettext_lazy("Received on"), lambda c: c.received_on),
        Column("deadline", gettext_lazy("Answer due"), lambda c: c.deadline),
        Column(
            "organisation",
            gettext_lazy("Handled by"),
            lambda c: c.organisation.name if c.organisation else "",
        ),
        Column(
            "filer", gettext_lazy("Filer"), lambda c: "" if c.anonymous else mask_name(c.filer_name)
        ),
        Column("amount_fen", gettext_lazy("Money at stake (fen)"), lambda c: c.amount_fen),
    )


@requires(services.VIEW)
def case_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The list as CSV or xlsx: names masked, no document number or phone."""
    return exports.export_response(
        request,
        list_name="desk.cases",
        rows=_list(request),  # type: ignore[arg-type]
        columns=_columns(),
        fmt=fmt,
        filename="desk-cases",
        filters={k: v for k, v in _flags(request).items() if v},
    )


@requires(services.VIEW)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = queries.case_for(request.user, pk)
    return _detail(request, case)


def _detail(request: AuthedRequest, case: Case, status: int = 200, **forms: object) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {
        "case": case,
        "replies": case.replies.select_related("author"),
        "referral": case.referrals.first(),
        "overdue": case.is_open and case.deadline < local_today(),
        "can_handle": user.can(services.HANDLE),
        "can_route": user.can(services.ROUTE),
        "can_reveal": user.can(services.REVEAL),
        "filer": None
        if case.anonymous
        else {
            "name": mask_name(case.filer_name),
            "document": mask_document(case.filer_document),
            "phone": mask_phone(case.filer_phone),
        },
        "route_form": forms.get("route_form") or RouteForm(user=user),
        "note_form": forms.get("note_form") or TextForm(prefix="note"),
        "answer_form": forms.get("answer_form") or TextForm(prefix="answer"),
        "close_form": forms.get("close_form") or CloseForm(),
        "confirm_form": forms.get("confirm_form") or ConfirmForm(),
        "revealed": forms.get("revealed"),
        "states": CaseState,
    }
    return render(request, "desk/case_detail.html", context, status=status)


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    case = queries.case_for(request.user, pk)
    user = request.user
    try:
        if action == "route":
            form = RouteForm(request.POST, user=user)
            if not form.is_valid():
                return _detail(request, case, 400, route_form=form)
            services.reroute(
                case,
                form.cleaned_data["organisation"],
                acting_user=user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The case is routed."))
        elif action == "assign":
            services.assign(case, user, acting_user=user)
            messages.success(request, _("The case is assigned to you."))
        elif action in ("note", "answer"):
            text_form = TextForm(request.POST, prefix=action)
            if not text_form.is_valid():
                return _detail(request, case, 400, **{f"{action}_form": text_form})
            if action == "note":
                services.add_note(case, text_form.cleaned_data["text"], acting_user=user)
                messages.success(request, _("The note is added."))
            else:
                services.answer(case, text_form.cleaned_data["text"], acting_user=user)
                messages.success(request, _("The answer is sent to the filer."))
        elif action == "close":
            close_form = CloseForm(request.POST)
            if not close_form.is_valid():
                return _detail(request, case, 400, close_form=close_form)
            services.close(case, close_form.cleaned_data["satisfaction"], acting_user=user)
            messages.success(request, _("The case is closed."))
        elif action == "escalate":
            services.escalate(case, acting_user=user, reason=str(request.POST.get("reason", "")))
            messages.success(request, _("The case is escalated to the supervisors."))
        elif action == "refer":
            services.refer_to_audit(case, acting_user=user, note=str(request.POST.get("note", "")))
            messages.success(request, _("The report is referred to audit."))
        elif action == "confirm":
            confirm_form = ConfirmForm(request.POST)
            if not confirm_form.is_valid():
                return _detail(request, case, 400, confirm_form=confirm_form)
            services.confirm_report(
                case, int(confirm_form.cleaned_data["verified"] * 100), acting_user=user
            )
            messages.success(request, _("The verified amount and the reward are recorded."))
        elif action == "reveal":
            revealed = services.reveal_reporter(case, acting_user=user)
            return _detail(request, case, revealed=revealed)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, str(error.message))
        return _detail(request, queries.case_for(user, pk), 400)
    return redirect("desk:case_detail", pk=pk)


def _action_view(action: str, capability: str) -> Callable[..., HttpResponse]:
    @require_POST
    @requires(capability)
    def view(request: AuthedRequest, pk: int) -> HttpResponse:
        return _act(request, pk, action)

    view.__name__ = f"case_{action}"
    return view


case_route = _action_view("route", services.ROUTE)
case_assign = _action_view("assign", services.HANDLE)
case_note = _action_view("note", services.HANDLE)
case_answer = _action_view("answer", services.HANDLE)
case_close = _action_view("close", services.HANDLE)
case_escalate = _action_view("escalate", services.HANDLE)
case_refer = _action_view("refer", services.HANDLE)
case_confirm = _action_view("confirm", services.HANDLE)
case_reveal = _action_view("reveal", services.REVEAL)


@requires(services.INTAKE)
@require_http_methods(["GET", "POST"])
def intake(request: AuthedRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        received: dt.date | None = form.cleaned_data.get("received_on")
        try:
            filed = services.receive(
                _filing(form.cleaned_data, form.cleaned_data["channel"]),
                acting_user=request.user,
                received_on=received,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            if filed.secret:
                messages.info(
                    request,
                    _("Tell the filer their secret code, shown only now: %(code)s")
                    % {"code": filed.secret},
                )
            return redirect("desk:case_detail", pk=filed.case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/intake.html", {"form": form}, status=status)


# --- Routing rules ------------------------------------------------------------------------


def _rule_columns() -> tuple[Column[RoutingRule], ...]:
    return (
        Column("category", gettext_lazy("Category"), lambda r: r.get_category_display()),
        Column("region", gettext_lazy("Cases from"), lambda r: r.region.name),
        Column("organisation", gettext_lazy("Handled by"), lambda r: r.organisation.name),
    )


@requires(services.EDIT_ROUTING)
def rule_list(request: AuthedRequest) -> HttpResponse:
    rules = queries.rules_for(request.user).order_by("category", "region__path")
    return render(
        request,
        "desk/rule_list.html",
        {"page_obj": page_of(request, rules), "categories": Category.choices},
    )


@requires(services.EDIT_ROUTING)
def rule_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    return exports.export_response(
        request,
        list_name="desk.routing_rules",
        rows=queries.rules_for(request.user).order_by("category", "region__path"),
        columns=_rule_columns(),
        fmt=fmt,
        filename="desk-routing-rules",
    )


def _rule_form(request: AuthedRequest, rule: RoutingRule | None) -> HttpResponse:
    initial = (
        {"category": rule.category, "region": rule.region_id, "organisation": rule.organisation_id}
        if rule is not None
        else {}
    )
    form = RuleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if rule is None:
                services.add_rule(
                    data["category"],
                    data["region"],
                    data["organisation"],
                    acting_user=request.user,
                )
                messages.success(request, _("The routing rule is added."))
            else:
                services.edit_rule(
                    rule,
                    data["category"],
                    data["region"],
                    data["organisation"],
                    acting_user=request.user,
                )
                messages.success(request, _("The routing rule is changed."))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            form.add_domain_errors(error)
        else:
            return redirect("desk:rule_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "desk/rule_form.html", {"form": form, "rule": rule}, status=status)


@requires(services.EDIT_ROUTING)
@require_http_methods(["GET", "POST"])
def rule_new(request: AuthedRequest) -> HttpResponse:
    return _rule_form(request, None)


@requires(services.EDIT_ROUTING)
@require_http_methods(["GET", "POST"])
def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _rule_form(request, queries.rule_for(request.user, pk))


@requires(services.EDIT_ROUTING)
@require_http_methods(["GET", "POST"])
def rule_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    rule = queries.rule_for(request.user, pk)
    if request.method == "POST":
        services.delete_rule(rule, acting_user=request.user)
        messages.success(request, _("The routing rule is deleted."))
        return redirect("desk:rule_list")
    return render(request, "desk/rule_delete.html", {"rule": rule})

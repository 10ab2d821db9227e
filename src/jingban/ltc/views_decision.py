"""The decision part's pages: notices (staff and public), objections, decisions and their
letters, entitlements and their changes, institutions' status reports. Views stay thin: the
rules are in ``services_decision``, the scope in ``queries_decision``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jingban.core import exports
from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError, NotFound
from jingban.core.exports import Column
from jingban.core.models import Region
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.desk import captcha
from jingban.desk import throttle as desk_throttle
from jingban.desk.models import Attempt
from jingban.ltc import queries_decision as queries
from jingban.ltc import services_decision as services
from jingban.ltc.forms_decision import (
    ChangeForm,
    DecisionForm,
    ObjectionForm,
    ReassessForm,
    StatusReportForm,
)
from jingban.ltc.models import (
    Decision,
    Entitlement,
    EntitlementStatus,
    Notice,
    NoticeStatus,
    ObjectionChannel,
)
from jingban.registry.documents import mask_document

VIEW = "ltc.entitlement.view"
NOTICE = "ltc.notice.manage"
DECIDE = "ltc.decision.issue"
CHANGE = "ltc.entitlement.change"
REPORT = "ltc.status.report"

# Public objections from one address in an hour.
OBJECTIONS_PER_HOUR = 5


def _level(level: int) -> str:
    return str(services.LEVEL_NAMES.get(level, level))


# --- Public pages -----------------------------------------------------------------------------


@never_cache
@require_GET
def public_notices(request: HttpRequest) -> HttpResponse:
    """The notices open for objection, by village or community: the masked name, the level and
    the period; nothing else about the person."""
    day = local_today()
    region_code = str(request.GET.get("region", ""))[:12]
    notices = queries.public_notices(day, region_code)
    regions = Region.objects.filter(
        pk__in=queries.public_notices(day).values("region_id")
    ).order_by("code")
    page = page_of(request, notices)
    return render(
        request,
        "ltc/decision/public_notices.html",
        {
            "page_obj": page,
            "regions": regions,
            "region_code": region_code,
            "rows": [(n, _level(n.level)) for n in page],
            "query": f"region={region_code}" if region_code else "",
        },
    )


def _allow_objection(request: HttpRequest) -> bool:
    """Count one public objection from the address; False past the hourly limit."""
    key = f"ltc-objection:ip:{desk_throttle.client_address(request)}"
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        if Attempt.objects.filter(key=key, at__gte=now - dt.timedelta(hours=1)).count() >= (
            OBJECTIONS_PER_HOUR
        ):
            return False
        Attempt.objects.create(key=key, at=now)
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def public_objection(request: HttpRequest, pk: int) -> HttpResponse:
    notice = Notice.objects.select_related("region").filter(pk=pk).first()
    if notice is None:
        return render(request, "ltc/decision/public_gone.html", status=404)
    form = ObjectionForm(request.POST or None)
    context: dict[str, object] = {"notice": notice, "form": form, "level": _level(notice.level)}
    open_now = notice.status == NoticeStatus.POSTED and local_today() <= notice.ends_on
    context["open_now"] = open_now
    if request.method == "POST" and form.is_valid():
        if not captcha.verify(str(request.POST.get("altcha", ""))):
            form.add_error(None, _("The check that you are a person did not succeed. Try again."))
        elif not _allow_objection(request):
            form.add_error(None, _("Too many objections from your address. Try again in an hour."))
            return render(request, "ltc/decision/public_objection.html", context, status=429)
        else:
            try:
                services.file_objection(
                    notice,
                    _objection_input(form.cleaned_data),
                    channel=ObjectionChannel.PUBLIC,
                    by=None,
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                return render(request, "ltc/decision/public_objected.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "ltc/decision/public_objection.html", context, status=status)


def _objection_input(data: dict[str, object]) -> services.ObjectionInput:
    return services.ObjectionInput(
        objector=str(data["objector"]),
        reason=str(data["reason"]),
        objector_name=str(data.get("objector_name") or ""),
        contact=str(data.get("contact") or ""),
    )


# --- Notices (staff) --------------------------------------------------------------------------


@requires(NOTICE)
def notice_list(request: AuthedRequest) -> HttpResponse:
    day = local_today()
    page = page_of(request, queries.notices_for(request.user))
    return render(
        request,
        "ltc/decision/notice_list.html",
        {
            "to_post": list(queries.cases_to_post(request.user)[:50]),
            "page_obj": page,
            "rows": [(n, _level(n.level)) for n in page],
            "today": day,
        },
    )


def _notice_columns() -> tuple[Column[Notice], ...]:
    return (
        Column("case", gettext_lazy("Case number"), lambda n: n.case.number),
        Column("name", pgettext_lazy("person", "Name"), lambda n: n.masked_name),
        Column("region", gettext_lazy("Posted in"), lambda n: n.region.name),
        Column("level", gettext_lazy("Disability level"), lambda n: _level(n.level)),
        Column("posted_on", gettext_lazy("Posted on"), lambda n: n.posted_on),
        Column("ends_on", gettext_lazy("Notice ends on"), lambda n: n.ends_on),
        Column("status", gettext_lazy("Status"), lambda n: n.get_status_display()),
    )


@requires(NOTICE)
def notice_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    return exports.export_response(
        request,
        list_name="ltc.notices",
        rows=queries.notices_for(request.user),
        columns=_notice_columns(),
        fmt=fmt,
        filename="ltc-notices",
        filters={},
    )


@requires(NOTICE)
@require_http_methods(["GET", "POST"])
def notice_post(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST posts the result."""
    case = queries.case_for(request.user, pk)
    conclusion = services.conclusion_of(case)
    if request.method == "POST":
        try:
            notice = services.post_notice(case, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("ltc:notice_list")
        messages.success(request, _("The result is on public notice."))
        return redirect("ltc:notice_detail", notice.pk)
    return render(
        request,
        "ltc/decision/notice_post.html",
        {
            "case": case,
            "masked_name": services.mask_name(case.person.name),
            "level": _level(conclusion.level)
            if conclusion and conclusion.level is not None
            else "",
        },
    )


def _notice_page(
    request: AuthedRequest, notice: Notice, form: ObjectionForm | None = None, status: int = 200
) -> HttpResponse:
    case = notice.case
    return render(
        request,
        "ltc/decision/notice_detail.html",
        {
            "notice": notice,
            "case": case,
            "level": _level(notice.level),
            "objections": notice.objections.select_related("reassessment").all(),
            "form": form or ObjectionForm(),
            "can_draw": case.status == "objected",
            "can_decide": request.user.can(DECIDE)
            and services.ready_for_decision(case, local_today()),
            "reassessment": case.assessments.order_by("-round").first()
            if notice.status == NoticeStatus.OBJECTED
            else None,
        },
        status=status,
    )


@requires(NOTICE)
def notice_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _notice_page(request, queries.notice_for(request.user, pk))


@requires(NOTICE)
@require_http_methods(["GET", "POST"])
def notice_objection(request: AuthedRequest, pk: int) -> HttpResponse:
    """An objection received at the counter, by phone or by letter, entered by staff."""
    notice = queries.notice_for(request.user, pk)
    if request.method != "POST":
        return redirect("ltc:notice_detail", notice.pk)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            services.file_objection(
                notice,
                _objection_input(form.cleaned_data),
                channel=ObjectionChannel.STAFF,
                by=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The objection is recorded."))
            return redirect("ltc:notice_detail", notice.pk)
    return _notice_page(request, notice, form, status=400)


@requires(NOTICE)
@require_http_methods(["GET", "POST"])
def reassessment_draw(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST draws the re-assessment's assessors."""
    case = queries.case_for(request.user, pk)
    notice = case.notices.order_by("-posted_on", "-id").first()
    if notice is None:
        raise NotFound()
    if request.method == "POST":
        try:
            services.draw_reassessment(case, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The re-assessment is drawn."))
        return redirect("ltc:notice_detail", notice.pk)
    return render(
        request,
        "ltc/decision/reassessment_draw.html",
        {"case": case, "notice": notice, "previous": len(services.previous_assessor_ids(case))},
    )


# --- Decisions --------------------------------------------------------------------------------


@requires(DECIDE)
def decision_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(request, queries.decisions_for(request.user))
    return render(
        request,
        "ltc/decision/decision_list.html",
        {
            "to_decide": list(queries.cases_to_decide(request.user, local_today())[:50]),
            "page_obj": page,
            "rows": [(d, _level(d.level)) for d in page],
        },
    )


def _decision_columns() -> tuple[Column[Decision], ...]:
    return (
        Column("case", gettext_lazy("Case number"), lambda d: d.case.number),
        Column("level", gettext_lazy("Disability level"), lambda d: _level(d.level)),
        Column("covered", gettext_lazy("Benefit granted"), lambda d: d.covered),
        Column("decided_on", gettext_lazy("Decided on"), lambda d: d.decided_on),
        Column("start_on", gettext_lazy("Benefit from"), lambda d: d.start_on),
        Column("end_on", gettext_lazy("Valid until"), lambda d: d.end_on),
        Column(
            "letter",
            gettext_lazy("Letter number"),
            lambda d: d.document.number if d.document else "",
        ),
    )


@requires(DECIDE)
def decision_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    return exports.export_response(
        request,
        list_name="ltc.decisions",
        rows=queries.decisions_for(request.user),
        columns=_decision_columns(),
        fmt=fmt,
        filename="ltc-decisions",
        filters={},
    )


@requires(DECIDE)
@require_http_methods(["GET", "POST"])
def decision_issue(request: AuthedRequest, pk: int) -> HttpResponse:
    case = queries.case_for(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.issue_decision(
                case,
                by=request.user,
                delivery=form.cleaned_data["delivery"],
                delivered_on=form.cleaned_data.get("delivered_on"),
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The decision is issued."))
            return redirect("ltc:decision_detail", decision.pk)
    conclusion = services.conclusion_of(case)
    return render(
        request,
        "ltc/decision/decision_issue.html",
        {
            "case": case,
            "form": form,
            "masked_name": services.mask_name(case.person.name),
            "level": _level(conclusion.level)
            if conclusion and conclusion.level is not None
            else "",
            "ready": services.ready_for_decision(case, local_today()),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(VIEW)
def decision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for(request.user, pk)
    return render(
        request,
        "ltc/decision/decision_detail.html",
        {
            "decision": decision,
            "level": _level(decision.level),
            "masked_name": services.mask_name(decision.person.name),
        },
    )


@requires(VIEW)
def decision_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = queries.decision_for(request.user, pk)
    if decision.document is None:
        raise NotFound()
    content = services.render_letter(
        decision, verify_url=request.build_absolute_uri(reverse("documents:verify"))
    )
    log_action(
        acting_user=request.user,
        action="ltc.decision.letter_downloaded",
        object_type="ltc.case",
        object_id=decision.case_id,
        region_path=decision.region_path,
        after={"document": decision.document.number},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{decision.document.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


# --- Entitlements -----------------------------------------------------------------------------


def _entitlements(request: AuthedRequest) -> QuerySet[Entitlement]:
    rows = queries.entitlements_for(request.user)
    status = str(request.GET.get("status", ""))
    if status in EntitlementStatus.values:
        rows = rows.filter(status=status)
    return rows


@requires(VIEW)
def entitlement_list(request: AuthedRequest) -> HttpResponse:
    status = str(request.GET.get("status", ""))
    page = page_of(request, _entitlements(request))
    return render(
        request,
        "ltc/decision/entitlement_list.html",
        {
            "page_obj": page,
            "rows": [(e, _level(e.level), services.mask_name(e.person.name)) for e in page],
            "statuses": EntitlementStatus.choices,
            "status": status,
            "query": f"status={status}" if status else "",
        },
    )


def _entitlement_columns() -> tuple[Column[Entitlement], ...]:
    return (
        Column(
            "name", pgettext_lazy("person", "Name"), lambda e: services.mask_name(e.person.name)
        ),
        Column(
            "document",
            gettext_lazy("Document number"),
            lambda e: mask_document(e.person.document_type, e.person.document_number),
        ),
        Column("region", gettext_lazy("Region"), lambda e: e.person.region.name),
        Column("level", gettext_lazy("Disability level"), lambda e: _level(e.level)),
        Column("severity", gettext_lazy("Severity"), lambda e: e.get_severity_display()),
        Column("start_on", gettext_lazy("Benefit from"), lambda e: e.start_on),
        Column("end_on", gettext_lazy("Valid until"), lambda e: e.end_on),
        Column("status", gettext_lazy("Status"), lambda e: e.get_status_display()),
        Column("reassess_on", gettext_lazy("Re-assessment scheduled on"), lambda e: e.reassess_on),
    )


@requires(VIEW)
def entitlement_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    status = str(request.GET.get("status", ""))
    return exports.export_response(
        request,
        list_name="ltc.entitlements",
        rows=_entitlements(request),
        columns=_entitlement_columns(),
        fmt=fmt,
        filename="ltc-entitlements",
        filters={"status": status} if status else {},
    )


@requires(VIEW)
def entitlement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entitlement = queries.entitlement_for(request.user, pk)
    user = request.user
    return render(
        request,
        "ltc/decision/entitlement_detail.html",
        {
            "entitlement": entitlement,
            "level": _level(entitlement.level),
            "masked_name": services.mask_name(entitlement.person.name),
            "masked_document": mask_document(
                entitlement.person.document_type, entitlement.person.document_number
            ),
            "events": [(e, services.REASONS.get(e.reason, "")) for e in entitlement.events.all()],
            "care_plans": entitlement.care_plans.select_related("provider__organisation"),
            "reports": entitlement.status_reports.all(),
            "reassessments": entitlement.reassessments.all(),
            "decision": queries.decisions_for(user).filter(entitlement=entitlement).first()
            or queries.decisions_for(user).filter(case=entitlement.case).first(),
            "can_change": user.can(CHANGE),
            "can_report": user.can(REPORT),
            "statuses": EntitlementStatus,
        },
    )


_CHANGES = {
    "suspend": (
        services.suspend,
        ("hospital", "request", "moved", "fraud", "other"),
        gettext_lazy("Suspend the benefit"),
        gettext_lazy("The benefit is suspended."),
    ),
    "resume": (
        services.resume,
        ("request", "other"),
        gettext_lazy("Resume the benefit"),
        gettext_lazy("The benefit is resumed."),
    ),
    "stop": (
        services.stop,
        ("deceased", "moved", "fraud", "request", "other"),
        gettext_lazy("Stop the benefit"),
        gettext_lazy("The benefit is stopped."),
    ),
}


@requires(CHANGE)
@require_http_methods(["GET", "POST"])
def entitlement_change(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """GET asks for the reason and a confirmation; POST changes the entitlement."""
    if action not in _CHANGES:
        raise NotFound()
    entitlement = queries.entitlement_for(request.user, pk)
    function, reasons, title, done = _CHANGES[action]
    form = ChangeForm(
        request.POST or None, reasons=reasons, initial={"effective_on": local_today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            function(
                entitlement,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data.get("note") or "",
                effective_on=form.cleaned_data["effective_on"],
                by=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, str(done))
            return redirect("ltc:entitlement_detail", entitlement.pk)
    return render(
        request,
        "ltc/decision/entitlement_change.html",
        {
            "entitlement": entitlement,
            "form": form,
            "title": title,
            "action": action,
            "level": _level(entitlement.level),
            "masked_name": services.mask_name(entitlement.person.name),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(CHANGE)
@require_http_methods(["GET", "POST"])
def entitlement_reassess(request: AuthedRequest, pk: int) -> HttpResponse:
    """Order a re-assessment on a complaint or fraud report received by the desk."""
    entitlement = queries.entitlement_for(request.user, pk)
    form = ReassessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.order_from_desk(
                entitlement,
                form.cleaned_data["desk_case"],
                by=request.user,
                note=form.cleaned_data.get("note") or "",
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request, _("Re-assessment %(number)s is opened.") % {"number": case.number}
            )
            return redirect("ltc:entitlement_detail", entitlement.pk)
    return render(
        request,
        "ltc/decision/entitlement_reassess.html",
        {
            "entitlement": entitlement,
            "form": form,
            "level": _level(entitlement.level),
            "masked_name": services.mask_name(entitlement.person.name),
        },
        status=400 if request.method == "POST" else 200,
    )


@requires(REPORT)
@require_http_methods(["GET", "POST"])
def status_report(request: AuthedRequest, pk: int) -> HttpResponse:
    """An institution reports a change of one of its own beneficiaries."""
    from jingban.providers.models import Institution

    entitlement = queries.entitlement_for(request.user, pk)
    organisation_id = request.user.organisation_id
    institution = (
        Institution.objects.filter(organisation_id=organisation_id).first()
        if organisation_id is not None
        else None
    )
    if institution is None:
        raise NotFound()
    form = StatusReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_status(
                entitlement,
                institution_id=institution.pk,
                kind=form.cleaned_data["kind"],
                event_on=form.cleaned_data["event_on"],
                note=form.cleaned_data.get("note") or "",
                suspend_benefit=bool(form.cleaned_data.get("suspend")),
                by=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request,
                _("The report is recorded.") + (f" {report.outcome}" if report.outcome else ""),
            )
            return redirect("ltc:entitlement_detail", entitlement.pk)
    return render(
        request,
        "ltc/decision/status_report.html",
        {
            "entitlement": entitlement,
            "form": form,
            "level": _level(entitlement.level),
            "masked_name": services.mask_name(entitlement.person.name),
        },
        status=400 if request.method == "POST" else 200,
    )

"""The intake part's pages: the case list (filters, export), a new application, a case with
its timeline, materials and assessments, acceptance, dispatch, the scoring form, the experts'
review; and the insured person's online application and own cases. Views are thin: the rules
are in ``services_intake``, what a user sees in ``queries_intake``."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core import exports
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError, NotFound
from jingban.core.exports import Column
from jingban.core.forms import add_domain_errors
from jingban.core.models import Region
from jingban.core.pagination import page_of
from jingban.core.scope import region_filter
from jingban.core.views.access import AuthedRequest, requires
from jingban.desk.masking import mask_name
from jingban.engine.policy.families.ltc import LtcAssessmentRules
from jingban.ltc import policy
from jingban.ltc import queries_intake as queries
from jingban.ltc import services_intake as svc
from jingban.ltc.forms_intake import (
    ApplicationForm,
    ConfirmForm,
    DecisionForm,
    MaterialForm,
    OnlineApplicationForm,
    ReviewForm,
    ScoreForm,
    WithdrawForm,
    self_answers,
)
from jingban.ltc.models import Assessment, AssessmentStatus, Case, CaseStatus, Channel
from jingban.ltc.plugin_intake import ACCEPT, APPLY, INTAKE, REVIEW, SCORE, VIEW
from jingban.registry.models import Person
from jingban.registry.queries import valid_authorisation


def _flags(request: AuthedRequest) -> dict[str, str]:
    return {k: str(request.GET.get(k, "")) for k in ("status", "channel", "due", "region")}


def _list(request: AuthedRequest) -> QuerySet[Case]:
    return queries.filtered(request.user, today=local_today(), **_flags(request))


@requires(VIEW)
def case_list(request: AuthedRequest) -> HttpResponse:
    flags = _flags(request)
    page = page_of(request, _list(request))
    query = "&".join(f"{k}={v}" for k, v in flags.items() if v)
    regions = Region.objects.filter(level="county")
    if request.user.region_id is not None:
        regions = regions.filter(path__startswith=request.user.region.path)  # type: ignore[union-attr]
    return render(
        request,
        "ltc/intake/case_list.html",
        {
            "page_obj": page,
            "flags": flags,
            "query": query,
            "statuses": CaseStatus.choices,
            "channels": Channel.choices,
            "regions": regions.order_by("code"),
            "today": local_today(),
            "open": queries.OPEN,
        },
    )


def _columns() -> tuple[Column[Case], ...]:
    return (
        Column("number", gettext_lazy("Case number"), lambda c: c.number),
        Column("applicant", gettext_lazy("Applicant"), lambda c: mask_name(c.person.name)),
        Column("region", gettext_lazy("Region"), lambda c: c.region.name),
        Column("channel", gettext_lazy("Channel"), lambda c: c.get_channel_display()),
        Column("status", gettext_lazy("Status"), lambda c: c.get_status_display()),
        Column("received_on", gettext_lazy("Received on"), lambda c: c.received_on),
        Column("due_on", gettext_lazy("Due on"), lambda c: c.due_on),
        Column(
            "self_assessment_grade",
            gettext_lazy("Self-assessment grade"),
            lambda c: svc.grade_label(c.self_assessment_grade),
        ),
    )


@requires(VIEW)
def case_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The list as CSV or xlsx: names masked, no document number."""
    return exports.export_response(
        request,
        list_name="ltc.cases",
        rows=_list(request),
        columns=_columns(),
        fmt=fmt,
        filename="ltc-cases",
        filters={k: v for k, v in _flags(request).items() if v},
    )


def _standard(region_code: str = "320500") -> LtcAssessmentRules:
    return policy.standard(region_code, local_today())[1]


@requires(INTAKE)
@require_http_methods(["GET", "POST"])
def case_new(request: AuthedRequest) -> HttpResponse:
    region = request.user.region.code if request.user.region_id else "320500"  # type: ignore[union-attr]
    rules = _standard(region)
    form = ApplicationForm(
        request.POST or None, rules=rules, initial={"received_on": local_today()}
    )
    if request.method == "POST" and form.is_valid():
        number = str(form.cleaned_data["document_number"]).strip().upper()
        person = (
            Person.objects.filter(region_filter(request.user, "region"))
            .filter(document_number=number)
            .select_related("region")
            .first()
        )
        if person is None:
            form.add_error(
                "document_number", _("No insured person with this ID number in your area.")
            )
        else:
            try:
                case = svc.apply(
                    svc.ApplicationInput(
                        person=person,
                        channel=form.cleaned_data["channel"],
                        received_on=form.cleaned_data["received_on"],
                        disability_since=form.cleaned_data["disability_since"],
                        answers=self_answers(form, rules),
                        care_institution=form.cleaned_data["care_institution"],
                        note=form.cleaned_data["note"],
                    ),
                    acting_user=request.user,
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(
                    request, _("The application %(number)s is recorded.") % {"number": case.number}
                )
                return redirect("ltc:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ltc/intake/case_new.html", {"form": form}, status=status)


def _detail(request: AuthedRequest, case: Case, status: int = 200, **forms: object) -> HttpResponse:
    user = request.user
    assessments = list(
        case.assessments.prefetch_related("assessors", "reviews__expert").order_by("round")
    )
    problems = svc.check(case) if case.status == CaseStatus.APPLIED and user.can(ACCEPT) else []
    kinds = _material_kinds(case) if case.status == CaseStatus.APPLIED else []
    context: dict[str, object] = {
        "case": case,
        "applicant": mask_name(case.person.name),
        "events": case.events.select_related("by"),
        "assessments": assessments,
        "grade": svc.grade_label(case.self_assessment_grade),
        "problems": problems,
        "overdue": case.status in queries.OPEN and case.due_on and case.due_on < local_today(),
        "can_accept": user.can(ACCEPT) and case.status == CaseStatus.APPLIED,
        "can_dispatch": user.can(ACCEPT) and case.status == CaseStatus.ACCEPTED,
        "can_withdraw": user.can(ACCEPT)
        and case.status in (CaseStatus.APPLIED, CaseStatus.ACCEPTED, CaseStatus.DISPATCHED),
        "to_score": [
            a
            for a in assessments
            if a.status == AssessmentStatus.PENDING and user.can(SCORE) and svc.is_drawn(a, user)
        ],
        "to_review": [
            a
            for a in assessments
            if a.status == AssessmentStatus.SUBMITTED
            and user.can(REVIEW)
            and svc.expert_of(user) is not None
        ],
        "materials": [
            (m, svc.material_label(m.kind))
            for m in case.materials.select_related("file", "by").order_by("at", "id")
        ],
        "material_form": forms.get("material_form")
        or (MaterialForm(prefix="material", kinds=kinds) if kinds else None),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "dispatch_form": forms.get("dispatch_form") or ConfirmForm(prefix="dispatch"),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(prefix="withdraw"),
        "statuses": CaseStatus,
    }
    return render(request, "ltc/intake/case_detail.html", context, status=status)


@requires(VIEW)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.case_for(request.user, pk))


@require_POST
@requires(ACCEPT)
def case_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    case = queries.case_for(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, case, 400, decision_form=form)
    try:
        if form.cleaned_data["decision"] == "accept":
            svc.accept(
                case,
                acting_user=request.user,
                paper_checked=bool(form.cleaned_data.get("paper_checked")),
            )
            messages.success(request, _("The application is accepted."))
        else:
            svc.refuse(
                case,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
            messages.success(request, _("The application is not accepted."))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        form.add_domain_errors(error)
        return _detail(request, queries.case_for(request.user, pk), 400, decision_form=form)
    return redirect("ltc:case_detail", pk=pk)


def _material_kinds(case: Case) -> list[tuple[str, str]]:
    """The kinds the pack requires of this application, as the upload form offers them."""
    try:
        _pack, rules = policy.case_rules(case)
    except policy.NoPack:
        return []
    return [(k.value, svc.material_label(k)) for k in svc.required_materials(case, rules)]


@require_POST
@requires(ACCEPT)
def case_material(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload one material of the application, by its kind."""
    case = queries.case_for(request.user, pk)
    form = MaterialForm(request.POST, request.FILES, prefix="material", kinds=_material_kinds(case))
    if not form.is_valid():
        return _detail(request, case, 400, material_form=form)
    try:
        svc.add_material(
            case, form.cleaned_data["kind"], form.cleaned_data["file"], acting_user=request.user
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        form.add_domain_errors(error)
        return _detail(request, queries.case_for(request.user, pk), 400, material_form=form)
    messages.success(request, _("The material is added."))
    return redirect("ltc:case_detail", pk=pk)


@require_POST
@requires(ACCEPT)
def case_dispatch(request: AuthedRequest, pk: int) -> HttpResponse:
    case = queries.case_for(request.user, pk)
    form = ConfirmForm(request.POST, prefix="dispatch")
    if not form.is_valid():
        return _detail(request, case, 400, dispatch_form=form)
    try:
        assessment = svc.dispatch(case, acting_user=request.user)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        form.add_domain_errors(error)
        return _detail(request, queries.case_for(request.user, pk), 400, dispatch_form=form)
    names = "、".join(a.name for a in assessment.assessors.all())
    messages.success(request, _("Assessors drawn: %(names)s.") % {"names": names})
    return redirect("ltc:case_detail", pk=pk)


@require_POST
@requires(ACCEPT)
def case_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    case = queries.case_for(request.user, pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        return _detail(request, case, 400, withdraw_form=form)
    try:
        svc.withdraw(case, note=form.cleaned_data["note"], acting_user=request.user)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        form.add_domain_errors(error)
        return _detail(request, queries.case_for(request.user, pk), 400, withdraw_form=form)
    messages.success(request, _("The application is withdrawn."))
    return redirect("ltc:case_detail", pk=pk)


def _assessment_for(request: AuthedRequest, pk: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("case", "case__person", "case__region")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise NotFound()
    queries.case_for(request.user, assessment.case_id)  # scope: 404 outside it
    return assessment


@requires(SCORE)
@require_http_methods(["GET", "POST"])
def score(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    if not svc.is_drawn(assessment, request.user):
        raise NotFound()
    case = assessment.case
    rules = policy.standard(case.region.code, case.received_on)[1]
    form = ScoreForm(
        request.POST or None,
        request.FILES or None,
        rules=rules,
        initial={"visited_on": local_today(), "instrument": assessment.instrument},
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.submit_scores(
                assessment,
                svc.ScoresInput(
                    scores=form.scores("item_"),
                    instrument=form.cleaned_data["instrument"],
                    barthel=form.scores("barthel_"),
                    visited_on=form.cleaned_data["visited_on"],
                    note=form.cleaned_data["note"],
                    evidence=form.cleaned_data.get("evidence") or [],
                ),
                acting_user=request.user,
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            add_domain_errors(form, error, field_map={"file": "evidence"})
        else:
            messages.success(request, _("The scores are submitted for review."))
            return redirect("ltc:case_detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "ltc/intake/score.html",
        {
            "form": form,
            "assessment": assessment,
            "case": case,
            "applicant": mask_name(case.person.name),
            "editable": assessment.status == AssessmentStatus.PENDING,
        },
        status=status,
    )


@requires(REVIEW)
@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk)
    # The page shows the round to whoever sees the case; only an expert gets the form (the
    # service refuses anyone else).
    can_review = (
        svc.expert_of(request.user) is not None
        and assessment.status == AssessmentStatus.SUBMITTED
        and not assessment.reviews.filter(by=request.user).exists()
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.review(
                assessment,
                confirm=form.cleaned_data["verdict"] == "confirm",
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Your review is recorded."))
            return redirect("ltc:case_detail", pk=assessment.case_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "ltc/intake/review.html",
        {
            "form": form,
            "assessment": assessment,
            "case": assessment.case,
            "applicant": mask_name(assessment.case.person.name),
            "reviews": assessment.reviews.select_related("expert"),
            "can_review": can_review,
        },
        status=status,
    )


# --- The insured person's pages -------------------------------------------------------------


def _people(request: AuthedRequest) -> list[tuple[int, str]]:
    """Whom the signed-in insured person may apply for: themself and those they are an
    authorised agent of for ``ltc_apply``."""
    from jingban.registry.queries import principals_of

    found: list[tuple[int, str]] = []
    own = getattr(request.user, "person", None)
    if own is not None:
        found.append((own.pk, own.name))
    for auth in principals_of(request.user):
        if "ltc_apply" in (auth.services or []) and auth.person_id not in {p for p, _ in found}:
            found.append((auth.person_id, auth.person.name))
    return found


@requires(APPLY)
@require_http_methods(["GET", "POST"])
def apply_online(request: AuthedRequest) -> HttpResponse:
    people = _people(request)
    rules = _standard()
    form = OnlineApplicationForm(request.POST or None, rules=rules, people=people)
    own = getattr(request.user, "person", None)
    if request.method == "POST" and form.is_valid():
        person_id = int(form.cleaned_data["person"])
        agent = None
        if own is None or person_id != own.pk:
            if valid_authorisation(request.user, person_id, "ltc_apply") is None:
                raise NotFound()
            agent = own
        person = Person.objects.select_related("region").get(pk=person_id)
        try:
            case = svc.apply(
                svc.ApplicationInput(
                    person=person,
                    channel=Channel.ONLINE,
                    received_on=local_today(),
                    disability_since=form.cleaned_data["disability_since"],
                    answers=self_answers(form, rules),
                    agent=agent,
                    note=form.cleaned_data["note"],
                ),
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request,
                _("Your application %(number)s is received. The centre answers by %(day)s.")
                % {"number": case.number, "day": case.due_on},
            )
            return redirect("ltc:my_cases")
    status = 400 if request.method == "POST" else 200
    return render(request, "ltc/intake/apply.html", {"form": form}, status=status)


@requires(APPLY)
def my_cases(request: AuthedRequest) -> HttpResponse:
    cases = queries.own_cases(request.user).order_by("-received_on", "-pk")
    return render(
        request,
        "ltc/intake/my_cases.html",
        {"cases": cases, "grade_label": svc.grade_label},
    )

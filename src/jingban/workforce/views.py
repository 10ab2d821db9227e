"""Pages of the workforce: caregivers and assessors (lists with filters and exports, detail,
forms), and the assessor draw with its replay. Views are thin: scope from ``queries``, rules in
``services``. Document numbers and phones are shown masked."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core import exports
from jingban.core.errors import ValidationFailed
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.forms import RevealForm
from jingban.registry.services.probes import LookupThrottled, find_by_number
from jingban.workforce import queries, services
from jingban.workforce.forms import (
    AffiliationForm,
    AssessorForm,
    CaregiverForm,
    DrawForm,
    QualificationForm,
)
from jingban.workforce.models import (
    Assessor,
    AssessorClass,
    Caregiver,
    Draw,
    StaffStatus,
)
from jingban.workforce.queries import (
    ASSESSOR_EDIT,
    ASSESSOR_VIEW,
    CAREGIVER_EDIT,
    CAREGIVER_VIEW,
    DRAW_RUN,
    DRAW_VIEW,
)

PAGE_SIZE = 25


def _query_string(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Caregivers ---------------------------------------------------------------------------------


def _filtered_caregivers(request: AuthedRequest) -> tuple[QuerySet[Caregiver], dict[str, str]]:
    rows = queries.caregivers_for(request.user)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    employer = request.GET.get("employer", "")
    if q:
        rows = rows.filter(name__icontains=q)
    if status in StaffStatus.values:
        rows = rows.filter(status=status)
    if employer.isdigit():
        rows = rows.filter(employer_id=int(employer))
    return rows.order_by("name", "pk"), {"q": q, "status": status, "employer": employer}


@requires(CAREGIVER_VIEW)
def caregiver_list(request: AuthedRequest) -> HttpResponse:
    rows, filters = _filtered_caregivers(request)
    page = page_of(request, rows, PAGE_SIZE)
    return render(
        request,
        "workforce/caregiver_list.html",
        {
            "page_obj": page,
            "rows": [(c, mask_phone(c.phone)) for c in page.object_list],
            "filters": filters,
            "statuses": StaffStatus.choices,
            "employers": queries.employers_for(request.user, services.CARE_EMPLOYERS),
            "query": _query_string(request),
            "may_edit": request.user.can(CAREGIVER_EDIT),
        },
    )


CAREGIVER_COLUMNS: tuple[exports.Column[Caregiver], ...] = (
    exports.Column("name", pgettext_lazy("person", "Name"), lambda c: c.name),
    exports.Column(
        "document",
        gettext_lazy("Document number"),
        lambda c: mask_document(c.document_type, c.document_number),
    ),
    exports.Column("phone", gettext_lazy("Check-in phone"), lambda c: mask_phone(c.phone)),
    exports.Column("employer", gettext_lazy("Employer"), lambda c: c.employer.name),
    exports.Column("status", gettext_lazy("Status"), lambda c: c.get_status_display()),
    exports.Column("training_hours", gettext_lazy("Training hours"), lambda c: c.training_hours),
    exports.Column("hired_on", gettext_lazy("Hired on"), lambda c: c.hired_on),
)


@requires(CAREGIVER_VIEW)
def caregiver_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    rows, filters = _filtered_caregivers(request)
    return exports.export_response(
        request,
        list_name="workforce.caregivers",
        rows=rows,
        columns=CAREGIVER_COLUMNS,
        fmt=fmt,
        filename="caregivers",
        filters={k: v for k, v in filters.items() if k != "q" and v},
    )


def _caregiver_page(
    request: AuthedRequest,
    caregiver: Caregiver,
    *,
    revealed: str = "",
    reveal_form: RevealForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit = request.user.can(CAREGIVER_EDIT)
    return render(
        request,
        "workforce/caregiver_detail.html",
        {
            "caregiver": caregiver,
            "revealed": revealed,
            "can_reveal": request.user.can(queries.STAFF_REVEAL),
            "reveal_form": reveal_form or RevealForm(),
            "document": revealed
            or mask_document(caregiver.document_type, caregiver.document_number),
            "phone": mask_phone(caregiver.phone),
            "qualifications": caregiver.qualifications.all(),
            "may_edit": may_edit,
        },
        status=status,
    )


@requires(CAREGIVER_VIEW)
def caregiver_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _caregiver_page(request, queries.caregiver_for(request.user, pk))


@require_POST
@requires(queries.STAFF_REVEAL)
def caregiver_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    """The full document number, for a stated purpose, logged (as the registry's reveal)."""
    caregiver = queries.caregiver_for(request.user, pk)
    form = RevealForm(request.POST)
    try:
        number = services.reveal_document(
            caregiver,
            acting_user=request.user,
            purpose=request.POST.get("purpose", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationFailed as error:
        form.is_valid()
        form.add_domain_errors(error)
        return _caregiver_page(request, caregiver, reveal_form=form, status=400)
    return _caregiver_page(request, caregiver, revealed=number)


@require_http_methods(["GET", "POST"])
@requires(CAREGIVER_EDIT)
def caregiver_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    caregiver = queries.caregiver_for(request.user, pk) if pk is not None else None
    if request.method == "POST":
        form = CaregiverForm(request.POST, user=request.user, instance=caregiver)
        if form.is_valid():
            try:
                saved = services.save_caregiver(
                    form.to_input(), acting_user=request.user, existing=caregiver
                )
            except ValidationFailed as error:
                form.add_domain_errors(error)
            else:
                messages.success(request, _("The caregiver's record is saved."))
                return redirect("workforce:caregiver_detail", pk=saved.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if caregiver is not None:
            initial = {
                "name": caregiver.name,
                "document_type": caregiver.document_type,
                "employer": caregiver.employer_id,
                "status": caregiver.status,
                "training_hours": caregiver.training_hours,
                "hired_on": caregiver.hired_on,
            }
        form = CaregiverForm(initial=initial, user=request.user, instance=caregiver)
        status = 200
    return render(
        request,
        "workforce/staff_form.html",
        {
            "form": form,
            "object": caregiver,
            "title": _("Edit caregiver") if caregiver else _("Register a caregiver"),
            "cancel": "workforce:caregiver_detail" if caregiver else "workforce:caregiver_list",
        },
        status=status,
    )


def _add_qualification(request: AuthedRequest, holder: Caregiver | Assessor) -> HttpResponse:
    is_caregiver = isinstance(holder, Caregiver)
    detail = "workforce:caregiver_detail" if is_caregiver else "workforce:assessor_detail"
    form = QualificationForm(request.POST or None, for_caregiver=is_caregiver)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_qualification(holder, form.to_input(), acting_user=request.user)
        except ValidationFailed as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The qualification is recorded."))
            return redirect(detail, pk=holder.pk)
    return render(
        request,
        "workforce/qualification_form.html",
        {"form": form, "holder": holder, "detail": detail},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@requires(CAREGIVER_EDIT)
def caregiver_qualification(request: AuthedRequest, pk: int) -> HttpResponse:
    return _add_qualification(request, queries.caregiver_for(request.user, pk))


# --- Assessors ----------------------------------------------------------------------------------


def _filtered_assessors(request: AuthedRequest) -> tuple[QuerySet[Assessor], dict[str, str]]:
    rows = queries.assessors_for(request.user)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    klass = request.GET.get("klass", "")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q))
    if status in StaffStatus.values:
        rows = rows.filter(status=status)
    if klass in AssessorClass.values:
        rows = rows.filter(klass=klass)
    return rows.order_by("name", "pk"), {"q": q, "status": status, "klass": klass}


@requires(ASSESSOR_VIEW)
def assessor_list(request: AuthedRequest) -> HttpResponse:
    rows, filters = _filtered_assessors(request)
    page = page_of(request, rows, PAGE_SIZE)
    return render(
        request,
        "workforce/assessor_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "statuses": StaffStatus.choices,
            "classes": AssessorClass.choices,
            "query": _query_string(request),
            "may_edit": request.user.can(ASSESSOR_EDIT),
        },
    )


ASSESSOR_COLUMNS: tuple[exports.Column[Assessor], ...] = (
    exports.Column("name", pgettext_lazy("person", "Name"), lambda a: a.name),
    exports.Column("class", gettext_lazy("Class"), lambda a: a.get_klass_display()),
    exports.Column(
        "document",
        gettext_lazy("Document number"),
        lambda a: mask_document(a.document_type, a.document_number),
    ),
    exports.Column(
        "organisation", gettext_lazy("Assessment institution"), lambda a: a.organisation.name
    ),
    exports.Column("status", gettext_lazy("Status"), lambda a: a.get_status_display()),
)


@requires(ASSESSOR_VIEW)
def assessor_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    rows, filters = _filtered_assessors(request)
    return exports.export_response(
        request,
        list_name="workforce.assessors",
        rows=rows,
        columns=ASSESSOR_COLUMNS,
        fmt=fmt,
        filename="assessors",
        filters={k: v for k, v in filters.items() if k != "q" and v},
    )


@requires(ASSESSOR_VIEW)
def assessor_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    assessor = queries.assessor_for(request.user, pk)
    may_edit = request.user.can(ASSESSOR_EDIT)
    return render(
        request,
        "workforce/assessor_detail.html",
        {
            "assessor": assessor,
            "document": mask_document(assessor.document_type, assessor.document_number),
            "phone": mask_phone(assessor.phone),
            "qualifications": assessor.qualifications.all(),
            "affiliations": assessor.affiliations.select_related("organisation"),
            "may_edit": may_edit,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(ASSESSOR_EDIT)
def assessor_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    assessor = queries.assessor_for(request.user, pk) if pk is not None else None
    if request.method == "POST":
        form = AssessorForm(request.POST, user=request.user, instance=assessor)
        if form.is_valid():
            try:
                saved = services.save_assessor(
                    form.to_input(), acting_user=request.user, existing=assessor
                )
            except ValidationFailed as error:
                form.add_domain_errors(error)
            else:
                messages.success(request, _("The assessor's record is saved."))
                return redirect("workforce:assessor_detail", pk=saved.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if assessor is not None:
            initial = {
                "name": assessor.name,
                "klass": assessor.klass,
                "document_type": assessor.document_type,
                "organisation": assessor.organisation_id,
                "status": assessor.status,
            }
        form = AssessorForm(initial=initial, user=request.user, instance=assessor)
        status = 200
    return render(
        request,
        "workforce/staff_form.html",
        {
            "form": form,
            "object": assessor,
            "title": _("Edit assessor") if assessor else _("Register an assessor"),
            "cancel": "workforce:assessor_detail" if assessor else "workforce:assessor_list",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires(ASSESSOR_EDIT)
def assessor_qualification(request: AuthedRequest, pk: int) -> HttpResponse:
    return _add_qualification(request, queries.assessor_for(request.user, pk))


@require_http_methods(["GET", "POST"])
@requires(ASSESSOR_EDIT)
def assessor_affiliation(request: AuthedRequest, pk: int) -> HttpResponse:
    assessor = queries.assessor_for(request.user, pk)
    form = AffiliationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_affiliation(assessor, form.to_input(), acting_user=request.user)
        except ValidationFailed as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The recusal link is recorded."))
            return redirect("workforce:assessor_detail", pk=assessor.pk)
    return render(
        request,
        "workforce/affiliation_form.html",
        {"form": form, "assessor": assessor},
        status=400 if request.method == "POST" else 200,
    )


# --- Draws --------------------------------------------------------------------------------------


def _named(draw: Draw) -> dict[str, Any]:
    """The draw's pool, exclusions and result with the assessors' names and reasons' labels."""
    ids = [i for v in draw.pool.values() for i in v] + [e["id"] for e in draw.excluded]
    by_id = queries.assessors_by_id(ids)
    labels = dict(AssessorClass.choices)
    result_ids = {i for v in draw.result.values() for i in v}

    def names(klass_ids: dict[str, list[int]]) -> list[tuple[str, list[Assessor | int]]]:
        return [(str(labels.get(k, k)), [by_id.get(i, i) for i in v]) for k, v in klass_ids.items()]

    excluded = [
        (
            by_id.get(e["id"], e["id"]),
            str(labels.get(e["class"], e["class"])),
            [str(services.REASON_LABELS.get(r, r)) for r in e["reasons"]],
        )
        for e in draw.excluded
    ]
    return {
        "pool": names(draw.pool),
        "result": names(draw.result),
        "excluded": excluded,
        "result_ids": result_ids,
    }


@requires(DRAW_VIEW)
def draw_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(request, queries.draws_for(request.user), PAGE_SIZE)
    return render(
        request,
        "workforce/draw_list.html",
        {"page_obj": page, "may_draw": request.user.can(DRAW_RUN)},
    )


@require_http_methods(["GET", "POST"])
@requires(DRAW_RUN)
def draw_new(request: AuthedRequest) -> HttpResponse:
    form = DrawForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applicant = find_by_number(request.user, data["applicant_document"])
        except LookupThrottled as error:
            form.add_error("applicant_document", str(error.message))
            applicant = None
        else:
            if applicant is None:
                form.add_error(
                    "applicant_document",
                    _("No insured person in your scope holds this document number."),
                )
        if applicant is not None:
            previous = data["previous_assessor"]
            try:
                draw = services.draw_assessors(
                    applicant,
                    data["care_institution"],
                    acting_user=request.user,
                    needed={
                        AssessorClass.ASSESSOR: data["assessors"],
                        AssessorClass.EXPERT: data["experts"],
                    },
                    previous_assessor_ids=[previous.pk] if previous else [],
                    exclude_previous=data["exclude_previous"],
                )
            except ValidationFailed as error:
                form.add_domain_errors(error)
            else:
                messages.success(request, _("The assessors are drawn and the draw is recorded."))
                return redirect("workforce:draw_detail", pk=draw.pk)
    return render(
        request,
        "workforce/draw_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@requires(DRAW_VIEW)
def draw_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    draw = queries.draw_for(request.user, pk)
    return render(
        request,
        "workforce/draw_detail.html",
        {
            "draw": draw,
            "applicant_document": mask_document(
                draw.applicant.document_type, draw.applicant.document_number
            ),
            **_named(draw),
        },
    )


@require_POST
@requires(DRAW_VIEW)
def draw_replay(request: AuthedRequest, pk: int) -> HttpResponse:
    draw = queries.draw_for(request.user, pk)
    outcome = services.replay(draw, acting_user=request.user)
    labels = dict(AssessorClass.choices)
    by_id = queries.assessors_by_id([i for v in outcome.redrawn.values() for i in v])
    return render(
        request,
        "workforce/draw_detail.html",
        {
            "draw": draw,
            "applicant_document": mask_document(
                draw.applicant.document_type, draw.applicant.document_number
            ),
            "replay": outcome,
            "redrawn": [
                (str(labels.get(k, k)), [by_id.get(i, i) for i in v])
                for k, v in outcome.redrawn.items()
            ],
            **_named(draw),
        },
    )

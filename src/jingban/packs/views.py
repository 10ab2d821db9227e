"""Pages of the policy packs: the list, a version with its figures and the comparison with the
previous approved version, importing a file, drafting a new version, and the review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jingban.core import exports
from jingban.core.engine_messages import describe
from jingban.core.errors import DomainError, ValidationFailed
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.engine.codes import Condition, CrossRegion, VisitType
from jingban.engine.medical import LAYER_LABELS, Claim, ClaimInvalid, ClaimRejected
from jingban.engine.medical.batch import Refusal
from jingban.engine.money import format_yuan
from jingban.engine.policy import Family, Figure, PackError, PolicyPack, Problem, load_pack_text
from jingban.engine.policy.schema import FAMILY_MODELS
from jingban.packs import figures, queries, services, structured, trial
from jingban.packs.forms import (
    FilterForm,
    PackDraftForm,
    PackImportForm,
    RejectForm,
    ReviewForm,
    TrialForm,
)
from jingban.packs.models import PackFamilyChoice, PackVersion


@requires(Cap.POLICY_VIEW)
def version_list(request: AuthedRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    query = status = ""
    if filters.is_valid():
        query = filters.cleaned_data.get("q") or ""
        status = filters.cleaned_data.get("status") or ""
    context = {
        "groups": queries.grouped_versions(request.user, query, status),
        "filters": filters,
        "filtered": bool(query or status),
        "can_edit": request.user.can(Cap.POLICY_EDIT),
    }
    template = "packs/_version_groups.html" if request.htmx else "packs/version_list.html"
    return render(request, template, context)


@dataclass(frozen=True)
class _Loaded:
    figures: tuple[Figure, ...]
    problem: str
    family: Family | None = None
    layout: int | None = None
    pack: PolicyPack | None = None


def _load(row: PackVersion) -> _Loaded:
    try:
        pack = queries.load_row(row)
    except queries.PackTampered as err:
        return _Loaded((), "; ".join(str(p) for p in err.problems))
    return _Loaded(pack.figures, "", pack.family, pack.layout, pack)


def _detail(request: AuthedRequest, row: PackVersion, *, status: int = 200) -> HttpResponse:
    user = request.user
    loaded = _load(row)
    language = get_language() or ""
    previous = queries.previous_approved(row)
    changes = None
    previous_problem = ""
    if previous is not None and not loaded.problem:
        before = _load(previous)
        previous_problem = before.problem
        if not before.problem:
            found = queries.compare_figures(before.figures, loaded.figures)
            changes = figures.change_rows(found, before.pack, loaded.pack, language)
    own = row.author_id == user.pk
    context = {
        "row": row,
        "title": row.title(language),
        "sections": figures.figure_sections(loaded.pack, language) if loaded.pack else [],
        "figure_count": sum(1 for f in loaded.figures if f.path not in ("version", "schema")),
        "family": PackFamilyChoice(loaded.family.value).label if loaded.family else "",
        "layout": loaded.layout,
        "can_try": loaded.family in trial.SETTLES_CLAIMS,
        "sample_count": sum(1 for f in loaded.figures if f.sample),
        "problem": loaded.problem,
        "previous": previous,
        "previous_problem": previous_problem,
        "changes": changes,
        "can_review": user.can(Cap.POLICY_APPROVE) and row.is_draft and not own,
        "own_draft": row.is_draft and own,
        "can_discard": user.can(Cap.POLICY_EDIT) and row.is_draft and own,
        "can_edit": user.can(Cap.POLICY_EDIT),
        "source_lines": row.content.splitlines(),
    }
    return render(request, "packs/version_detail.html", context, status=status)


@requires(Cap.POLICY_VIEW)
def version_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The stored text of a version as a file (export; the import page reads it back)."""
    row = queries.version_for(request.user, pk)
    response = HttpResponse(row.content, content_type="text/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{row.pack_id}.v{row.version}.yaml"'
    return response


@requires(Cap.POLICY_VIEW)
def version_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.version_for(request.user, pk))


@requires(Cap.POLICY_EDIT)
def version_create(request: AuthedRequest) -> HttpResponse:
    form = PackImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.import_pack_text(
                form.cleaned_data["text"],
                source=form.cleaned_data["source"],
                acting_user=request.user,
            )
        except ValidationFailed as err:
            form.add_domain_errors(err, content_field=form.content_field)
        else:
            messages.success(
                request,
                _("Imported %(spec)s as a draft. Another person must approve it.")
                % {"spec": row.spec},
            )
            return redirect("packs:version_detail", pk=row.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "packs/version_form.html", {"form": form, "based_on": None}, status=status
    )


@requires(Cap.POLICY_EDIT)
def version_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new version drafted in the structured form: one field per figure, generated from the
    schema of the pack's family. Adding or removing a row is a round trip that keeps what was
    typed; saving writes the pack text and stores it through the same service as the YAML
    editor, and the loader's problems come back beside their fields."""
    based_on = queries.version_for(request.user, pk)
    language = get_language() or ""
    loaded = _load(based_on)
    if loaded.pack is None:
        messages.error(request, _("This version does not load; draft from its text instead."))
        return redirect("packs:version_edit_yaml", pk=based_on.pk)
    model = FAMILY_MODELS[loaded.pack.family]
    base = structured.document_of(model, based_on.content)
    document = base
    summary: list[str] = []
    problems: list[Problem] = []
    status = 200
    if request.method == "POST":
        document = structured.from_post(structured.root(model), request.POST, "", base)
        action = request.POST.get("_action", "")
        if action:
            refused = structured.apply_action(model, document, action, request.POST)
            if refused:
                summary.append(refused)
                status = 400
        else:
            version = queries.next_version_number(based_on.pack_id)
            text, problems = structured.to_yaml(model, document, version)
            if not problems:
                try:
                    load_pack_text(text, source="<form>")
                except PackError as err:
                    problems = list(err.problems)
            if not problems:
                try:
                    row = services.draft_pack_version(
                        text, based_on=based_on, acting_user=request.user
                    )
                except ValidationFailed as err:
                    summary += [str(m) for m in err.fields.get("content", [])] or [str(err.message)]
                else:
                    messages.success(
                        request,
                        _("Saved %(spec)s as a draft. Another person must approve it.")
                        % {"spec": row.spec},
                    )
                    return redirect("packs:version_detail", pk=row.pk)
            status = 400
    sections = structured.build(model, document, language)
    summary += structured.attach_problems(sections, problems)
    context = {
        "based_on": based_on,
        "title": based_on.title(language),
        "sections": sections,
        "summary": summary,
        "next_version": queries.next_version_number(based_on.pack_id),
    }
    return render(request, "packs/version_structured.html", context, status=status)


@requires(Cap.POLICY_EDIT)
def version_edit_yaml(request: AuthedRequest, pk: int) -> HttpResponse:
    """The advanced view: a new version drafted as pack text (YAML), for import and export."""
    based_on = queries.version_for(request.user, pk)
    initial = services.bump_version_line(
        based_on.content, queries.next_version_number(based_on.pack_id)
    )
    form = PackDraftForm(request.POST or None, initial={"content": initial})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.draft_pack_version(
                form.cleaned_data["content"], based_on=based_on, acting_user=request.user
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(
                request,
                _("Saved %(spec)s as a draft. Another person must approve it.")
                % {"spec": row.spec},
            )
            return redirect("packs:version_detail", pk=row.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "packs/version_form.html", {"form": form, "based_on": based_on}, status=status
    )


def _confirm(
    request: AuthedRequest,
    row: PackVersion,
    act: str,
    form: ReviewForm | RejectForm | None,
    status: int = 200,
) -> HttpResponse:
    """The confirmation step before what cannot be undone: what is decided, then one button."""
    loaded = _load(row)
    previous = queries.previous_approved(row)
    changed = None
    if previous is not None and loaded.pack is not None:
        before = _load(previous)
        if before.pack is not None:
            changed = len(queries.compare_figures(before.figures, loaded.figures))
    context = {
        "row": row,
        "act": act,
        "form": form,
        "title": row.title(get_language() or ""),
        "previous": previous,
        "changed": changed,
        "sample_count": sum(1 for f in loaded.figures if f.sample),
        "problem": loaded.problem,
    }
    return render(request, "packs/version_confirm.html", context, status=status)


def _review(
    request: AuthedRequest,
    pk: int,
    act: str,
    form: ReviewForm | RejectForm,
    decide: Callable[[PackVersion, str], object],
    done: str,
) -> HttpResponse:
    """Approve or reject: a GET asks for confirmation (and the note); the POST decides, and its
    errors return to the confirmation page."""
    row = queries.version_for(request.user, pk)
    if request.method != "POST":
        if not row.is_draft:  # decided already: nothing to confirm
            return redirect("packs:version_detail", pk=row.pk)
        return _confirm(request, row, act, form)
    if not form.is_valid():
        return _confirm(request, row, act, form, status=400)
    try:
        decide(row, form.cleaned_data["note"])
    except ValidationFailed as err:
        form.add_domain_errors(err)
        return _confirm(request, row, act, form, status=400)
    except DomainError as err:
        messages.error(request, str(err.message))
    else:
        messages.success(request, done % {"spec": row.spec})
    return redirect("packs:version_detail", pk=row.pk)


@require_http_methods(["GET", "POST"])
@requires(Cap.POLICY_APPROVE)
def version_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _review(
        request,
        pk,
        "approve",
        ReviewForm(request.POST or None, prefix="approve"),
        lambda row, note: services.approve_version(row, note=note, acting_user=request.user),
        _("Approved %(spec)s."),
    )


@require_http_methods(["GET", "POST"])
@requires(Cap.POLICY_APPROVE)
def version_reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _review(
        request,
        pk,
        "reject",
        RejectForm(request.POST or None, prefix="reject"),
        lambda row, note: services.reject_version(row, reason=note, acting_user=request.user),
        _("Rejected %(spec)s."),
    )


@require_http_methods(["GET", "POST"])
@requires(Cap.POLICY_EDIT)
def version_discard(request: AuthedRequest, pk: int) -> HttpResponse:
    row = queries.version_for(request.user, pk)
    if request.method != "POST":
        if not row.is_draft:
            return redirect("packs:version_detail", pk=row.pk)
        return _confirm(request, row, "discard", None)
    try:
        services.discard_draft(row, acting_user=request.user)
    except DomainError as err:
        messages.error(request, str(err.message))
        return redirect("packs:version_detail", pk=row.pk)
    messages.success(request, _("Discarded the draft %(spec)s.") % {"spec": row.spec})
    return redirect("packs:version_list")


def _trial_claim(data: dict[str, Any]) -> Claim:
    return Claim(
        claim_id="trial",
        person_id="trial",
        visit_type=VisitType(data["visit_type"]),
        hospital_level=data["hospital_level"],
        service_date=data["service_date"],
        discharge_date=data["discharge_date"],
        total=data["total"],
        out_of_scope=data["out_of_scope"],
        class_b=data["class_b"],
        condition=Condition(data["condition"]) if data["condition"] else None,
        person_category=data["person_category"],
        cross_region=CrossRegion(data["cross_region"]),
    )


def _refusal_text(err: ClaimInvalid | ClaimRejected) -> str:
    message = str(err).removeprefix(f"{err.field}: ")
    return describe(Refusal(0, "trial", err.field, err.code, message, err.params))


_LAYER_FIGURES = (
    ("basic_fund", "basic"),
    ("critical_illness", "critical_illness"),
    ("medical_assistance", "medical_assistance"),
    ("supplementary", "supplementary"),
    ("out_of_pocket", "out_of_pocket"),
)


@requires(Cap.POLICY_VIEW)
def version_trial(request: AuthedRequest, pk: int) -> HttpResponse:
    """试算: a made-up claim settled with this version and the approved one before it."""
    row = queries.version_for(request.user, pk)
    language = get_language() or ""
    form = TrialForm(request.GET or None, initial={"service_date": row.effective_start})
    columns: list[dict[str, object]] = []
    layers: list[dict[str, object]] = []
    lines: list[dict[str, object]] = []
    if form.is_valid():
        claim = _trial_claim(form.cleaned_data)
        try:
            claim.check()
        except ClaimInvalid as err:
            form.add_error(err.field if err.field in form.fields else None, _refusal_text(err))
        else:
            results = trial.trial(row, claim)
            for result in results:
                refusal = _refusal_text(result.refusal) if result.refusal else result.problem
                columns.append(
                    {
                        "spec": result.row.spec,
                        "packs": " + ".join(f"{p.ref} ({p.hash[:12]})" for p in result.packs),
                        "refusal": refusal,
                    }
                )
            for attribute, layer in _LAYER_FIGURES:
                zh, en = LAYER_LABELS[layer]
                layers.append(
                    {
                        "label": en if language.startswith("en") else zh,
                        "amounts": [
                            format_yuan(getattr(r.adjudication, attribute))
                            if r.adjudication
                            else "—"
                            for r in results
                        ],
                    }
                )
            first = results[0].adjudication
            for line in first.lines if first else ():
                zh, en = LAYER_LABELS[line.layer]
                lines.append(
                    {
                        "layer": en if language.startswith("en") else zh,
                        "label": line.texts.label(language),
                        "rule": line.texts.rule(language),
                        "base": "" if line.base is None else format_yuan(line.base),
                        "amount": format_yuan(line.amount),
                        "payment": line.payment,
                    }
                )
    context = {
        "row": row,
        "title": row.title(language),
        "form": form,
        "columns": columns,
        "layers": layers,
        "total": format_yuan(form.cleaned_data["total"]) if columns else "",
        "lines": lines,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "packs/version_trial.html", context, status=status)


def _user_name(user: object) -> str:
    return str(getattr(user, "display_name", "") or getattr(user, "username", "")) if user else ""


EXPORT_COLUMNS: tuple[exports.Column[PackVersion], ...] = (
    exports.Column("pack_id", gettext_lazy("Pack id"), lambda row: row.pack_id),
    exports.Column("version", gettext_lazy("Version"), lambda row: row.version),
    exports.Column(
        "title", pgettext_lazy("export", "Title"), lambda row: row.title(get_language() or "")
    ),
    exports.Column("kind", gettext_lazy("Kind"), lambda row: row.get_kind_display()),
    exports.Column("status", gettext_lazy("Status"), lambda row: row.get_status_display()),
    exports.Column(
        "start", pgettext_lazy("export", "Effective from"), lambda row: row.effective_start
    ),
    exports.Column(
        "end", pgettext_lazy("export", "Effective until"), lambda row: row.effective_end
    ),
    exports.Column("region", pgettext_lazy("export", "Region code"), lambda row: row.region),
    exports.Column("scheme", pgettext_lazy("export", "Scheme code"), lambda row: row.scheme),
    exports.Column("origin", gettext_lazy("Origin"), lambda row: row.get_origin_display()),
    exports.Column("hash", gettext_lazy("Content hash"), lambda row: row.content_hash),
    exports.Column("author", gettext_lazy("Author"), lambda row: _user_name(row.author)),
    exports.Column("reviewer", gettext_lazy("Reviewer"), lambda row: _user_name(row.reviewer)),
    exports.Column("reviewed", gettext_lazy("Reviewed"), lambda row: row.reviewed_at),
)


@requires(Cap.POLICY_VIEW)
def version_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The versions of the list, with its filters, as CSV or xlsx."""
    exports.require_export(request.user)
    filters = FilterForm(request.GET or None)
    query = status = ""
    if filters.is_valid():
        query = filters.cleaned_data.get("q") or ""
        status = filters.cleaned_data.get("status") or ""
    rows = queries.filtered_versions(request.user, query, status)
    return exports.export_response(
        request,
        list_name="packs.versions",
        rows=rows,
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="policy-packs",
        # Whether a search was typed, not what: a search box may receive anything.
        filters={"search": bool(query.strip()), "status": status},
    )

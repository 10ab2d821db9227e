"""Settlement pages: hospital staff see their own institution's settlements (filters by day,
medical type, status) and reconciliations; bureau staff those in their region with reversals and
reconciliation differences; the insured person their own settlements (and an agent those of
the persons they act for). Each settlement's page shows its explanation of benefits (the
engine's lines) and offers its settlement statement as a PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jingban.core.pagination import page_of
from jingban.core.roles import Role
from jingban.core.views.access import AuthedRequest, requires
from jingban.medical import queries, statement
from jingban.medical.codes import FUND_LABELS
from jingban.medical.forms import BureauFilter, ReconciliationFilter, SettlementFilter
from jingban.medical.models import FeeDetail, Settlement


def _filters(request: AuthedRequest) -> tuple[SettlementFilter, queries.Filters]:
    form_class = SettlementFilter if request.user.role == Role.INSTITUTION_STAFF else BureauFilter
    form = form_class(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, queries.Filters(
            day_from=data.get("day_from"),
            day_to=data.get("day_to"),
            med_type=data.get("med_type") or "",
            status=data.get("status") or "",
            institution=data.get("institution") or "",
        )
    return form, queries.Filters()


@requires(queries.VIEW)
def settlement_list(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    rows = queries.filtered(request.user, filters)
    return render(
        request,
        "medical/settlement_list.html",
        {
            "filters": form,
            "page": page_of(request, rows),
            "totals": queries.day_totals(rows),
            "bureau": request.user.role != Role.INSTITUTION_STAFF,
        },
    )


def _detail_context(row: Settlement) -> dict[str, object]:
    return {
        "row": row,
        "lines": list(row.lines.all()),
        "funds": [(f, FUND_LABELS.get(f.fund_pay_type, f.fund_pay_type)) for f in row.funds.all()],
        "fee_lines": list(
            FeeDetail.objects.filter(visit_id=row.visit_id)
            .exclude(status="cancelled")
            .order_by("pk")
        ),
        "reversal": Settlement.objects.filter(original=row).first(),
    }


@requires(queries.VIEW)
def settlement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    row = queries.settlement_for(request.user, pk)
    return render(request, "medical/settlement_detail.html", _detail_context(row))


@requires(queries.VIEW)
def reconciliation_list(request: AuthedRequest) -> HttpResponse:
    form = ReconciliationFilter(request.GET or None)
    rows = queries.reconciliations_for(request.user)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("unbalanced"):
        rows = rows.filter(result="1")
    return render(
        request,
        "medical/reconciliation_list.html",
        {"filters": form, "page": page_of(request, rows)},
    )


@requires(queries.OWN)
def own_settlements(request: AuthedRequest) -> HttpResponse:
    rows = queries.settlements_for(request.user).order_by("-setl_time", "-pk")
    return render(request, "medical/own_settlements.html", {"page": page_of(request, rows)})


@requires(queries.OWN)
def own_settlement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    row = queries.settlement_for(request.user, pk)
    return render(request, "medical/settlement_detail.html", {**_detail_context(row), "own": True})


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("documents:verify"))


def _pdf(pdf: statement.Pdf) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    # The document's number names the file: a person's name would end up in download folders.
    response["Content-Disposition"] = f'attachment; filename="{pdf.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@requires(queries.VIEW)
def settlement_statement(request: AuthedRequest, pk: int) -> HttpResponse:
    """结算单 of a settlement in the user's scope (hospital staff: their institution's; bureau
    staff: their region's): a new document each time, recorded."""
    row = queries.settlement_for(request.user, pk)
    return _pdf(statement.issue(row, acting_user=request.user, verify_url=_verify_url(request)))


@require_POST
@requires(queries.OWN)
def own_settlement_statement(request: AuthedRequest, pk: int) -> HttpResponse:
    """The insured person's (or their agent's) 结算单 of one of their settlements."""
    row = queries.settlement_for(request.user, pk)
    return _pdf(statement.issue(row, acting_user=request.user, verify_url=_verify_url(request)))

"""The settlement pages: the batch list (with its export), a new run, a batch (per institution
totals, statements with filters, rejected rows with their reasons, the stage actions with a
confirmation before payment, adjustments, its export) and a statement's lines. Views are thin:
the queries scope, the services act and log."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core import exports
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError
from jingban.core.exports import Column
from jingban.core.forms import DomainForm
from jingban.core.models import Region, User
from jingban.core.pagination import page_of
from jingban.core.roles import Cap as CoreCap
from jingban.core.scope import region_path_filter
from jingban.core.views.access import AuthedRequest, requires
from jingban.jobs import services as jobs_services
from jingban.ltc import queries_settlement, services_settlement
from jingban.ltc.models_settlement import BatchStage, SettlementBatch, Statement
from jingban.ltc.reasons import care_form_label
from jingban.ltc.services_settlement import Cap
from jingban.ltc.texts_settlement import reason_text, yuan
from jingban.registry.display import shown

# --- Forms -------------------------------------------------------------------------------------


class RunForm(DomainForm):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=gettext_lazy("The month to settle, such as 2026-11."),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Region.objects.none(), empty_label=None
    )
    background = forms.BooleanField(
        label=gettext_lazy("Run in the background"),
        help_text=gettext_lazy(
            "For a region with many beneficiaries: the month is settled by a background job, "
            "whose page shows its progress and the batch when it is done."
        ),
        required=False,
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        assert isinstance(user, User)
        field.queryset = Region.objects.filter(
            region_path_filter(user, "path"), level="city"
        ).order_by("code")
        if not user.can(CoreCap.JOB_RUN):
            del self.fields["background"]

    def clean_month(self) -> dt.date:
        text = str(self.cleaned_data["month"]).strip()
        try:
            return dt.datetime.strptime(text[:7], "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("Write the month as year and month, such as 2026-11.")
            ) from None


class ReasonForm(DomainForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, widget=forms.Textarea)


class PayForm(DomainForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm the payment: it cannot be undone."), required=True
    )


# --- The batch list ----------------------------------------------------------------------------


def _list_filters(request: AuthedRequest) -> dict[str, str]:
    return {
        "month": request.GET.get("month", "").strip()[:7],
        "stage": request.GET.get("stage", "").strip(),
    }


BATCH_COLUMNS: tuple[Column[SettlementBatch], ...] = (
    Column("month", gettext_lazy("Month"), lambda b: b.month.strftime("%Y-%m")),
    Column("region", gettext_lazy("Region"), lambda b: b.region.name),
    Column("stage", gettext_lazy("Stage"), lambda b: str(b.get_stage_display())),
    Column("statements", gettext_lazy("Statements"), lambda b: b.statement_count),
    Column("billed", gettext_lazy("Billed (yuan)"), lambda b: yuan(b.billed_fen)),
    Column("fund", gettext_lazy("Paid by the fund (yuan)"), lambda b: yuan(b.fund_fen)),
    Column("self_pay", gettext_lazy("Paid by the person (yuan)"), lambda b: yuan(b.self_pay_fen)),
    Column(
        "adjustments", gettext_lazy("Adjustments (yuan)"), lambda b: yuan(b.adjustment_fund_fen)
    ),
    Column("rejected", gettext_lazy("Rejected rows"), lambda b: b.rejected_count),
)


@require_http_methods(["GET"])
@requires(Cap.VIEW)
def batch_list(request: AuthedRequest) -> HttpResponse:
    flags = _list_filters(request)
    batches = queries_settlement.filtered_batches(request.user, **flags)
    page = page_of(request, batches)
    query = "&".join(f"{k}={v}" for k, v in flags.items() if v)
    return render(
        request,
        "ltc/settlement/batch_list.html",
        {"page_obj": page, "flags": flags, "query": query, "stages": BatchStage.choices},
    )


@require_http_methods(["GET"])
@requires(Cap.VIEW)
def batch_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    flags = _list_filters(request)
    return exports.export_response(
        request,
        list_name="ltc.settlement_batches",
        rows=queries_settlement.filtered_batches(request.user, **flags),
        columns=BATCH_COLUMNS,
        fmt=fmt,
        filename="ltc-settlement",
        filters=flags,
    )


@require_http_methods(["GET", "POST"])
@requires(Cap.CLAIM)
def batch_run(request: AuthedRequest) -> HttpResponse:
    today = local_today()
    if request.method == "POST":
        form = RunForm(request.POST, user=request.user)
        if form.is_valid() and form.cleaned_data.get("background"):
            run = jobs_services.enqueue(
                request.user,
                "ltc.settlement.month",
                {
                    "month": form.cleaned_data["month"].strftime("%Y-%m"),
                    "region": form.cleaned_data["region"].code,
                },
                region=form.cleaned_data["region"],
            )
            messages.success(request, _("The month is being settled in the background."))
            return redirect("jobs:run_detail", run.pk)
        if form.is_valid():
            try:
                batch = services_settlement.run_month(
                    form.cleaned_data["region"],
                    form.cleaned_data["month"],
                    by=request.user,
                    today=today,
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(request, _("The month is settled. Check it, then claim it."))
                return redirect("ltc:settlement_detail", batch.pk)
        status = 400
    else:
        form = RunForm(initial={"month": today.strftime("%Y-%m")}, user=request.user)
        status = 200
    return render(request, "ltc/settlement/run.html", {"form": form}, status=status)


# --- A batch -----------------------------------------------------------------------------------


def _detail_filters(request: AuthedRequest) -> dict[str, str]:
    return {
        "rejected": "1" if request.GET.get("rejected") == "1" else "",
        "institution": request.GET.get("institution", "").strip()[:12],
    }


def _batch_page(
    request: AuthedRequest,
    batch: SettlementBatch,
    status: int = 200,
    **forms_given: DomainForm,
) -> HttpResponse:
    user = request.user
    flags = _detail_filters(request)
    statements = queries_settlement.filtered_statements(
        user, batch, rejected=bool(flags["rejected"]), institution=flags["institution"]
    )
    page = page_of(request, statements)
    for statement in page:
        statement.shown = shown(statement.person)
        statement.reasons = [reason_text(item) for item in statement.rejected]
    nxt = services_settlement.next_stage(batch)
    step = None
    if nxt is not None and user.can(services_settlement.STEPS[nxt][1]):
        step = {
            "stage": nxt,
            "label": BatchStage(nxt).label,
            "refusal": services_settlement.why_not(batch, user, nxt),
        }
    query = "&".join(f"{k}={v}" for k, v in flags.items() if v)
    institution_only = queries_settlement._institution_only(user)
    return render(
        request,
        "ltc/settlement/batch_detail.html",
        {
            "batch": batch,
            "institution_only": institution_only,
            "totals": queries_settlement.institution_totals(user, batch),
            "page_obj": page,
            "flags": flags,
            "query": query,
            "step": step,
            "can_return": services_settlement.can_return(batch, user),
            "can_correct": batch.stage == BatchStage.PAID and user.can(Cap.CLAIM),
            "can_rerun": batch.stage != BatchStage.PAID and user.can(Cap.CLAIM),
            "events": batch.events.select_related("by"),
            "adjustments": queries_settlement.adjustments_for(user, batch),
            "pay_form": forms_given.get("pay_form") or PayForm(),
            "return_form": forms_given.get("return_form") or ReasonForm(prefix="back"),
            "correct_form": forms_given.get("correct_form") or ReasonForm(prefix="fix"),
            "yuan": yuan,
        },
        status=status,
    )


@require_http_methods(["GET"])
@requires(Cap.VIEW)
def batch_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _batch_page(request, queries_settlement.batch_for(request.user, pk))


STATEMENT_COLUMNS: tuple[Column[Statement], ...] = (
    Column("month", gettext_lazy("Month"), lambda s: s.batch.month.strftime("%Y-%m")),
    Column("person", gettext_lazy("Name"), lambda s: s.person.name),
    Column("document", gettext_lazy("Document number"), lambda s: shown(s.person).document),
    Column("billed", gettext_lazy("Billed (yuan)"), lambda s: yuan(s.billed_fen)),
    Column("fund", gettext_lazy("Paid by the fund (yuan)"), lambda s: yuan(s.fund_fen)),
    Column("self_pay", gettext_lazy("Paid by the person (yuan)"), lambda s: yuan(s.self_pay_fen)),
    Column("hospital_days", gettext_lazy("Days in hospital"), lambda s: s.hospital_days),
    Column("rejected", gettext_lazy("Rejected rows"), lambda s: s.rejected_count),
    Column(
        "reasons",
        gettext_lazy("Reasons"),
        lambda s: "；".join(reason_text(item) for item in s.rejected),
    ),
)


@require_http_methods(["GET"])
@requires(Cap.VIEW)
def batch_statements_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    exports.require_export(request.user)
    batch = queries_settlement.batch_for(request.user, pk)
    flags = _detail_filters(request)
    rows = queries_settlement.filtered_statements(
        request.user, batch, rejected=bool(flags["rejected"]), institution=flags["institution"]
    ).select_related("batch")
    return exports.export_response(
        request,
        list_name="ltc.settlement_statements",
        rows=rows,
        columns=STATEMENT_COLUMNS,
        fmt=fmt,
        filename=f"ltc-settlement-{batch.month:%Y-%m}",
        filters={"batch": batch.pk, **flags},
    )


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    batch = queries_settlement.batch_for(user, pk)
    try:
        if action == "advance":
            stage = request.POST.get("stage", "")
            if stage == BatchStage.PAID:
                pay_form = PayForm(request.POST)
                if not pay_form.is_valid():
                    return _batch_page(request, batch, 400, pay_form=pay_form)
            services_settlement.advance(batch, stage, by=user, confirm=True)
            messages.success(request, _("The batch has moved to its next stage."))
        elif action == "return":
            form = ReasonForm(request.POST, prefix="back")
            if not form.is_valid():
                return _batch_page(request, batch, 400, return_form=form)
            services_settlement.send_back(batch, by=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The batch is sent back one stage."))
        elif action == "rerun":
            services_settlement.run_month(batch.region, batch.month, by=user, today=local_today())
            messages.success(
                request, _("The month is settled again: the batch's statements are replaced.")
            )
        else:  # correct
            form = ReasonForm(request.POST, prefix="fix")
            if not form.is_valid():
                return _batch_page(request, batch, 400, correct_form=form)
            made = services_settlement.record_corrections(
                batch, by=user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("%(count)d adjustments recorded: a later month carries them.")
                % {"count": len(made)},
            )
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, str(error.message))
    return redirect("ltc:settlement_detail", batch.pk)


@require_POST
@requires(Cap.VIEW)
def batch_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    step = services_settlement.STEPS.get(request.POST.get("stage", ""))
    if step is None or not request.user.can(step[1]):
        raise PermissionDenied
    return _act(request, pk, "advance")


@require_POST
@requires(Cap.VIEW)
def batch_return(request: AuthedRequest, pk: int) -> HttpResponse:
    if not any(request.user.can(cap) for cap, _signed in services_settlement.RETURNS.values()):
        raise PermissionDenied
    return _act(request, pk, "return")


@require_POST
@requires(Cap.CLAIM)
def batch_rerun(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "rerun")


@require_POST
@requires(Cap.CLAIM)
def batch_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "correct")


# --- A statement -------------------------------------------------------------------------------


@require_http_methods(["GET"])
@requires(Cap.VIEW)
def statement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    statement = queries_settlement.statement_for(request.user, pk)
    lines = list(queries_settlement.lines_for(request.user, statement))
    for line in lines:
        line.form_label = care_form_label(line.care_form)  # type: ignore[attr-defined]
    return render(
        request,
        "ltc/settlement/statement_detail.html",
        {
            "statement": statement,
            "batch": statement.batch,
            "shown": shown(statement.person),
            "lines": lines,
            "rejected": [
                {
                    "date": item.get("date", ""),
                    "form": care_form_label(str(item.get("care_form", ""))),
                    "reason": reason_text(item),
                }
                for item in statement.rejected
            ],
            "back": reverse("ltc:settlement_detail", args=[statement.batch_id]),
            "yuan": yuan,
        },
    )

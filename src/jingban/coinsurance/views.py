"""The co-insurance pages: the staff's statements (every insurer in scope), generating a month,
the panels and the panel form; the co-insurer's own statements. A statement's lines show every
item with the insurer's part, so it can be checked item by item; its PDF is issued on request."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.coinsurance import pdf, queries, services
from jingban.coinsurance.forms import GenerateForm, PanelForm
from jingban.coinsurance.models import Panel, Statement
from jingban.core.errors import DomainError, NotFound
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires


def _label(product: str) -> str:
    return services.known_products().get(product, product)


def _labelled(statements: list[Statement]) -> list[Statement]:
    labels = services.known_products()
    for statement in statements:
        statement.product_label = labels.get(statement.run.product, statement.run.product)  # type: ignore[attr-defined]
    return statements


def _list(request: AuthedRequest, *, own: bool) -> HttpResponse:
    qs = queries.statements_for(request.user).filter(run__current=True)
    product = request.GET.get("product", "")
    month = request.GET.get("month", "")
    if product:
        qs = qs.filter(run__product=product)
    if len(month) == 7 and month[:4].isdigit() and month[5:].isdigit() and month[4] == "-":
        qs = qs.filter(run__month__year=int(month[:4]), run__month__month=int(month[5:]))
    else:
        month = ""
    page = page_of(request, qs)
    _labelled(list(page))
    query = "&".join(f"{k}={v}" for k, v in (("product", product), ("month", month)) if v)
    return render(
        request,
        "coinsurance/statement_list.html",
        {
            "page_obj": page,
            "query": query,
            "own": own,
            "product": product,
            "month": month,
            "products": sorted(services.known_products().items()),
            "generate_form": GenerateForm(prefix="generate")
            if not own and request.user.can(services.GENERATE)
            else None,
        },
    )


def _detail(request: AuthedRequest, statement: Statement, *, own: bool) -> HttpResponse:
    lines = page_of(request, statement.lines.order_by("day", "kind", "ref"))
    newer = None
    if not statement.run.current:
        newer = (
            queries.statements_for(request.user)
            .filter(
                run__product=statement.run.product,
                run__month=statement.run.month,
                run__current=True,
                insurer_id=statement.insurer_id,
            )
            .first()
        )
    return render(
        request,
        "coinsurance/statement_detail.html",
        {
            "statement": statement,
            "product_label": _label(statement.run.product),
            "page_obj": lines,
            "own": own,
            "newer": newer,
        },
    )


def _pdf_response(request: HttpRequest, statement: Statement, user: object) -> HttpResponse:
    made = pdf.issue(
        statement,
        product_label=_label(statement.run.product),
        acting_user=user,  # type: ignore[arg-type]
        verify_url=request.build_absolute_uri(reverse("documents:verify")),
    )
    response = HttpResponse(made.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{made.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


# --- Staff ------------------------------------------------------------------------------------


@requires(services.VIEW)
def statement_list(request: AuthedRequest) -> HttpResponse:
    return _list(request, own=False)


@requires(services.GENERATE)
@require_POST
def generate(request: AuthedRequest) -> HttpResponse:
    form = GenerateForm(request.POST, prefix="generate")
    target = reverse("coinsurance:statement_list")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return redirect(target)
    product, month = form.cleaned_data["product"], form.cleaned_data["month"]
    try:
        run = services.generate(product, month, acting_user=request.user)
    except DomainError as error:
        for problems in error.fields.values():
            for problem in problems:
                messages.error(request, str(problem))
        if not error.fields or str(error.message) != str(type(error).default_message):
            messages.error(request, str(error.message))
        return redirect(target)
    messages.success(
        request,
        _("The statements of %(month)s are generated (version %(version)d, %(items)d items).")
        % {"month": run.month.strftime("%Y-%m"), "version": run.version, "items": run.item_count},
    )
    return redirect(f"{target}?product={product}&month={run.month:%Y-%m}")


@requires(services.VIEW)
def statement_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.statement_for(request.user, pk), own=False)


@require_POST
@requires(services.VIEW)
def statement_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pdf_response(request, queries.statement_for(request.user, pk), request.user)


@requires(services.PANEL_VIEW)
def panel_list(request: AuthedRequest) -> HttpResponse:
    panels = list(Panel.objects.prefetch_related("members__insurer"))
    labels = services.known_products()
    for panel in panels:
        panel.product_label = labels.get(panel.product, panel.product)  # type: ignore[attr-defined]
    return render(
        request,
        "coinsurance/panel_list.html",
        {"panels": panels, "can_edit": request.user.can(services.PANEL_EDIT)},
    )


@requires(services.PANEL_EDIT)
@require_http_methods(["GET", "POST"])
def panel_new(request: AuthedRequest) -> HttpResponse:
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.create_panel(form.to_input(), acting_user=request.user)
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("The panel is set up."))
            return redirect("coinsurance:panel_detail", pk=panel.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coinsurance/panel_new.html", {"form": form}, status=status)


@requires(services.PANEL_VIEW)
def panel_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    panel = Panel.objects.filter(pk=pk).first()
    if panel is None:
        raise NotFound()
    members = list(panel.members.select_related("insurer").order_by("position"))
    return render(
        request,
        "coinsurance/panel_detail.html",
        {"panel": panel, "members": members, "product_label": _label(panel.product)},
    )


# --- The co-insurer's own ---------------------------------------------------------------------


@requires(services.OWN_VIEW)
def my_list(request: AuthedRequest) -> HttpResponse:
    return _list(request, own=True)


@requires(services.OWN_VIEW)
def my_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, queries.statement_for(request.user, pk), own=True)


@require_POST
@requires(services.OWN_DOWNLOAD)
def my_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pdf_response(request, queries.statement_for(request.user, pk), request.user)

"""Pages: the staff's list (the products on sale with their figures, the enrollments in scope
and the claims) and the insured person's page (the products, what they cover, the premium, the
window; their own enrollments and claims)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jingban.core.calendar import today
from jingban.core.errors import DomainError
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.engine.money import format_yuan
from jingban.engine.policy.loader import PolicyPack
from jingban.medical.models import Settlement, SettlementKind
from jingban.registry.documents import mask_document
from jingban.registry.models import Person
from jingban.supplementary import queries, rules, services
from jingban.supplementary.forms import ClaimForm, OnlineEnrollForm, WindowEnrollForm
from jingban.supplementary.models import Channel, Claim, Enrollment, PaymentMethod


def _percent(ratio: Any) -> str:
    return f"{float(ratio) * 100:.0f}%"


def product_facts(pack: PolicyPack) -> dict[str, Any]:
    """What a product page shows of a pack: yuan, percentages, names; sample figures marked."""
    product = pack.supplementary.supplementary
    year = rules.cover_year_open_on(today()) or today().year + 1
    window = rules.window_for(year)
    return {
        "id": pack.id,
        "title": product.label.zh,
        "title_en": product.label.en,
        "premium": format_yuan(product.premium),
        "deductible": format_yuan(product.deductible),
        "in_ratio": _percent(product.in_catalogue.ratio),
        "in_limit": format_yuan(product.in_catalogue.annual_limit),
        "out_ratio": _percent(product.out_of_catalogue.ratio),
        "out_limit": format_yuan(product.out_of_catalogue.annual_limit),
        "age_limit": product.age_limit,
        "condition_limit": product.pre_existing_condition_limit,
        "window_opens": window.opens,
        "window_closes": window.closes,
        "cover_year": year,
        "on_sale": rules.product(pack.id, window.closes) is not None,
    }


@requires(queries.VIEW)
def staff_list(request: AuthedRequest) -> HttpResponse:
    page = page_of(request, queries.enrollments_for(request.user))
    for row in page:
        row.masked_document = mask_document(row.person.document_type, row.person.document_number)
    claims = list(queries.claims_for(request.user).order_by("-day", "-pk")[:20])
    return render(
        request,
        "supplementary/list.html",
        {
            "products": [product_facts(p) for p in rules.products()],
            "page_obj": page,
            "claims": claims,
            "query": "",
            "can_record": request.user.can(queries.RECORD),
            "this_year": today().year,
        },
    )


@requires(queries.OWN)
def my_page(request: AuthedRequest) -> HttpResponse:
    enrollments = list(queries.enrollments_for(request.user).order_by("-year", "pk"))
    claims = list(queries.claims_for(request.user).order_by("-day", "-pk"))
    return render(
        request,
        "supplementary/my.html",
        {
            "products": [product_facts(p) for p in rules.products()],
            "enrollments": enrollments,
            "claims": claims,
            "this_year": today().year,
        },
    )


# --- Forms: the window, online enrollment, cancellation, the claim of a settlement ------------


def _enroll_and_pay(
    request: AuthedRequest,
    person: Person,
    product: str,
    *,
    channel: str,
    method: str,
    on_behalf_of: str = "",
) -> Enrollment:
    """Enroll and record the product's premium: both or nothing."""
    day = today()
    with transaction.atomic():
        row = services.enroll(
            request.user, person, product, channel=channel, on=day, on_behalf_of=on_behalf_of
        )
        pack = rules.product(product, dt.date(row.year, 1, 1))
        assert pack is not None
        services.pay_premium(
            request.user, row, amount=rules.premium_fen(pack), method=method, on=day
        )
    return row


@requires(queries.RECORD)
@require_http_methods(["GET", "POST"])
def window_new(request: AuthedRequest) -> HttpResponse:
    form = WindowEnrollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from jingban.registry.queries import persons_for

        number = form.cleaned_data["document_number"].strip().upper()
        found = persons_for(request.user).filter(document_number=number).first()
        if found is None:
            form.add_error(
                "document_number", _("No insured person in your scope has this document number.")
            )
        else:
            person = queries.person_for(request.user, found.pk)
            try:
                _enroll_and_pay(
                    request,
                    person,
                    form.cleaned_data["product"],
                    channel=Channel.WINDOW,
                    method=form.cleaned_data["method"],
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(
                    request,
                    _("%(name)s is enrolled and the premium is recorded.") % {"name": person.name},
                )
                return redirect("supplementary:list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supplementary/window_new.html",
        {"form": form, "products": [product_facts(p) for p in rules.products()]},
        status=status,
    )


@requires(queries.OWN)
@require_http_methods(["GET", "POST"])
def my_enroll(request: AuthedRequest) -> HttpResponse:
    people = queries.principals(request.user)
    choices = [(p.pk, p.name) for p in people]
    form = OnlineEnrollForm(request.POST or None, people=choices)
    confirm = None
    if request.method == "POST" and form.is_valid():
        person = queries.person_for(request.user, form.cleaned_data["person"])
        product = form.cleaned_data["product"]
        own = person.account_id == request.user.pk
        if request.POST.get("confirm") != "yes":
            try:
                year = services.check_enroll(person, product, today())
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                pack = rules.product(product, dt.date(year, 1, 1))
                assert pack is not None
                confirm = {
                    "person": person,
                    "product": pack.supplementary.supplementary.label.zh,
                    "premium": format_yuan(rules.premium_fen(pack)),
                    "year": year,
                }
        else:
            try:
                _enroll_and_pay(
                    request,
                    person,
                    product,
                    channel=Channel.ONLINE if own else Channel.AGENT,
                    method=PaymentMethod.ONLINE,
                    on_behalf_of="" if own else str(person.pk),
                )
            except DomainError as error:
                form.add_domain_errors(error)
            else:
                messages.success(
                    request,
                    _("%(name)s is enrolled and the premium is paid.") % {"name": person.name},
                )
                return redirect("supplementary:my")
    status = 400 if request.method == "POST" and confirm is None else 200
    return render(
        request,
        "supplementary/my_enroll.html",
        {
            "form": form,
            "confirm": confirm,
            "products": [product_facts(p) for p in rules.products()],
        },
        status=status,
    )


def _cancel(request: AuthedRequest, enrollment: Enrollment, back: str) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.cancel(request.user, enrollment, on=today())
        except DomainError as error:
            errors = [str(m) for ms in error.fields.values() for m in ms] or [str(error.message)]
        else:
            messages.success(request, _("The enrollment is cancelled."))
            return redirect(back)
    paid = sum(p.amount for p in enrollment.premiums.all())
    return render(
        request,
        "supplementary/cancel.html",
        {"enrollment": enrollment, "refund": format_yuan(paid), "errors": errors, "back": back},
        status=400 if errors else 200,
    )


@requires(queries.RECORD)
@require_http_methods(["GET", "POST"])
def cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _cancel(request, queries.enrollment_for(request.user, pk), "supplementary:list")


@requires(queries.OWN)
@require_http_methods(["GET", "POST"])
def my_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    return _cancel(request, queries.enrollment_for(request.user, pk), "supplementary:my")


def claimable(enrollment: Enrollment) -> list[Settlement]:
    """The person's settlements of the cover year that the product has not paid on."""
    claimed = Claim.objects.filter(enrollment=enrollment).values_list("settlement_id", flat=True)
    rows = (
        Settlement.objects.filter(
            person_id=enrollment.person_id,
            year=enrollment.year,
            kind=SettlementKind.SETTLEMENT,
            status="settled",
        )
        .exclude(pk__in=claimed)
        .order_by("setl_time", "pk")
    )
    prefix = f"{enrollment.product}@"
    return [s for s in rows if not any(str(p.get("ref", "")).startswith(prefix) for p in s.packs)]


@requires(queries.OWN)
@require_http_methods(["GET", "POST"])
def my_claim(request: AuthedRequest, pk: int) -> HttpResponse:
    enrollment = queries.enrollment_for(request.user, pk)
    settlements = claimable(enrollment)
    choices = [
        (
            s.pk,
            f"{timezone.localdate(s.setl_time):%Y-%m-%d} {s.setl_id} · "
            + str(_("paid in cash %(amount)s") % {"amount": format_yuan(s.psn_cash_pay)}),
        )
        for s in settlements
    ]
    form = ClaimForm(request.POST or None, settlements=choices)
    if request.method == "POST" and form.is_valid():
        settlement = next(s for s in settlements if s.pk == form.cleaned_data["settlement"])
        own = enrollment.person.account_id == request.user.pk
        try:
            claim = services.claim_settlement(
                request.user,
                enrollment,
                settlement,
                on_behalf_of="" if own else str(enrollment.person_id),
            )
        except DomainError as error:
            form.add_domain_errors(error)
        else:
            messages.success(
                request,
                _("The product pays %(amount)s on this settlement.")
                % {"amount": format_yuan(claim.amount)},
            )
            return redirect("supplementary:my")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supplementary/my_claim.html",
        {"form": form, "enrollment": enrollment, "settlements": settlements},
        status=status,
    )

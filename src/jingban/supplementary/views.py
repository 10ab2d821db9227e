"""Pages: the staff's list (the products on sale with their figures, the enrollments in scope
and the claims) and the insured person's page (the products, what they cover, the premium, the
window; their own enrollments and claims)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from jingban.core.calendar import today
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.engine.money import format_yuan
from jingban.engine.policy.loader import PolicyPack
from jingban.registry.documents import mask_document
from jingban.supplementary import queries, rules


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
        },
    )

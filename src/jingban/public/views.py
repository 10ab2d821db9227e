"""The public index and the policy explanations: what anyone can read here without signing in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from jingban.core.calendar import today
from jingban.core.public_pages import public_links
from jingban.engine.policy import PackError
from jingban.public import policy
from jingban.public.forms import PolicyQueryForm


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html", {"public_links": public_links(request.path)})


def _query(request: HttpRequest) -> dict[str, str]:
    """The visitor's question, each part not asked filled with its default (the bureau's
    region, resident medical insurance, today)."""
    region = policy.default_region()
    scheme = policy.default_scheme()
    asked = {
        "region": region.code if region is not None else "",
        "scheme": scheme.code if scheme is not None else "",
        "day": today().isoformat(),
    }
    for name in asked:
        if name in request.GET:
            asked[name] = str(request.GET[name])[:40]
    return asked


@require_GET
def policy_page(request: HttpRequest) -> HttpResponse:
    """政策解读: the figures of the packs in force, in plain words, for a region, scheme and day.
    A bad question is answered with the form and its errors (400), never with a guess."""
    asked = _query(request)
    form = PolicyQueryForm(asked)
    context: dict[str, object] = {"form": form}
    if not request.GET and not (asked["region"] and asked["scheme"]):
        # An installation without regions or schemes yet: nothing to explain, and no error
        # for a question the visitor did not ask.
        context["form"] = PolicyQueryForm(initial=asked)
        context["nothing_published"] = True
        return render(request, "public/policy.html", context)
    if not form.is_valid():
        return render(request, "public/policy.html", context, status=400)
    data = form.cleaned_data
    try:
        context["answer"] = policy.answer(
            data["region"], data["scheme"], data["day"], translation.get_language() or "zh-hans"
        )
    except PackError:
        # A stored version that no longer matches its hash is never explained (nor used for
        # money): the page says the rules cannot be shown rather than show anything else.
        context["unavailable"] = True
        return render(request, "public/policy.html", context, status=503)
    return render(request, "public/policy.html", context)

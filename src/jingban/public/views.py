"""The public index: what anyone can do here without signing in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jingban.core.public_pages import public_links


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html", {"public_links": public_links(request.path)})

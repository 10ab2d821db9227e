"""Organisations in scope (the action log is in ``action_log``)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from jingban.core import queries
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires


@requires(Cap.ORGANISATION_VIEW)
def organisation_list(request: AuthedRequest) -> HttpResponse:
    organisations = queries.organisations_for(request.user)
    return render(
        request,
        "core/organisation_list.html",
        {
            "organisations": organisations,
            "total": organisations.count(),
        },
    )


@requires(Cap.ORGANISATION_VIEW)
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    organisation = queries.organisation_for(request.user, pk)
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "windows": queries.windows_for(request.user).filter(organisation=organisation),
            "schemes": organisation.schemes.all(),
        },
    )

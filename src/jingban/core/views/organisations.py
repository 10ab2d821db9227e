"""Organisations in scope and the action log."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from jingban.core import queries
from jingban.core.actionlog.display import shown_entries
from jingban.core.pagination import page_of
from jingban.core.roles import Cap
from jingban.core.services.audit import record_personal_data_shown
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


@requires(Cap.ACTION_LOG_VIEW)
def action_log(request: AuthedRequest) -> HttpResponse:
    """The action log in the viewer's regions. The only filter is an action-code prefix, never a
    person's data: GET parameters end up in access logs."""
    entries = queries.action_log_for(request.user).select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = page_of(request, entries, 50)
    shown = shown_entries(page.object_list, request.user, reveal=True)
    revealed = [row.entry.pk for row in shown if row.revealed]
    if revealed:
        record_personal_data_shown(revealed, acting_user=request.user)
    return render(
        request,
        "core/action_log.html",
        {
            "page_obj": page,
            "rows": shown,
            "total": page.paginator.count,
            "action": action,
            "can_reveal": request.user.can(Cap.PERSON_REVEAL),
        },
    )

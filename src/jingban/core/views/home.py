"""Home page by role: each role sees a real list from its own scope, with its count."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from jingban.core import queries as core_queries
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry import queries as registry_queries
from jingban.registry.documents import mask_document

HOME_LIST_SIZE = 10


@requires()
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"role_label": user.role_label}
    if user.can(Cap.PERSON_VIEW):
        persons = registry_queries.persons_for(user).order_by("-id")
        context["persons_total"] = persons.count()
        context["persons"] = [
            (p, mask_document(p.document_type, p.document_number)) for p in persons[:HOME_LIST_SIZE]
        ]
    if user.can(Cap.ACTION_LOG_VIEW):
        actions = core_queries.action_log_for(user)
        context["actions_total"] = actions.count()
        context["actions"] = actions.select_related("actor")[:HOME_LIST_SIZE]
    if user.can(Cap.ORGANISATION_VIEW) and not user.can(Cap.PERSON_VIEW):
        windows = core_queries.windows_for(user)
        context["windows_total"] = windows.count()
        context["windows"] = windows[:HOME_LIST_SIZE]
    if user.can(Cap.OWN_RECORD_VIEW):
        person = registry_queries.own_person(user)
        context["own_person"] = person
        if person is not None:
            enrollments = registry_queries.enrollments_for(user, person)
            context["enrollments_total"] = enrollments.count()
            context["enrollments"] = enrollments
    return render(request, "core/home.html", context)

"""Pages of the registry: the person list, detail, registration, editing and the reveal."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingban.core.errors import ValidationFailed
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry import queries, services
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.forms import PersonForm
from jingban.registry.models import Person

PAGE_SIZE = 25


def _row(person: Person) -> dict[str, object]:
    return {
        "person": person,
        "document": mask_document(person.document_type, person.document_number),
        "phone": mask_phone(person.phone),
    }


@requires(Cap.PERSON_VIEW)
def person_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    persons = queries.search_persons(request.user, query).order_by("id")
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": [_row(p) for p in page.object_list],
        "query": query,
        "total": page.paginator.count,
        "can_create": request.user.can(Cap.PERSON_CREATE),
    }
    template = "registry/_person_rows.html" if request.htmx else "registry/person_list.html"
    return render(request, template, context)


def _detail_context(request: AuthedRequest, person: Person) -> dict[str, object]:
    user = request.user
    return {
        **_row(person),
        "enrollments": queries.enrollments_for(user, person),
        "memberships": queries.memberships_for(user, person),
        "can_edit": user.can(Cap.PERSON_EDIT),
        "can_reveal": user.can(Cap.PERSON_REVEAL),
        "household_membership": queries.open_household_membership(person),
        "can_edit_household": user.can(Cap.HOUSEHOLD_EDIT),
        "authorisations": queries.authorisations_of(user, person),
        "can_grant": user.can(Cap.AGENT_GRANT),
    }


@requires(Cap.PERSON_VIEW)
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = queries.person_for(request.user, pk)
    return render(request, "registry/person_detail.html", _detail_context(request, person))


@requires(Cap.PERSON_CREATE)
def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(form.to_input(), acting_user=request.user)
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("Registered %(name)s.") % {"name": person.name})
            return redirect("registry:person_detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "registry/person_form.html", {"form": form, "person": None}, status=status
    )


@requires(Cap.PERSON_EDIT)
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = queries.person_for(request.user, pk)
    form = PersonForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial=PersonForm.initial_for(person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(
                person,
                form.to_input(),
                acting_user=request.user,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("Saved the changes."))
            return redirect("registry:person_detail", pk=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "registry/person_form.html", {"form": form, "person": person}, status=status
    )


@require_POST
@requires(Cap.PERSON_REVEAL)
def person_reveal(request: AuthedRequest, pk: int) -> HttpResponse:
    person = queries.person_for(request.user, pk)
    number = services.reveal_document(person, acting_user=request.user)
    if request.htmx:
        return render(request, "registry/_revealed.html", {"number": number, "person": person})
    # Without JavaScript the button posts a plain form: show the whole page, number revealed.
    context = {**_detail_context(request, person), "document": number, "revealed": True}
    return render(request, "registry/person_detail.html", context)


@requires(Cap.OWN_RECORD_VIEW)
def my_record(request: AuthedRequest) -> HttpResponse:
    person = queries.own_person(request.user)
    context: dict[str, object] = {"person": person}
    if person is not None:
        context.update(_row(person))
        context["enrollments"] = queries.enrollments_for(request.user, person)
        context["memberships"] = queries.memberships_for(request.user, person)
    return render(request, "registry/my_record.html", context)

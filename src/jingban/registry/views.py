"""Pages of the registry: the person list and search, detail, registration, editing and the
reveal.

What a page shows of a person comes from ``display.shown``: the document number and the phone
masked, the age rather than the birth date. The full number (and the birth date in it) only
comes from the reveal, which asks for a purpose and is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core.errors import ValidationFailed
from jingban.core.pagination import about, counted, keyset_page
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry import display, log_objects, queries, services
from jingban.registry.forms import PersonForm, RevealForm
from jingban.registry.models import Person
from jingban.registry.search import (
    DEFAULT_SORT,
    SORTS,
    Filters,
    PersonSearchForm,
    Term,
    TermKind,
    described,
    parse_sort,
)
from jingban.registry.services.probes import LookupThrottled

PAGE_SIZE = 25


def _row(person: Person) -> dict[str, object]:
    shown = display.shown(person)
    return {"person": person, "document": shown.document, "phone": shown.phone, "age": shown.age}


def _cursor(value: str) -> tuple[int | None, int | None, int]:
    """A page button's value: ``n<id>.<page>`` (the page after row id) or ``p<id>.<page>`` (the
    page before it). Anything else is the first page."""
    direction, _sep, rest = value.partition(":")
    pk, _dot, number = rest.partition(".")
    if direction not in {"n", "p"} or not pk.isdigit() or not number.isdigit():
        return None, None, 1
    cursor, page = int(pk), max(int(number), 1)
    return (cursor, None, page) if direction == "n" else (None, cursor, page)


@require_http_methods(["GET", "POST"])
@requires(Cap.PERSON_VIEW)
def person_list(request: AuthedRequest) -> HttpResponse:
    """The persons in scope, found by a term and filters, sorted, a page at a time (keyset
    paging: each page seeks from a row of the one before). The search is posted, its pages and
    sort orders too: its terms never appear in an address."""
    user = request.user
    form = PersonSearchForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    throttled = ""
    term = Term("", TermKind.EMPTY)
    filters = Filters()
    sort_code = DEFAULT_SORT
    after: int | None = None
    before: int | None = None
    number = 1
    valid = not form.is_bound or form.is_valid()
    if form.is_bound and valid:
        term = form.cleaned_data["q"]
        filters = form.filters()
        sort_code = form.cleaned_data.get("resort") or form.cleaned_data.get("sort") or DEFAULT_SORT
        after, before, number = _cursor(form.cleaned_data.get("cursor") or "")
    elif not valid:
        status = 400
    persons = queries.persons_for(user).none()
    if valid:
        try:
            persons = services.search_persons(user, term, filters)
        except LookupThrottled as err:
            throttled, status = str(err.message), err.status
    sort, descending = parse_sort(sort_code)
    total, exact = counted(persons)
    page = keyset_page(
        persons,
        keys=sort.keys,
        descending=descending,
        size=PAGE_SIZE,
        after=after,
        before=before,
        key_source=queries.persons_for(user),
        sparse=exact,
    )
    if after is None and before is None:
        number = 1
    context = {
        "form": form,
        "page": page,
        "number": number,
        "rows": [_row(p) for p in page.object_list],
        "sort": sort_code if sort_code.lstrip("-") in SORTS else DEFAULT_SORT,
        "sorts": SORTS,
        "searched": form.is_bound,
        "described": described(term, filters),
        "throttled": throttled,
        "total": total if exact else about(total),
        "exact": exact,
        "total_shown": f"{about(total):,}",
        "can_create": user.can(Cap.PERSON_CREATE),
    }
    if request.htmx:
        # htmx swaps only successful answers; a refusal is in the fragment.
        return render(request, "registry/_person_search_parts.html", context)
    return render(request, "registry/person_list.html", context, status=status)


def _detail_context(request: AuthedRequest, person: Person) -> dict[str, object]:
    user = request.user
    return {
        **_row(person),
        "enrollments": queries.enrollments_for(user, person),
        "memberships": queries.memberships_for(user, person),
        "can_edit": user.can(Cap.PERSON_EDIT),
        "can_reveal": user.can(Cap.PERSON_REVEAL),
        "reveal_form": RevealForm(),
        "household_membership": queries.open_household_membership(person),
        "can_edit_household": user.can(Cap.HOUSEHOLD_EDIT),
        "authorisations": queries.authorisations_of(user, person),
        "can_grant": user.can(Cap.AGENT_GRANT),
    }


@requires(Cap.PERSON_VIEW)
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = services.person_in_scope(request.user, pk)
    context = _detail_context(request, person)
    context.update(log_objects.history_context(request.user, person))
    return render(request, "registry/person_detail.html", context)


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
    """The edit form holds no full document number, birth date or phone (see ``PersonForm``)."""
    person = services.person_in_scope(request.user, pk)
    form = PersonForm(request.POST or None, user=request.user, person=person)
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
    """Show the full number for a stated purpose. With htmx the answer replaces the number and
    the reveal form together, so the button is not offered again on the page."""
    person = services.person_in_scope(request.user, pk)
    form = RevealForm(request.POST)
    number = ""
    if form.is_valid():
        try:
            number = services.reveal_document(
                person,
                acting_user=request.user,
                purpose=form.cleaned_data.get("purpose") or "",
                note=form.cleaned_data.get("note") or "",
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
    if request.htmx:
        # htmx swaps only successful answers: a refusal comes back as 200 with the errors
        # beside the fields, the number still masked.
        context = {**_row(person), "person": person, "reveal_form": form, "can_reveal": True}
        if number:
            context |= {"document": number, "revealed": True}
        return render(request, "registry/_reveal.html", context)
    # Without JavaScript the button posts a plain form: show the whole page.
    context = {**_detail_context(request, person), "reveal_form": form}
    if number:
        context |= {"document": number, "revealed": True}
    return render(request, "registry/person_detail.html", context, status=200 if number else 400)


@requires(Cap.OWN_RECORD_VIEW)
def my_record(request: AuthedRequest) -> HttpResponse:
    person = queries.own_person(request.user)
    context: dict[str, object] = {"person": person}
    if person is not None:
        context.update(_row(person))
        context["enrollments"] = queries.enrollments_for(request.user, person)
        context["memberships"] = queries.memberships_for(request.user, person)
    return render(request, "registry/my_record.html", context)

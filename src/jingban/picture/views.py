"""The picture pages: staff open a person's (``/persons/<pk>/picture/``), the insured person
their own or, as an agent, a principal's (``/my/picture/?person=<pk>``). Both take ``?year=``."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from jingban.core.errors import ValidationFailed
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.picture import services
from jingban.picture.forms import PictureForm
from jingban.registry.display import shown
from jingban.registry.models import Person


def _year(request: AuthedRequest, form: PictureForm) -> tuple[int, str]:
    """The year asked for (this year when none or a wrong one) and the error to show."""
    if not form.is_valid():
        return services.check_year(None), str(next(iter(form.errors.values()))[0])
    try:
        return services.check_year(form.cleaned_data.get("year")), ""
    except ValidationFailed as error:
        return services.check_year(None), str(error.fields["year"][0])


def _body(request: AuthedRequest, part: services.Shown) -> str:
    """A section's body, rendered with its own template and context."""
    if part.section is None:
        return ""
    context = {**part.section.context, "section": part.section}
    return render_to_string(part.section.template, context, request=request)


def _page(
    request: AuthedRequest,
    person: Person | None,
    form: PictureForm,
    *,
    year: int,
    problem: str,
    extra: dict[str, object],
) -> HttpResponse:
    context: dict[str, object] = {
        "person": person,
        "year": year,
        "years": services.year_choices(year),
        "problem": problem,
        "form": form,
        **extra,
    }
    if person is not None:
        context["shown"] = shown(person)
        context["sections"] = [
            (part, _body(request, part)) for part in services.sections(person, request.user, year)
        ]
    return render(request, "picture/picture.html", context, status=400 if problem else 200)


@requires(Cap.PERSON_VIEW)
def person_picture(request: AuthedRequest, pk: int) -> HttpResponse:
    person = services.staff_person(request.user, pk)
    form = PictureForm(request.GET)
    year, problem = _year(request, form)
    return _page(request, person, form, year=year, problem=problem, extra={"staff": True})


@requires()
def my_picture(request: AuthedRequest) -> HttpResponse:
    form = PictureForm(request.GET)
    year, problem = _year(request, form)
    wanted = form.cleaned_data.get("person") if form.is_valid() else None
    choice = services.insured_person(request.user, wanted)
    people = ([choice.own] if choice.own is not None else []) + choice.principals
    return _page(
        request,
        choice.person,
        form,
        year=year,
        problem=problem,
        extra={"staff": False, "people": people, "own": choice.own},
    )

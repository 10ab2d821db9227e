"""The catalogue's pages: search and browse, an item with its versions, the import of a version
with its report; the chronic-disease registrations for bureau staff and for the person."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jingban.catalogue import imports, queries, services
from jingban.catalogue.forms import EndForm, RegistrationForm, VersionImportForm
from jingban.catalogue.models import (
    CatalogueItem,
    Category,
    ChronicRegistration,
    ItemKind,
    RegistrationStatus,
)
from jingban.catalogue.plugin import CHRONIC_OWN, CHRONIC_REGISTER, CHRONIC_VIEW, IMPORT
from jingban.core import exports
from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.pagination import page_of
from jingban.core.scope import region_filter
from jingban.core.tables import check_size
from jingban.core.views.access import AuthedRequest, requires
from jingban.engine.money import fen_to_yuan_text
from jingban.registry.documents import mask_document
from jingban.registry.models import Person

PAGE_SIZE = 30


@require_GET
@requires()
def item_list(request: AuthedRequest) -> HttpResponse:
    search = queries.ItemSearch.from_query(request.GET)
    version, rows = queries.search_items(search)
    page = page_of(request, rows, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/item_list.html",
        {
            "search": search,
            "version": version,
            "versions": queries.versions().annotate(item_count=Count("items")),
            "categories": Category.choices,
            "kinds": ItemKind.choices,
            "page_obj": page,
            "query": query.urlencode(),
            "can_import": request.user.can(IMPORT),
        },
    )


def _rate_cell(item: CatalogueItem) -> str:
    return (
        f"{(item.first_pay_rate * 100).normalize():f}%" if item.first_pay_rate is not None else ""
    )


def _limit_cell(item: CatalogueItem) -> str:
    return fen_to_yuan_text(item.price_limit) if item.price_limit is not None else ""


# The import's layout (Chinese headers), so a downloaded list imports again as a new version.
EXPORT_COLUMNS: tuple[exports.Column[CatalogueItem], ...] = (
    exports.Column("code", imports.COLUMNS["code"], lambda i: i.code),
    exports.Column("name", imports.COLUMNS["name"], lambda i: i.name),
    exports.Column("kind", imports.COLUMNS["kind"], lambda i: i.kind),
    exports.Column("category", imports.COLUMNS["category"], lambda i: i.category),
    exports.Column("first_pay_rate", imports.COLUMNS["first_pay_rate"], _rate_cell),
    exports.Column("price_limit", imports.COLUMNS["price_limit"], _limit_cell),
    exports.Column("unit", imports.COLUMNS["unit"], lambda i: i.unit),
    exports.Column(
        "visit_types", imports.COLUMNS["visit_types"], lambda i: "、".join(i.visit_types)
    ),
    exports.Column("restriction", imports.COLUMNS["restriction"], lambda i: i.restriction),
)


@require_GET
@requires()
def item_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The items as searched, in the import's layout."""
    search = queries.ItemSearch.from_query(request.GET)
    version, rows = queries.search_items(search)
    return exports.export_response(
        request,
        list_name="catalogue.items",
        rows=rows,
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="catalogue",
        filters={
            "version": version.label if version else None,
            "q": search.text,
            "category": search.category,
            "kind": search.kind,
        },
    )


@require_GET
@requires()
def item_detail(request: AuthedRequest, code: str) -> HttpResponse:
    rows = queries.item_versions(code)
    in_force = queries.version_in_force(local_today())
    return render(
        request,
        "catalogue/item_detail.html",
        {"item": rows[0], "rows": rows, "in_force": in_force},
    )


@require_http_methods(["GET", "POST"])
@requires(IMPORT)
def version_import(request: AuthedRequest) -> HttpResponse:
    form = VersionImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.RowProblem] = []
    summary = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = imports.VersionInput(
            label=form.cleaned_data["label"],
            effective_from=form.cleaned_data["effective_from"],
            effective_to=form.cleaned_data["effective_to"],
            default_first_pay_rate=form.cleaned_data["default_first_pay_rate"] / Decimal(100),
            sample=form.cleaned_data["sample"],
        )
        try:
            check_size(upload.size or 0, imports.MAX_BYTES)  # before the file is read
            version = imports.import_file(
                upload.read(), upload.name or "", data, acting_user=request.user
            )
        except imports.ImportRefused as err:
            problems = err.problems
            summary = str(err.message)
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(
                request,
                _("Imported version %(version)s with %(n)d items.")
                % {"version": version.label, "n": version.items.count()},
            )
            return redirect(f"{reverse('catalogue:item_list')}?version={version.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalogue/version_import.html",
        {"form": form, "problems": problems, "summary": summary},
        status=status,
    )


# Chronic and special diseases --------------------------------------------------------------


def _with_masked(registrations: list[ChronicRegistration]) -> list[ChronicRegistration]:
    for r in registrations:
        r.masked_document = mask_document(  # type: ignore[attr-defined]
            r.person.document_type, r.person.document_number
        )
    return registrations


@require_GET
@requires(CHRONIC_VIEW)
def chronic_list(request: AuthedRequest) -> HttpResponse:
    rows = queries.registrations_for(request.user).order_by("-registered_at", "-id")
    disease = request.GET.get("disease", "")
    status = request.GET.get("status", "")
    if disease:
        rows = rows.filter(disease__code=disease[:20])
    if status in RegistrationStatus.values:
        rows = rows.filter(status=status)
    text = request.GET.get("q", "").strip()[:50].replace("\x00", "")
    if text:
        # A whole ID number, or part of a name (staff search their own region's persons).
        rows = rows.filter(Q(person__document_number=text.upper()) | Q(person__name__contains=text))
    page = page_of(request, rows, PAGE_SIZE)
    _with_masked(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/chronic_list.html",
        {
            "page_obj": page,
            "diseases": queries.diseases(),
            "statuses": RegistrationStatus.choices,
            "disease": disease,
            "status": status,
            "text": text,
            "query": query.urlencode(),
            "can_register": request.user.can(CHRONIC_REGISTER),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHRONIC_REGISTER)
def chronic_register(request: AuthedRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None, initial={"valid_from": local_today()})
    if request.method == "POST" and form.is_valid():
        number = str(form.cleaned_data["document_number"]).strip().upper()
        person = (
            Person.objects.filter(region_filter(request.user, "region"))
            .filter(document_number=number)
            .select_related("region")
            .first()
        )
        if person is None:
            form.add_error(
                "document_number", _("No insured person with this ID number in your area.")
            )
        else:
            try:
                registration = services.register_chronic(
                    services.RegistrationInput(
                        person=person,
                        disease=form.cleaned_data["disease"],
                        valid_from=form.cleaned_data["valid_from"],
                        valid_to=form.cleaned_data["valid_to"],
                        hospital=form.cleaned_data["hospital"],
                    ),
                    acting_user=request.user,
                )
            except ValidationFailed as err:
                form.add_domain_errors(err)
            else:
                messages.success(request, _("The registration is recorded."))
                return redirect("catalogue:chronic_detail", pk=registration.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "catalogue/chronic_form.html", {"form": form}, status=status)


@require_GET
@requires(CHRONIC_VIEW)
def chronic_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    registration = queries.registration_for(request.user, pk)
    _with_masked([registration])
    return render(
        request,
        "catalogue/chronic_detail.html",
        {
            "registration": registration,
            "can_end": request.user.can(CHRONIC_REGISTER)
            and registration.status == RegistrationStatus.ACTIVE,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(CHRONIC_REGISTER)
def chronic_end(request: AuthedRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then ends the registration (POST)."""
    registration = queries.registration_for(request.user, pk)
    _with_masked([registration])
    form = EndForm(request.POST or None, initial={"ended_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_chronic(
                registration,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The registration has ended."))
            return redirect("catalogue:chronic_detail", pk=registration.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalogue/chronic_end.html",
        {"form": form, "registration": registration},
        status=status,
    )


@require_GET
@requires(CHRONIC_OWN)
def chronic_own(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/chronic_own.html",
        {"registrations": queries.own_registrations(request.user), "today": local_today()},
    )

"""The directory's pages: the staff list with its filters, forms, import and downloads, and the
public search (no sign-in, no JavaScript needed)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jingban.core import exports
from jingban.core.errors import DomainError, ValidationFailed
from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.directory import imports, queries, services
from jingban.directory.forms import EntryForm, ImportForm
from jingban.directory.models import BusinessLine, Entry
from jingban.directory.plugin import EDIT, IMPORT

PAGE_SIZE = 25


def _search_context(request: HttpRequest, search: queries.Search) -> dict[str, object]:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "search": search,
        "lines": BusinessLine.choices,
        "query": query.urlencode(),
        "searched": bool(search.line or search.place or search.text),
    }


@require_GET
@requires()
def entry_list(request: AuthedRequest) -> HttpResponse:
    search = queries.Search.from_query(request.GET, staff=True)
    rows = queries.search_entries(search)
    page = page_of(request, rows, PAGE_SIZE)
    editable = (
        set(
            queries.editable_entries(request.user)
            .filter(pk__in=[e.pk for e in page.object_list])
            .values_list("pk", flat=True)
        )
        if request.user.can(EDIT)
        else set()
    )
    context = _search_context(request, search) | {
        "page_obj": page,
        "editable": editable,
        "can_edit": request.user.can(EDIT),
        "can_import": request.user.can(IMPORT),
    }
    return render(request, "directory/entry_list.html", context)


EXPORT_COLUMNS = (
    *(exports.Column(c.key, c.label, c.cell) for c in imports.COLUMNS),
    exports.Column("active", pgettext_lazy("directory", "Active"), lambda e: e.active),
)


@require_GET
@requires()
def entry_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The list as filtered, in the import's column layout (plus whether each is active)."""
    search = queries.Search.from_query(request.GET, staff=True)
    return exports.export_response(
        request,
        list_name="directory.entry",
        rows=queries.search_entries(search),
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="directory",
        filters=search.as_filters(),
    )


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def entry_create(request: AuthedRequest) -> HttpResponse:
    form = EntryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_entry(form.entry_input(), acting_user=request.user)
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("Added %(entry)s to the directory.") % {"entry": entry})
            return redirect("directory:entry_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/entry_form.html", {"form": form, "entry": None}, status=status
    )


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = queries.entry_for_edit(request.user, pk)
    form = EntryForm(request.POST or None, user=request.user, initial=EntryForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_entry(entry, form.entry_input(), acting_user=request.user)
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("Saved %(entry)s.") % {"entry": entry})
            return redirect("directory:entry_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/entry_form.html", {"form": form, "entry": entry}, status=status
    )


@require_http_methods(["GET", "POST"])
@requires(EDIT)
def entry_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then takes the entry off the public directory (POST)."""
    entry = queries.entry_for_edit(request.user, pk)
    if request.method != "POST":
        return render(request, "directory/entry_confirm.html", {"entry": entry})
    return _set_active(request, entry, False)


@require_POST
@requires(EDIT)
def entry_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _set_active(request, queries.entry_for_edit(request.user, pk), True)


def _set_active(request: AuthedRequest, entry: Entry, active: bool) -> HttpResponse:
    try:
        services.set_active(entry, active, acting_user=request.user)
    except DomainError as err:
        messages.error(request, str(err.message))
    else:
        messages.success(
            request,
            (_("%(entry)s is shown again.") if active else _("%(entry)s is no longer shown."))
            % {"entry": entry},
        )
    return redirect("directory:entry_list")


@require_http_methods(["GET", "POST"])
@requires(IMPORT)
def entry_import(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.RowProblem] = []
    summary = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imports.check_size(upload.size or 0)  # before the file is read into memory
            result = imports.import_file(upload.read(), upload.name or "", acting_user=request.user)
        except imports.ImportRefused as err:
            problems = err.problems
            summary = str(err.message)
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("directory:entry_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "directory/entry_import.html",
        {"form": form, "problems": problems, "summary": summary},
        status=status,
    )


@require_GET
def public_search(request: HttpRequest) -> HttpResponse:
    """The directory for anyone: a plain GET form, so it works without JavaScript."""
    search = queries.Search.from_query(request.GET)
    page = page_of(request, queries.search_entries(search), PAGE_SIZE)
    return render(
        request,
        "directory/public_search.html",
        _search_context(request, search) | {"page_obj": page},
    )

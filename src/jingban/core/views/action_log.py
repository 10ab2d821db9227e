"""The action log as an auditor's tool: entries as sentences, filtered, paged, opened one by
one with their changes by field, and exported.

The filters are in the query string (``filters.LogFilterForm``) so a filtered list can be paged,
bookmarked and exported, and hold only dates, ids and codes. A person is found by a posted term
(name or document number), resolved to its id by the app that owns persons; a number search by a
viewer who may not reveal numbers is logged and limited there like any other.

Personal values are shown in clear to a viewer who may reveal them, and each page or entry that
showed some is logged (``record_personal_data_shown``); others see them masked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from jingban.core import exports, queries
from jingban.core.actionlog.display import ShownEntry, shown_entries
from jingban.core.actionlog.filters import LogFilterForm, SubjectSearchForm, search_subjects
from jingban.core.actionlog.sentences import Sentence, plain_sentence, sentences
from jingban.core.actionlog.status import SealStatus, seal_status
from jingban.core.errors import DomainError, NotFound
from jingban.core.models import ActionLog, User
from jingban.core.pagination import page_of
from jingban.core.plugins import object_type_label
from jingban.core.roles import Cap
from jingban.core.services.audit import record_personal_data_shown
from jingban.core.views.access import AuthedRequest, requires

PAGE_SIZE = 50
# The filters kept in the query string (everything but the page).
FILTER_KEYS = ("date_from", "date_to", "actor", "subject", "object_type", "action")

SEAL_LABELS = {
    SealStatus.SEALED: gettext_lazy("Sealed into the chain; its seal checks out"),
    SealStatus.PENDING: gettext_lazy("Written, waiting to be sealed"),
    SealStatus.REFUSED: gettext_lazy("Refused by the sealer: not written by the application"),
    SealStatus.BROKEN: gettext_lazy("Does not match its seal: changed after it was written"),
}


def _filter_query(request: AuthedRequest) -> str:
    """The list's filters as a query string (without the page), for paging and links."""
    kept = [(k, request.GET[k]) for k in FILTER_KEYS if request.GET.get(k, "").strip()]
    return urlencode(kept)


def _log_shown(rows: list[ShownEntry], request: AuthedRequest) -> None:
    revealed = [row.entry.pk for row in rows if row.revealed]
    if revealed:
        record_personal_data_shown(revealed, acting_user=request.user)


@require_http_methods(["GET", "POST"])
@requires(Cap.ACTION_LOG_VIEW)
def action_log(request: AuthedRequest) -> HttpResponse:
    """The entries in the viewer's regions that match the filters. A POST is a person search:
    one match reloads the list filtered by that person's id, several are offered as links."""
    user = request.user
    form = LogFilterForm(request.GET or None, viewer=user)
    search = SubjectSearchForm(request.POST if request.method == "POST" else None)
    matches: list[tuple[str, str]] = []
    status = 200
    if search.is_bound:
        if search.is_valid():
            try:
                matches = search_subjects(user, search.cleaned_data["term"])
            except DomainError as err:
                search.add_error("term", str(err.message))
                status = err.status
            else:
                if not matches:
                    search.add_error("term", _("No person in your scope matches this search."))
                    status = 404
                elif len(matches) == 1:
                    return _with_subject(request, matches[0][0])
        else:
            status = 400
    entries = queries.action_log_for(user).select_related("actor")
    if form.is_bound and not form.is_valid():
        entries = entries.none()
        status = 400
    elif form.is_bound:
        entries = form.apply(entries)
    page = page_of(request, entries, PAGE_SIZE)
    rows = shown_entries(page.object_list, user, reveal=True)
    _log_shown(rows, request)
    query = _filter_query(request)
    return render(
        request,
        "core/action_log.html",
        {
            "form": form,
            "search": search,
            "matches": [(_subject_url(request, value), text) for value, text in matches],
            "page_obj": page,
            "rows": rows,
            "total": page.paginator.count,
            "query": query,
            "filtered": bool(query),
            "subject_text": form.subject_text if form.is_bound and form.is_valid() else "",
            "can_reveal": user.can(Cap.PERSON_REVEAL),
        },
        status=status,
    )


def _subject_url(request: AuthedRequest, subject: str) -> str:
    kept = [(k, request.GET[k]) for k in FILTER_KEYS if k != "subject" and request.GET.get(k)]
    return reverse("core:action_log") + "?" + urlencode([*kept, ("subject", subject)])


def _with_subject(request: AuthedRequest, subject: str) -> HttpResponse:
    """The list again, filtered by the person's id (303: the browser gets it with GET)."""
    response = HttpResponseRedirect(_subject_url(request, subject))
    response.status_code = 303
    return response


@requires(Cap.ACTION_LOG_VIEW)
def action_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    """One entry: its sentence, its changes field by field, its reason and its seal."""
    entry = queries.action_log_for(request.user).select_related("actor").filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    (row,) = shown_entries([entry], request.user, reveal=True)
    _log_shown([row], request)
    status = seal_status(entry.pk)
    return render(
        request,
        "core/action_entry.html",
        {
            "row": row,
            "entry": entry,
            "sentence": row.sentence,
            "seal_label": SEAL_LABELS[status],
            "seal_ok": status in (SealStatus.SEALED, SealStatus.PENDING),
            "can_reveal": request.user.can(Cap.PERSON_REVEAL),
        },
    )


# One export row: the entry and its sentence.
Said = tuple[ActionLog, Sentence]

EXPORT_COLUMNS: tuple[exports.Column[Said], ...] = (
    exports.Column("id", pgettext_lazy("action log", "Entry number"), lambda r: r[0].pk),
    exports.Column("at", gettext_lazy("Time"), lambda r: r[0].at),
    exports.Column("actor", gettext_lazy("Who"), lambda r: r[1].actor),
    exports.Column("action", gettext_lazy("Action"), lambda r: r[1].action),
    exports.Column(
        "object_type", gettext_lazy("Object type"), lambda r: object_type_label(r[0].object_type)
    ),
    exports.Column("sentence", gettext_lazy("What happened"), lambda r: plain_sentence(r[1])),
    exports.Column("seq", gettext_lazy("Position in the chain"), lambda r: r[0].seq),
)


class _Sentenced(Sequence[Said]):
    """The entries with their sentences, read a chunk at a time (the names of a chunk's objects
    in one query per type) in the language of the request, which a streamed body outlives."""

    def __init__(self, entries: QuerySet[ActionLog], viewer: User) -> None:
        self.entries, self.viewer = entries, viewer
        self.language = translation.get_language() or "zh-hans"
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.entries.count()
        return self._count

    @overload
    def __getitem__(self, index: int) -> Said: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Said]: ...
    def __getitem__(self, index: int | slice) -> Said | Sequence[Said]:
        if isinstance(index, slice):
            return list(self._said(list(self.entries[index])))
        return next(iter(self._said([self.entries[index]])))

    def _said(self, chunk: list[ActionLog]) -> Iterator[Said]:
        with translation.override(self.language):
            said = sentences(chunk, self.viewer)
        for entry in chunk:
            yield entry, said[entry.pk]

    def __iter__(self) -> Iterator[Said]:
        chunk: list[ActionLog] = []
        for entry in self.entries.iterator(chunk_size=exports.CHUNK_SIZE):
            chunk.append(entry)
            if len(chunk) >= EXPORT_CHUNK:
                yield from self._said(chunk)
                chunk = []
        yield from self._said(chunk)


# Entries whose sentences are built together (one query per object type and chunk).
EXPORT_CHUNK = 500


@requires(Cap.ACTION_LOG_VIEW)
def action_log_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The filtered list as CSV or xlsx: one sentence per entry with the names the list shows,
    never a changed value or a reason (personal data stays on the pages, where showing it is
    logged); the download is logged with its filters (dates, ids and codes only)."""
    user = request.user
    exports.require_export(user)
    form = LogFilterForm(request.GET or None, viewer=user)
    entries = queries.action_log_for(user).select_related("actor")
    if form.is_bound:
        if not form.is_valid():
            message = _("The filters of this list are not valid; correct them on the list.")
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        entries = form.apply(entries)
    return exports.export_response(
        request,
        list_name="core.action_log",
        rows=_Sentenced(entries, user),
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="action-log",
        filters=form.recorded() if form.is_bound else {},
    )

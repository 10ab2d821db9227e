"""The person list as CSV or xlsx: the rows of the user's scope and search, with document
numbers and phones masked whatever the user may reveal, and the age instead of the birth date
(a birth date beside a masked resident ID gives the hidden digits back)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jingban.core import exports
from jingban.core.errors import ValidationFailed
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry import display, services
from jingban.registry.models import Person
from jingban.registry.services.probes import LookupThrottled

# A search this long and alphanumeric can only be a whole document number: an identity check,
# which a role without the reveal capability makes on the list page (logged), not in a file.
_WHOLE_DOCUMENT = 15


EXPORT_COLUMNS: tuple[exports.Column[Person], ...] = (
    exports.Column("id", pgettext_lazy("export", "Record number"), lambda p: p.pk),
    exports.Column("name", pgettext_lazy("person", "Name"), lambda p: p.name),
    exports.Column("document_type", _("Document type"), lambda p: p.get_document_type_display()),
    exports.Column("document", _("Document"), lambda p: display.shown(p).document),
    exports.Column("sex", _("Sex"), lambda p: p.get_sex_display()),
    exports.Column("age", pgettext_lazy("export", "Age"), lambda p: display.shown(p).age),
    exports.Column("phone", _("Phone"), lambda p: display.shown(p).phone),
    exports.Column("region", _("Region"), lambda p: p.region.name),
    exports.Column("deceased", _("Deceased"), lambda p: gettext("yes") if p.death_date else ""),
)


@requires(Cap.PERSON_VIEW)
def person_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    user = request.user
    exports.require_export(user)
    query = request.GET.get("q", "").strip()
    compact = query.replace(" ", "")
    if len(compact) >= _WHOLE_DOCUMENT and compact.isalnum() and not user.can(Cap.PERSON_REVEAL):
        message = gettext("Look a person up by a whole document number on the list, not in a file.")
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    try:
        # A number search is logged and limited here as on the list page.
        rows = services.search_persons(user, query).order_by("id")
    except (LookupThrottled, ValidationFailed) as err:
        # Throttled, or a term that cannot be searched (too long, a NUL byte, hidden digits).
        return HttpResponse(
            str(err.message), status=err.status, content_type="text/plain; charset=utf-8"
        )
    return exports.export_response(
        request,
        list_name="registry.persons",
        rows=rows,
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="persons",
        # A search may be a name or a number: the log says only that there was one.
        filters={"search": bool(query)},
    )

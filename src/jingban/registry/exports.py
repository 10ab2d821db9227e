"""The person list as CSV or xlsx: the rows of the user's scope and search, with document
numbers and phones masked whatever the user may reveal, and the age instead of the birth date
(a birth date beside a masked resident ID gives the hidden digits back)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jingban.core import exports
from jingban.core.calendar import today as local_today
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry import queries
from jingban.registry.documents import mask_document, mask_phone
from jingban.registry.models import Person

# A search this long and alphanumeric can only be a whole document number: an identity check,
# which a role without the reveal capability makes on the list page (logged), not in a file.
_WHOLE_DOCUMENT = 15


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age(person: Person) -> int:
    end = person.death_date or local_today()
    return max(0, age_on(person.birth_date, end))


EXPORT_COLUMNS: tuple[exports.Column[Person], ...] = (
    exports.Column("id", pgettext_lazy("export", "Record number"), lambda p: p.pk),
    exports.Column("name", pgettext_lazy("person", "Name"), lambda p: p.name),
    exports.Column("document_type", _("Document type"), lambda p: p.get_document_type_display()),
    exports.Column(
        "document", _("Document"), lambda p: mask_document(p.document_type, p.document_number)
    ),
    exports.Column("sex", _("Sex"), lambda p: p.get_sex_display()),
    exports.Column("age", pgettext_lazy("export", "Age"), _age),
    exports.Column("phone", _("Phone"), lambda p: mask_phone(p.phone)),
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
    return exports.export_response(
        request,
        list_name="registry.persons",
        rows=queries.search_persons(user, query).order_by("id"),
        columns=EXPORT_COLUMNS,
        fmt=fmt,
        filename="persons",
        # A search may be a name or a number: the log says only that there was one.
        filters={"search": bool(query)},
    )

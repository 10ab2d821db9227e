"""Bulk enrollment from a spreadsheet (批量参保登记, Excel or CSV): every row is checked first; one
bad row refuses the whole file with a report naming each bad row and column, and nothing is
stored. A good file is enrolled in one transaction with one action row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_bulk
from jingban.core.calendar import today
from jingban.core.errors import DomainError
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.core.services.reference import digest_rows
from jingban.enrollment import caps, services
from jingban.enrollment.payments import _scheme_lookup
from jingban.enrollment.services import EnrollInput
from jingban.enrollment.tables import ImportRefused, RowProblem, columns, parse_day, read_table
from jingban.registry import queries as registry_queries
from jingban.registry.models import Enrollment, EnrollmentStatus, Person

ENROLLMENT_COLUMNS = {
    "document_number": ("证件号码", "document number", "身份证号", "document_number"),
    "name": ("姓名", "name"),
    "scheme": ("险种", "scheme"),
    "year": ("年度", "year", "参保年度"),
    "tier": ("档次", "tier", "缴费档次"),
    "effective": ("生效日期", "effective", "effective date"),
    "enrolled_on": ("参保日期", "enrolled on", "enrolled_on"),
    "reason": ("原因", "reason"),
}
REQUIRED = ("document_number", "name", "scheme", "year", "effective")


@dataclass(frozen=True)
class BulkRow:
    row: int
    person_id: int
    data: EnrollInput


def parse_enrollments(rows: list[list[str]], acting_user: User | None) -> list[BulkRow]:
    _keys, data = columns(rows, ENROLLMENT_COLUMNS, REQUIRED)
    label = {key: names[0] for key, names in ENROLLMENT_COLUMNS.items()}
    schemes = _scheme_lookup()
    visible = (
        registry_queries.persons_for(acting_user)
        if acting_user is not None
        else Person.objects.select_related("region")
    )
    documents = {cells.get("document_number", "").upper() for cells in data if cells}
    persons = {p.document_number.upper(): p for p in visible.filter(document_number__in=documents)}
    active = set(
        Enrollment.objects.filter(
            person__in=[p.pk for p in persons.values()], status=EnrollmentStatus.ACTIVE
        ).values_list("person_id", "scheme__code", "year")
    )
    parsed: list[BulkRow] = []
    problems: list[RowProblem] = []
    seen: set[tuple[int, str, int]] = set()
    for number, cells in enumerate(data, start=2):
        if not cells:
            continue
        here: list[RowProblem] = []

        def bad(
            key: str, message: object, number: int = number, here: list[RowProblem] = here
        ) -> None:
            here.append(RowProblem(number, label.get(key, key), str(message)))

        for key in REQUIRED:
            if not cells.get(key):
                bad(key, _("A value is required."))
        person = persons.get(cells.get("document_number", "").upper())
        if cells.get("document_number") and person is None:
            bad("document_number", _("No such insured person."))
        elif person is not None and cells.get("name") and person.name != cells["name"]:
            bad("name", _("The name does not match the document number."))
        scheme = schemes.get(cells.get("scheme", "").lower())
        if cells.get("scheme") and scheme is None:
            bad("scheme", _("Unknown scheme “%(v)s”.") % {"v": cells["scheme"]})
        year = 0
        if cells.get("year"):
            try:
                year = int(cells["year"])
            except ValueError:
                bad("year", _("Not a year: “%(v)s”.") % {"v": cells["year"]})
        days: dict[str, dt.date] = {}
        for key in ("effective", "enrolled_on"):
            if cells.get(key):
                try:
                    days[key] = parse_day(cells[key])
                except ValueError:
                    bad(key, _("Not a date: “%(v)s”.") % {"v": cells[key]})
        if not here and person is not None and scheme is not None:
            entry = EnrollInput(
                scheme_code=scheme.code,
                year=year,
                effective=days["effective"],
                tier=cells.get("tier", ""),
                enrolled_on=days.get("enrolled_on"),
                reason=cells.get("reason", ""),
            )
            for field, messages in services.check_enroll(person, entry).items():
                for message in messages:
                    bad(field if field in label else "effective", message)
            key3 = (person.pk, scheme.code, year)
            if key3 in active:
                bad("year", _("Already enrolled for this year."))
            if key3 in seen:
                bad("document_number", _("The same person, scheme and year appear twice."))
            seen.add(key3)
            if not here:
                parsed.append(BulkRow(number, person.pk, entry))
        problems += here
    if problems:
        raise ImportRefused(problems)
    if not parsed:
        raise ImportRefused([RowProblem(2, _("File"), _("The file has no rows."))])
    return parsed


def import_enrollments(content: bytes, filename: str, *, acting_user: User | None) -> int:
    """Enroll every row of the file, or none (``ImportRefused``). Returns the number of rows."""
    require_capability(acting_user, caps.EDIT)
    parsed = parse_enrollments(read_table(content, filename), acting_user)
    persons = Person.objects.select_related("region").in_bulk([row.person_id for row in parsed])
    with transaction.atomic():
        for row in parsed:
            try:
                services.write_enrollment(persons[row.person_id], row.data)
            except DomainError as err:  # a row changed since it was checked: refuse it all
                messages = [str(m) for ms in err.fields.values() for m in ms] or [str(err.message)]
                raise ImportRefused(
                    [RowProblem(row.row, _("Year"), message) for message in messages]
                ) from None
        log_bulk(
            acting_user=acting_user,
            action="enrollment.enrollment.imported",
            object_type="registry.enrollment",
            rows=len(parsed),
            digest=digest_rows(
                {"person": r.person_id, **r.data.__dict__, "at": today()} for r in parsed
            ),
            reason=filename[:200],
        )
    return len(parsed)

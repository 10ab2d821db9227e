"""Case numbers: one numbering for every LTC case (application, re-assessment, demo, synthetic
city), 长护<year>-<six digits>, counted per year, with a run reserved at once for bulk code."""

from __future__ import annotations

import datetime as dt
import threading

from django.db import connection, transaction

from jingban.ltc import numbers
from jingban.ltc.models import Case


def _case(personas, number: str) -> Case:
    person = personas.in_scope_person
    return Case.objects.create(
        number=number,
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="window",
        received_on=dt.date(2031, 1, 5),
    )


def test_a_number_is_the_year_and_six_digits() -> None:
    assert numbers.format_number(2026, 123) == "长护2026-000123"
    assert numbers.format_number(2027, 1) == "长护2027-000001"


def test_numbers_count_on_within_their_year_only(personas) -> None:
    with transaction.atomic():
        assert numbers.next_number(dt.date(2031, 3, 1)) == "长护2031-000001"
        _case(personas, numbers.format_number(2031, 41))
        assert numbers.next_number(dt.date(2031, 12, 31)) == "长护2031-000042"
        assert numbers.next_number(dt.date(2032, 1, 1)) == "长护2032-000001"


def test_bulk_code_reserves_a_run_and_formats_it_itself(personas) -> None:
    with transaction.atomic():
        _case(personas, numbers.format_number(2031, 7))
        first = numbers.reserve(2031, 3)
        assert first == 8
        for offset in range(3):
            _case(personas, numbers.format_number(2031, first + offset))
        assert numbers.next_number(dt.date(2031, 6, 1)) == "长护2031-000011"


def _other_session_may_number(year: int) -> bool:
    """Whether another session could take ``year``'s numbering lock right now."""
    answer: dict[str, bool] = {}

    def other() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(hashtext(%s))", [f"ltc.case.number:{year}"]
                )
                answer["free"] = bool(cursor.fetchone()[0])
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(30)
    return answer["free"]


def test_a_second_session_waits_until_the_first_ones_case_is_committed(db) -> None:
    assert _other_session_may_number(2031)
    with transaction.atomic():
        numbers.next_number(dt.date(2031, 5, 1))
        # Held until this transaction (which would create the case) ends; other years are free.
        assert not _other_session_may_number(2031)
        assert _other_session_may_number(2032)

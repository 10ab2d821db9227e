"""What the picture tests share: chen's own rows made through the apps' services (a filing, a
notice), and a section looked up by key."""

from __future__ import annotations

from typing import Any

from jingban.core.calendar import today
from jingban.core.reminders import Reminder
from jingban.filing import services as filing_services
from jingban.filing.models import Filing
from jingban.notices.services import record_reminders
from jingban.registry.models import Person
from tests.personas import Personas


def chen_filing(personas: Personas) -> Filing:
    """chen files online for treatment while living in Nanjing (a personal commitment)."""
    return filing_services.file_filing(
        filing_services.FilingInput(
            person=Person.objects.select_related("region").get(pk=personas.own_person.pk),
            kind="long_term_residence",
            destination="320100",
            start=today(),
            commitment=True,
        ),
        acting_user=personas.user("chen"),
    )


def chen_notice(
    personas: Personas, *, key: str = "picture.test:1", title: str = "请续缴2027年度医保费"
) -> None:
    record_reminders(
        [
            (
                "tests.picture",
                [
                    Reminder(
                        user_id=personas.user("chen").pk,
                        key=key,
                        title=title,
                        body="集中缴费期截至12月31日。",
                        url="/enrollment/mine/",
                    )
                ],
            )
        ]
    )


def section(body: dict[str, Any], key: str) -> dict[str, Any]:
    found = [s for s in body["sections"] if s["key"] == key]
    assert len(found) == 1, [s["key"] for s in body["sections"]]
    return found[0]


def keys(body: dict[str, Any]) -> list[str]:
    return [s["key"] for s in body["sections"]]

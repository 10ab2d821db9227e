"""The reference long-term care engine: plain Python, no Django, no database.

``scoring.grade`` grades an assessment by the national standard's pack; ``settle.settle_month``
settles a month of service records by a city's LTC pack; ``files`` reads and writes the batch
files of ``jingban ltc level`` and ``jingban ltc settle``.
"""

from jingban.engine.ltc.scoring import (
    BarthelGrade,
    Grade,
    ScoreInvalid,
    barthel,
    grade,
    item_codes,
    may_apply,
    self_assessment,
)
from jingban.engine.ltc.settle import (
    HOSPITAL_STAY,
    Line,
    PersonMonth,
    Rejection,
    ServiceRow,
    UnsortedRows,
    person_category_of,
    settle_month,
    settle_person,
)

__all__ = [
    "HOSPITAL_STAY",
    "BarthelGrade",
    "Grade",
    "Line",
    "PersonMonth",
    "Rejection",
    "ScoreInvalid",
    "ServiceRow",
    "UnsortedRows",
    "barthel",
    "grade",
    "item_codes",
    "may_apply",
    "person_category_of",
    "self_assessment",
    "settle_month",
    "settle_person",
]

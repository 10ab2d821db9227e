"""The other parts of step 8 that a settlement calls, by their contract names (contracts 3, 4
and 5), in one place: the enrollment's ``coverage``, the catalogue's ``classify`` and
``require_registration``, the filing's ``cross_region``.

The settlement service calls ``ports.coverage(...)`` and never imports those apps itself, so a
test can replace one of them (``monkeypatch.setattr(ports, "coverage", fake)``). Each function
imports its module when first called: a missing app fails loudly there, not silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any


def coverage(person_id: int, scheme_code: str, on: dt.date, *, history: Mapping[int, Any]) -> Any:
    """Contract 3: the person's coverage on ``on`` (``Coverage``), or ``CoverageRefused``."""
    from jingban.enrollment.coverage import coverage as real

    return real(person_id, scheme_code, on, history=history)


def year_use(fund_paid: bool, ci_paid: bool) -> Any:
    """Contract 3: ``YearUse`` of one past year, for ``coverage``'s history."""
    from jingban.engine.medical.continuity import YearUse

    return YearUse(fund_paid=fund_paid, ci_paid=ci_paid)


def fee_line(line_id: str, code: str, name: str, quantity: Any, price: int, amount: int) -> Any:
    """Contract 4: a ``FeeLine`` for ``classify``."""
    from jingban.catalogue.classify import FeeLine

    return FeeLine(line_id, code, name, quantity, price, amount)


def classify(lines: Sequence[Any], *, on: dt.date, visit_type: Any) -> Any:
    """Contract 4: the fee lines classified through the catalogue in force (``Classification``)."""
    from jingban.catalogue.classify import classify as real

    return real(lines, on=on, visit_type=visit_type)


def require_registration(person_id: int, disease_code: str, on: dt.date) -> None:
    """Contract 4: ``ChronicNotRegistered`` unless the person is registered for the disease."""
    from jingban.catalogue.chronic import require_registration as real

    real(person_id, disease_code, on)


def cross_region(
    person_id: int,
    on: dt.date,
    *,
    insured_area: str,
    treatment_area: str,
    emergency: bool = False,
) -> Any:
    """Contract 5: the cross-region rule of a treatment (``CrossRegionDecision``); never raises
    for a missing filing."""
    from jingban.filing.decide import cross_region as real

    return real(
        person_id, on, insured_area=insured_area, treatment_area=treatment_area, emergency=emergency
    )

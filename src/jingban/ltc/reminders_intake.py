"""The intake part's reminders (core.reminders): an application whose acceptance deadline is
near or past reminds the operators of its region (the pack's ``acceptance.remind_before``
working days ahead); a pending assessment whose visit is near or past reminds the drawn
assessors (``assessment.remind_before``). Keys and titles hold the case number only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.calendar import add_working_days
from jingban.core.models import User
from jingban.core.reminders import Reminder, text
from jingban.core.roles import Role
from jingban.ltc import policy
from jingban.ltc.models import Assessment, AssessmentStatus, Case, CaseStatus


def _operators(case: Case) -> list[int]:
    codes = [c for c in case.region_path.split("/") if c]
    return list(
        User.objects.filter(role=Role.OPERATOR, is_active=True, region__code__in=codes).values_list(
            "pk", flat=True
        )
    )


def due(today: dt.date) -> Iterator[Reminder]:
    cases = Case.objects.filter(status=CaseStatus.APPLIED, due_on__isnull=False).select_related(
        "region"
    )
    for case in cases.iterator(chunk_size=500):
        assert case.due_on is not None
        try:
            _pack, rules = policy.case_rules(case)
        except policy.NoPack:
            continue
        before = rules.acceptance.remind_before
        if add_working_days(case.due_on, -before) > today:
            continue
        for user_id in _operators(case):
            yield Reminder(
                user_id=user_id,
                key=f"ltc.case.accept:{case.pk}",
                title=text(_("Application %(number)s is due for acceptance"), number=case.number),
                url=reverse("ltc:case_detail", args=[case.pk]),
                due=case.due_on,
            )
    pending = Assessment.objects.filter(
        status=AssessmentStatus.PENDING, due_on__isnull=False
    ).select_related("case", "case__region")
    for assessment in pending.iterator(chunk_size=500):
        assert assessment.due_on is not None
        case = assessment.case
        try:
            _pack, rules = policy.case_rules(case)
        except policy.NoPack:
            continue
        if add_working_days(assessment.due_on, -rules.assessment.remind_before) > today:
            continue
        for user_id in assessment.assessors.exclude(account=None).values_list(
            "account_id", flat=True
        ):
            yield Reminder(
                user_id=int(user_id),
                key=f"ltc.assessment.visit:{assessment.pk}",
                title=text(
                    _("Case %(number)s is due for its on-site assessment"), number=case.number
                ),
                url=reverse("ltc:score", args=[assessment.pk]),
                due=assessment.due_on,
            )

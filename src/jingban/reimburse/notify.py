"""The notices the person (and the agent who applied) get at each step, recorded at the step
(inside its transaction) through the notices app, not on the next reminder run.

Each step is its own source (``jingban.reimburse.notify:<step>:<id>``) so that recording one does
not resolve the notices of another step."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.reminders import Reminder, text
from jingban.reimburse.models import Reimbursement


def _recipients(item: Reimbursement) -> list[int]:
    found = [item.person.account_id]
    if item.agent_id is not None:
        found.append(item.agent.account_id)  # type: ignore[union-attr]
    return [pk for pk in dict.fromkeys(found) if pk is not None]


def _record(item: Reimbursement, step: str, title: object, body: object) -> None:
    from jingban.notices.services import record_reminders

    users = _recipients(item)
    if not users:
        return
    url = reverse("reimburse:my_detail", args=[item.pk])
    key = f"reimburse.{step}:{item.pk}:{item.updated_at:%Y%m%d%H%M%S%f}"
    reminders = [
        Reminder(user_id=user, key=key, title=title, body=body, url=url)  # type: ignore[arg-type]
        for user in users
    ]
    record_reminders([(f"jingban.reimburse.notify:{step}:{item.pk}", reminders)])


def _yuan(fen: int) -> str:
    from jingban.engine.money import format_yuan

    return format_yuan(fen)


def received(item: Reimbursement) -> None:
    _record(
        item,
        "received",
        text(_("Reimbursement %(ref)s received"), ref=item.number),
        text(
            _("We received the application for %(total)s yuan; it is reviewed by %(day)s."),
            total=_yuan(item.total),
            day=item.deadline.isoformat() if item.deadline else "",
        ),
    )


def more_materials(item: Reimbursement) -> None:
    _record(
        item,
        "more",
        text(_("Reimbursement %(ref)s: more materials needed"), ref=item.number),
        text(_("Please hand in: %(reason)s"), reason=item.request_reason),
    )


def resubmitted(item: Reimbursement) -> None:
    _record(
        item,
        "resubmitted",
        text(_("Reimbursement %(ref)s: materials received"), ref=item.number),
        text(
            _("The review goes on; it ends by %(day)s."),
            day=item.deadline.isoformat() if item.deadline else "",
        ),
    )


def approved(item: Reimbursement) -> None:
    _record(
        item,
        "approved",
        text(_("Reimbursement %(ref)s approved"), ref=item.number),
        text(
            _("%(amount)s yuan will be paid into the account you gave."),
            amount=_yuan(item.payable),
        ),
    )


def paid(item: Reimbursement) -> None:
    _record(
        item,
        "paid",
        text(_("Reimbursement %(ref)s paid"), ref=item.number),
        text(
            _("%(amount)s yuan was paid on %(day)s."),
            amount=_yuan(item.payable),
            day=item.paid_on.isoformat() if item.paid_on else "",
        ),
    )


def rejected(item: Reimbursement) -> None:
    _record(
        item,
        "rejected",
        text(_("Reimbursement %(ref)s not approved"), ref=item.number),
        text(_("Reason: %(reason)s"), reason=item.reject_reason),
    )

"""Reminders of the providers app: a rectification deadline coming up (to the institution's
staff), one passed (to the bureau's operators of the institution's region), an agreement period
ending within 30 days (to the operators)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingban.core.models import User
from jingban.core.reminders import Reminder, text
from jingban.core.roles import Role
from jingban.providers.models import OPEN_ORDER_STATES, Agreement, RectificationOrder

SOON_DAYS = 5
EXPIRY_DAYS = 30


def _operators(region_path: str) -> list[User]:
    """Active operators whose region holds ``region_path``."""
    codes = [c for c in region_path.split("/") if c]
    return list(
        User.objects.filter(is_active=True, role=Role.OPERATOR, region__code__in=codes).order_by(
            "id"
        )
    )


def deadlines(today: dt.date) -> Iterator[Reminder]:
    orders = RectificationOrder.objects.select_related(
        "agreement__institution__organisation__region"
    ).filter(state__in=OPEN_ORDER_STATES, deadline__lte=today + dt.timedelta(days=SOON_DAYS))
    for order in orders.order_by("id"):
        organisation = order.agreement.institution.organisation
        if order.deadline >= today:
            staff = User.objects.filter(
                is_active=True, role=Role.INSTITUTION_STAFF, organisation=organisation
            ).order_by("id")
            for user in staff:
                yield Reminder(
                    user_id=user.pk,
                    key=f"providers.order.due:{order.pk}",
                    title=_("A rectification order is due soon"),
                    body=text(_("Reply by %(day)s."), day=order.deadline.isoformat()),
                    url=reverse("providers:own_order", args=[order.pk]),
                    due=order.deadline,
                )
        else:
            for user in _operators(organisation.region.path):
                yield Reminder(
                    user_id=user.pk,
                    key=f"providers.order.overdue:{order.pk}",
                    title=text(
                        _("A rectification order of %(name)s is overdue"), name=organisation.name
                    ),
                    body=text(_("The deadline was %(day)s."), day=order.deadline.isoformat()),
                    url=reverse("providers:agreement_detail", args=[order.agreement_id]),
                    due=order.deadline,
                )
    ending = Agreement.objects.select_related("institution__organisation__region").filter(
        state__in=("in_force", "rectifying", "suspended"),
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=EXPIRY_DAYS),
        renewal__isnull=True,
    )
    for agreement in ending.order_by("id"):
        organisation = agreement.institution.organisation
        for user in _operators(organisation.region.path):
            yield Reminder(
                user_id=user.pk,
                key=f"providers.agreement.expiring:{agreement.pk}",
                title=text(_("The agreement of %(name)s ends soon"), name=organisation.name),
                body=text(_("It ends on %(day)s."), day=agreement.valid_until.isoformat()),
                url=reverse("providers:agreement_detail", args=[agreement.pk]),
                due=agreement.valid_until,
            )

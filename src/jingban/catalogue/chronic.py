"""The check settlement makes before a chronic or special outpatient claim (门诊慢特病): the
person must be registered for the disease, and the registration valid on the day."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.catalogue.models import ChronicDisease, ChronicRegistration
from jingban.core.errors import DomainError

FIELD = "dise_codg"


class ChronicNotRegistered(DomainError):
    """No registration of the person for the disease in force on the day (or no such disease)."""

    code = "chronic.not_registered"
    default_message = gettext_lazy(
        "The person is not registered for this chronic or special disease on that day."
    )

    def __init__(self, message: str) -> None:
        super().__init__(message, fields={FIELD: [message]})


def registration_in_force(
    person_id: int, disease_code: str, on: dt.date
) -> ChronicRegistration | None:
    """The person's registration for the disease that covers the day (an ended one covers the
    days up to its end)."""
    rows = ChronicRegistration.objects.filter(
        person_id=person_id, disease__code=disease_code, valid_from__lte=on
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return next((r for r in rows if r.covers(on)), None)


def require_registration(person_id: int, disease_code: str, on: dt.date) -> None:
    """Raise ``ChronicNotRegistered`` (code ``chronic.not_registered``, field ``dise_codg``)
    unless the person holds a registration for ``disease_code`` in force on ``on``."""
    code = str(disease_code or "").strip()
    disease = ChronicDisease.objects.filter(code=code).first() if code else None
    if disease is None:
        raise ChronicNotRegistered(
            _("No chronic or special disease has the code “%(code)s”.") % {"code": code}
        )
    if registration_in_force(person_id, code, on) is None:
        raise ChronicNotRegistered(
            _(
                "The person is not registered for %(disease)s on %(day)s: the disease must be "
                "registered first."
            )
            % {"disease": disease.name, "day": on.isoformat()}
        )

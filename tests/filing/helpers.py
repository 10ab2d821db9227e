"""Shared helpers of the filing tests: the demo's persons and a filing made through the service."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.filing import services
from jingban.filing.models import Filing
from jingban.registry.models import Person

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def pdf(name: str = "证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def person(name: str) -> Person:
    return Person.objects.select_related("region").get(name=name)


def file(
    who: Person,
    user: User,
    kind: str = "other_temporary",
    destination: str = "310000",
    **fields: object,
) -> Filing:
    return services.file_filing(
        services.FilingInput(person=who, kind=kind, destination=destination, **fields),  # type: ignore[arg-type]
        acting_user=user,
    )


def today() -> dt.date:
    return local_today()

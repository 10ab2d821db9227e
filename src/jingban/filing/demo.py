"""Filing's part of the demo world: 顾建华 (a walk-in of 吴中区) works in 南京 with a long-term
filing in force from the day the demo is built (filed at the window, with a personal commitment),
and 沈志明 is referred to a Shanghai hospital, his filing waiting for the operator's approval.
Idempotent: nothing is added when a filing exists."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.uploadedfile import SimpleUploadedFile

from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.filing import services
from jingban.filing.models import Filing, Kind
from jingban.registry.models import Person

# A one-page PDF standing for a scanned referral certificate.
REFERRAL_PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
)


def build(admin: User, users: Mapping[str, User]) -> None:
    if Filing.objects.exists():
        return
    wang = users.get("wang", admin)
    today = local_today()
    # The referral first: the oldest filing is the one API examples find waiting.
    referred = Person.objects.select_related("region").filter(name="沈志明").first()
    if referred is not None:
        services.file_filing(
            services.FilingInput(
                person=referred,
                kind=Kind.REFERRAL,
                destination="310000",
                start=today,
                note="转诊至上海市三级医院（示例）",
                materials=[SimpleUploadedFile("转诊证明.pdf", REFERRAL_PDF, "application/pdf")],
            ),
            acting_user=wang,
        )
    worker = Person.objects.select_related("region").filter(name="顾建华").first()
    if worker is not None:
        services.file_filing(
            services.FilingInput(
                person=worker,
                kind=Kind.RESIDENT_WORK,
                destination="320100",
                start=today,
                commitment=True,
                note="常驻南京工作（示例）",
            ),
            acting_user=wang,
        )

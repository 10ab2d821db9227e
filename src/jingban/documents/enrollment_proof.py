"""参保证明 (proof of enrollment): a person's enrollment per scheme and year, as a PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jingban.core.models import User
from jingban.documents import render, services
from jingban.documents.models import DocumentKind
from jingban.registry import queries as registry_queries
from jingban.registry.documents import mask_document
from jingban.registry.models import Person


@dataclass(frozen=True)
class Pdf:
    number: str
    content: bytes


def issue(person: Person, *, acting_user: User, verify_url: str, self_service: bool) -> Pdf:
    """Issue and render the proof for a person the caller has already found in scope.

    The enrollments are those the user may see (registry queries); the document shows the name
    and the masked document number only, never the birth date or the full number.
    """
    enrollments = list(registry_queries.enrollments_for(acting_user, person))
    with transaction.atomic():
        issued = services.issue_document(
            DocumentKind.ENROLLMENT_PROOF,
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            acting_user=acting_user,
        )
        content = render.render_pdf(
            "documents/pdf/enrollment_proof.html",
            {
                "document": issued.document,
                "code": issued.code,
                "verify_url": verify_url,
                "person": person,
                "masked_document": mask_document(person.document_type, person.document_number),
                "enrollments": enrollments,
                "self_service": self_service,
            },
        )
    return Pdf(issued.document.number, content)

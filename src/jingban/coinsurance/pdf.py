"""An insurer's monthly statement (共保月度结算单) as a PDF with a verification code."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jingban.coinsurance.models import Statement
from jingban.core.models import User
from jingban.documents import render
from jingban.documents.models import DocumentKind
from jingban.documents.services import issue_document

# Lines printed on the PDF; a longer statement says how many more the page lists.
MAX_LINES = 500


@dataclass(frozen=True)
class Pdf:
    number: str
    content: bytes


def issue(statement: Statement, *, product_label: str, acting_user: User, verify_url: str) -> Pdf:
    """Issue and render the statement the caller has already found in scope."""
    lines = list(statement.lines.order_by("day", "kind", "ref")[: MAX_LINES + 1])
    with transaction.atomic():
        issued = issue_document(
            DocumentKind.COINSURANCE_STATEMENT,
            object_type="coinsurance.statement",
            object_id=statement.pk,
            region_path=statement.region_path,
            acting_user=acting_user,
        )
        content = render.render_pdf(
            "coinsurance/pdf/statement.html",
            {
                "document": issued.document,
                "code": issued.code,
                "verify_url": verify_url,
                "statement": statement,
                "product_label": product_label,
                "lines": lines[:MAX_LINES],
                "more": max(0, statement.lines.count() - MAX_LINES)
                if len(lines) > MAX_LINES
                else 0,
            },
        )
    return Pdf(issued.document.number, content)

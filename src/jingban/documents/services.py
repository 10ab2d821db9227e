"""Issuing official documents: the only code that records one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from jingban.core.actionlog import log_action
from jingban.core.models import User
from jingban.documents import codes
from jingban.documents.models import DocumentKind, IssuedDocument

# The number's prefix per kind: 参保证明 → CBZM.
NUMBER_PREFIX = {
    DocumentKind.ENROLLMENT_PROOF: "CBZM",
    DocumentKind.LTC_DECISION: "CHJL",
    DocumentKind.SETTLEMENT_STATEMENT: "JSD",  # 结算单 (medical)
    DocumentKind.REIMBURSEMENT_DECISION: "BXJD",  # 手工报销决定书 (reimburse)
    DocumentKind.COINSURANCE_STATEMENT: "GBJS",  # 共保结算单 (coinsurance)
}


@dataclass(frozen=True)
class Issued:
    document: IssuedDocument
    code: str


def issue_document(
    kind: DocumentKind,
    *,
    object_type: str,
    object_id: object,
    region_path: str,
    acting_user: User | None,
    issued_on: dt.date | None = None,
) -> Issued:
    """Record a document (``documents.document.issued``) and return it with its code.

    Call inside the transaction that renders the document, so that a document that could not be
    made is not on record. The number is the kind's prefix, the date and the row's id.
    """
    day = issued_on or timezone.localdate()
    subject = f"{object_type}:{object_id}"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))",
                [IssuedDocument._meta.db_table],
            )
            pk = int(cursor.fetchone()[0])
        number = f"{NUMBER_PREFIX[kind]}{day:%Y%m%d}{pk:06d}"
        code = codes.make_code(kind, number, day, subject)
        document = IssuedDocument.objects.create(
            id=pk,
            kind=kind,
            number=number,
            issued_on=day,
            object_type=object_type,
            object_id=str(object_id),
            region_path=region_path,
            code_digest=codes.digest(code),
            issued_by=acting_user,
        )
        log_action(
            acting_user=acting_user,
            action="documents.document.issued",
            object_type="documents.document",
            object_id=pk,
            region_path=region_path,
            after={
                "kind": str(kind),
                "number": number,
                "issued_on": day.isoformat(),
                "subject": subject,
            },
        )
    return Issued(document, code)


def verify(typed: str) -> IssuedDocument | None:
    """The document a code belongs to, when the code is genuine; None for any other text.

    The row is found by the code's digest, then the code is recomputed from the row with the
    key: a row written into the table without the key does not verify.
    """
    bare = codes.normalise(typed)
    if len(bare) != codes.CODE_CHARS:
        return None
    document = IssuedDocument.objects.filter(code_digest=codes.digest(bare)).first()
    if document is None:
        return None
    subject = f"{document.object_type}:{document.object_id}"
    if not codes.matches(bare, document.kind, document.number, document.issued_on, subject):
        return None
    return document

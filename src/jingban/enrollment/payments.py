"""Contribution payments (缴费): one recorded at a service window, and the files of the tax
authority and the banks, imported with reconciliation.

An import reads every row first: a malformed row (a missing value, a bad date, an amount that is
not a positive amount of yuan, an unknown scheme) refuses the whole file with a report naming
each bad row, and nothing is stored. A well-formed file is then reconciled row by row:

- **matched**: the person (document number and name) has an enrollment for the scheme and year
  and the amount is what they owe (their tier less the subsidies of their special groups);
- **amount differs**: the same, but the amount is not what they owe: stored, and reported with
  the amount due;
- **unmatched**: no such person in the importer's scope, a name that does not match the
  document, or no enrollment for that year: reported, not stored;
- **duplicate**: a tax voucher number (完税凭证号) seen earlier in the file or already stored:
  reported, not stored again.

The payments and the import's report are written in one transaction with one action row.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingban.core import queries as core_queries
from jingban.core.actionlog import log_action, log_bulk
from jingban.core.actionlog.display import mask
from jingban.core.calendar import SHANGHAI
from jingban.core.errors import Conflict, Message, ValidationFailed
from jingban.core.models import Scheme, User
from jingban.core.permissions import require_capability
from jingban.core.services.reference import digest_rows
from jingban.engine.money import MoneyError, parse_yuan
from jingban.enrollment import caps
from jingban.enrollment import rules as contribution
from jingban.enrollment.models import (
    Channel,
    ContributionPayment,
    PaymentImport,
    Reconciliation,
)
from jingban.enrollment.tables import ImportRefused, RowProblem, columns, parse_moment, read_table
from jingban.registry import queries as registry_queries
from jingban.registry.models import Enrollment, Person

VOUCHER_MAX = 40

# Each column's key and the headers accepted for it (the first one is named in messages).
PAYMENT_COLUMNS = {
    "document_number": ("证件号码", "document number", "身份证号", "document_number"),
    "name": ("姓名", "name"),
    "scheme": ("险种", "scheme"),
    "year": ("缴费年度", "contribution year", "year"),
    "amount": ("金额", "amount", "缴费金额"),
    "paid_at": ("缴费时间", "paid at", "paid_at"),
    "channel": ("渠道", "channel", "缴费渠道"),
    "voucher": ("完税凭证号", "tax voucher number", "voucher"),
}
REQUIRED = tuple(PAYMENT_COLUMNS)


class RowStatus:
    MATCHED = "matched"
    AMOUNT_DIFFERS = "amount_differs"
    UNMATCHED = "unmatched"
    DUPLICATE = "duplicate"


STATUS_LABELS = {
    RowStatus.MATCHED: gettext_lazy("Matched"),
    RowStatus.AMOUNT_DIFFERS: gettext_lazy("Amount differs"),
    RowStatus.UNMATCHED: gettext_lazy("Unmatched"),
    RowStatus.DUPLICATE: gettext_lazy("Duplicate"),
}


@dataclass(frozen=True)
class PaymentRow:
    row: int
    document_number: str
    name: str
    scheme_code: str
    year: int
    amount: int
    paid_at: dt.datetime
    channel: str
    voucher: str


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=SHANGHAI)


def _scheme_lookup() -> dict[str, Scheme]:
    found: dict[str, Scheme] = {}
    for scheme in core_queries.schemes():
        for key in (scheme.code, scheme.name_zh, scheme.name_en):
            found[key.strip().lower()] = scheme
    return found


def _channel_lookup() -> dict[str, str]:
    from django.utils import translation

    found: dict[str, str] = {}
    for value, label in Channel.choices:
        found[value] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                found[str(label).strip().lower()] = value
    found.update({"税务": Channel.TAX, "银行": Channel.BANK, "窗口": Channel.WINDOW})
    return found


def parse_payments(rows: list[list[str]], default_channel: str) -> list[PaymentRow]:
    """The payments of a table, or ImportRefused naming every malformed row."""
    _keys, data = columns(rows, PAYMENT_COLUMNS, REQUIRED)
    label = {key: names[0] for key, names in PAYMENT_COLUMNS.items()}
    schemes = _scheme_lookup()
    channels = _channel_lookup()
    parsed: list[PaymentRow] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(data, start=2):
        if not cells:
            continue
        here: list[RowProblem] = []

        def bad(
            key: str, message: str, number: int = number, here: list[RowProblem] = here
        ) -> None:
            here.append(RowProblem(number, label[key], message))

        for key in ("document_number", "name", "scheme", "year", "amount", "paid_at", "voucher"):
            if not cells.get(key):
                bad(key, _("A value is required."))
        scheme = schemes.get(cells.get("scheme", "").lower())
        if cells.get("scheme") and scheme is None:
            bad("scheme", _("Unknown scheme “%(v)s”.") % {"v": cells["scheme"]})
        year = 0
        if cells.get("year"):
            try:
                year = int(cells["year"])
                if not 1990 <= year <= 2100:
                    raise ValueError
            except ValueError:
                bad("year", _("Not a year: “%(v)s”.") % {"v": cells["year"]})
        amount = 0
        if cells.get("amount"):
            try:
                amount = parse_yuan(cells["amount"])
                if amount <= 0:
                    bad("amount", _("The amount must be more than zero."))
            except MoneyError:
                bad("amount", _("Not an amount of yuan: “%(v)s”.") % {"v": cells["amount"]})
        paid_at = None
        if cells.get("paid_at"):
            try:
                paid_at = _aware(parse_moment(cells["paid_at"]))
            except ValueError:
                bad("paid_at", _("Not a date and time: “%(v)s”.") % {"v": cells["paid_at"]})
        channel_text = cells.get("channel", "").lower()
        channel = channels.get(channel_text, "") if channel_text else default_channel
        if not channel:
            bad("channel", _("Unknown channel “%(v)s”.") % {"v": cells["channel"]})
        voucher = cells.get("voucher", "")
        if len(voucher) > VOUCHER_MAX or "\x00" in voucher:
            bad("voucher", _("At most 40 characters."))
        if len(cells.get("name", "")) > 100 or len(cells.get("document_number", "")) > 32:
            bad("document_number", _("Too long."))
        problems += here
        if not here and scheme is not None and paid_at is not None:
            parsed.append(
                PaymentRow(
                    row=number,
                    document_number=cells["document_number"].upper(),
                    name=cells["name"],
                    scheme_code=scheme.code,
                    year=year,
                    amount=amount,
                    paid_at=paid_at,
                    channel=channel,
                    voucher=voucher,
                )
            )
    if problems:
        raise ImportRefused(problems)
    if not parsed:
        raise ImportRefused([RowProblem(2, _("File"), _("The file has no payments."))])
    return parsed


def _expected(enrollment: Enrollment, person: Person, on: dt.date) -> int | None:
    """What the person owes for the enrollment's year: the tier less subsidies (None when the
    scheme has no contribution rules or the enrollment no tier)."""
    pack = contribution.year_pack(person, enrollment.scheme.code, enrollment.year)
    if pack is None or enrollment.tier not in pack.contribution.tiers:
        return None
    return contribution.amount_due(pack.contribution, enrollment.tier, person, on)


def _report_row(
    row: PaymentRow, status: str, message: str, expected: int | None
) -> dict[str, object]:
    return {
        "row": row.row,
        "status": status,
        "document": mask("document", row.document_number),
        "name": mask("name", row.name),
        "scheme": row.scheme_code,
        "year": row.year,
        "amount": row.amount,
        "expected": expected,
        "voucher": row.voucher,
        "message": message,
    }


def import_payments(
    content: bytes, filename: str, *, channel: str, acting_user: User | None
) -> PaymentImport:
    """Import a tax or bank file of payments with reconciliation (see the module's docstring).
    ``channel`` is the file's channel, for rows that do not name one."""
    require_capability(acting_user, caps.PAYMENT_IMPORT)
    if channel not in Channel.values:
        raise ValidationFailed(fields={"channel": [_("Unknown channel.")]})
    parsed = parse_payments(read_table(content, filename), channel)
    visible = (
        registry_queries.persons_for(acting_user)
        if acting_user is not None
        else Person.objects.select_related("region")
    )
    documents = {row.document_number for row in parsed}
    persons = {p.document_number.upper(): p for p in visible.filter(document_number__in=documents)}
    enrollments = {
        (e.person_id, e.scheme.code, e.year): e
        for e in Enrollment.objects.select_related("scheme").filter(
            person__in=[p.pk for p in persons.values()]
        )
    }
    vouchers = {row.voucher for row in parsed}
    stored = set(
        ContributionPayment.objects.filter(voucher__in=vouchers).values_list("voucher", flat=True)
    )
    seen: set[str] = set()
    report: list[dict[str, object]] = []
    to_store: list[ContributionPayment] = []
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in parsed:
        person = persons.get(row.document_number)
        if row.voucher in seen or row.voucher in stored:
            status, message, expected = (
                RowStatus.DUPLICATE,
                _("This voucher was seen before."),
                None,
            )
        elif person is None:
            status, message, expected = RowStatus.UNMATCHED, _("No such insured person."), None
        elif person.name != row.name:
            status, message, expected = (
                RowStatus.UNMATCHED,
                _("The name does not match the document number."),
                None,
            )
        elif (enrollment := enrollments.get((person.pk, row.scheme_code, row.year))) is None:
            status, message, expected = (
                RowStatus.UNMATCHED,
                _("The person is not enrolled in this scheme for that year."),
                None,
            )
        else:
            expected = _expected(enrollment, person, row.paid_at.date())
            if expected is not None and expected != row.amount:
                status, message = RowStatus.AMOUNT_DIFFERS, _("The amount is not what is due.")
            else:
                status, message = RowStatus.MATCHED, ""
            to_store.append(
                ContributionPayment(
                    person=person,
                    scheme=enrollment.scheme,
                    year=row.year,
                    amount=row.amount,
                    expected=expected,
                    reconciliation=(
                        Reconciliation.AMOUNT_DIFFERS
                        if status == RowStatus.AMOUNT_DIFFERS
                        else Reconciliation.MATCHED
                    ),
                    paid_at=row.paid_at,
                    channel=row.channel,
                    voucher=row.voucher,
                    recorded_by=acting_user,
                )
            )
        seen.add(row.voucher)
        counts[status] += 1
        report.append(_report_row(row, status, message, expected))
    digest = digest_rows(parsed)
    try:
        with transaction.atomic():
            batch = PaymentImport.objects.create(
                file_name=filename[:200],
                channel=channel,
                region_path=acting_user.region.path if acting_user and acting_user.region else "",
                rows=len(parsed),
                matched=counts[RowStatus.MATCHED],
                amount_differs=counts[RowStatus.AMOUNT_DIFFERS],
                unmatched=counts[RowStatus.UNMATCHED],
                duplicates=counts[RowStatus.DUPLICATE],
                report=report,
                digest=digest,
                imported_by=acting_user,
            )
            for payment in to_store:
                payment.source = batch
            ContributionPayment.objects.bulk_create(to_store)
            log_bulk(
                acting_user=acting_user,
                action="enrollment.payment.imported",
                object_type="enrollment.payment_import",
                rows=len(to_store),
                digest=digest,
                reason=filename[:200],
            )
    except IntegrityError:  # a voucher stored by a concurrent import meanwhile
        raise Conflict(
            fields={"file": [_("Another import stored some of these vouchers.")]}
        ) from None
    return batch


def record_window_payment(
    person: Person,
    *,
    scheme_code: str,
    year: int,
    amount: int,
    paid_at: dt.datetime | None = None,
    voucher: str = "",
    acting_user: User | None,
) -> ContributionPayment:
    """A payment taken at a service window (窗口缴费): the person must be enrolled for the
    year; the receipt number is the voucher (one is made when none is given)."""
    require_capability(acting_user, caps.PAYMENT_RECORD)
    errors: dict[str, list[Message]] = {}
    paid_at = _aware(paid_at) if paid_at is not None else timezone.now()
    if amount <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if paid_at > timezone.now() + dt.timedelta(minutes=5):
        errors["paid_at"] = [_("The payment cannot be in the future.")]
    if len(voucher) > VOUCHER_MAX:
        errors["voucher"] = [_("At most 40 characters.")]
    enrollment = (
        Enrollment.objects.select_related("scheme")
        .filter(person=person, scheme__code=scheme_code, year=year)
        .first()
    )
    if enrollment is None:
        errors["year"] = [_("The person is not enrolled in this scheme for that year.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert enrollment is not None
    voucher = (
        voucher.strip() or f"CK{paid_at.astimezone(SHANGHAI):%Y%m%d}{secrets.token_hex(5).upper()}"
    )
    expected = _expected(enrollment, person, paid_at.astimezone(SHANGHAI).date())
    try:
        with transaction.atomic():
            payment = ContributionPayment.objects.create(
                person=person,
                scheme=enrollment.scheme,
                year=year,
                amount=amount,
                expected=expected,
                reconciliation=(
                    Reconciliation.AMOUNT_DIFFERS
                    if expected is not None and expected != amount
                    else Reconciliation.MATCHED
                ),
                paid_at=paid_at,
                channel=Channel.WINDOW,
                voucher=voucher,
                recorded_by=acting_user,
            )
            log_action(
                acting_user=acting_user,
                action="enrollment.payment.recorded",
                object_type="registry.person",
                object_id=person.pk,
                region_path=person.region.path,
                after={
                    "scheme": scheme_code,
                    "year": year,
                    "amount": amount,
                    "expected": expected,
                    "voucher": voucher,
                },
            )
    except IntegrityError:
        raise ValidationFailed(fields={"voucher": [_("This voucher was seen before.")]}) from None
    return payment

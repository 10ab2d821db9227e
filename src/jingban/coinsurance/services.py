"""Panels and statements: create a panel, split a month's items by the panels in force and store
each insurer's statement, issue a statement's PDF.

Every service is one transaction writing its action-log row; refused input stores nothing. The
split is the engine's (``jingban.engine.coinsurance.split``): largest remainder per item, ties in
the panel's order (chief first), negative amounts mirrored, so the insurers' parts of every item
add up to the item to the fen.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.coinsurance import sources
from jingban.coinsurance.models import Panel, PanelMember, Statement, StatementLine, StatementRun
from jingban.core.actionlog import log_action
from jingban.core.errors import Forbidden, Message, ValidationFailed
from jingban.core.models import Organisation, OrganisationKind, User
from jingban.engine.coinsurance import CoinsuredItem, split

PANEL_VIEW = "coinsurance.panel.view"
PANEL_EDIT = "coinsurance.panel.edit"
VIEW = "coinsurance.statement.view"
GENERATE = "coinsurance.statement.generate"
OWN_VIEW = "coinsurance.own.view"
OWN_DOWNLOAD = "coinsurance.own.download"

HUNDRED = Decimal(100)
# A product is named by its pack id.
PRODUCT_ID = re.compile(r"[a-z0-9][a-z0-9-]{2,79}")
MAX_MEMBERS = 30


@dataclass
class MemberInput:
    insurer: str  # the organisation's code
    share: str | Decimal  # percent, up to four decimals
    chief: bool = False


@dataclass
class PanelInput:
    product: str
    effective_from: dt.date | None
    members: Sequence[MemberInput] = field(default_factory=tuple)
    note: str = ""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def known_products() -> dict[str, str]:
    """The products a panel may be made for: those on sale, and those with a panel already."""
    found = sources.products()
    for product in Panel.objects.values_list("product", flat=True).distinct():
        found.setdefault(product, product)
    return found


def _share(text: str | Decimal) -> Decimal | None:
    try:
        value = Decimal(str(text).strip().rstrip("%").strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    return value


def _panel_problems(
    data: PanelInput,
) -> tuple[dict[str, list[Message]], list[tuple[Organisation, Decimal, bool]]]:
    problems: dict[str, list[Message]] = {}

    def add(name: str, message: Message) -> None:
        problems.setdefault(name, []).append(message)

    # A product on sale, or one about to be: a panel is agreed before the product is sold.
    if not PRODUCT_ID.fullmatch(data.product):
        add("product", _("Choose a co-insured product."))
    if data.effective_from is None:
        add("effective_from", _("Enter the day the panel is in force from."))
    elif Panel.objects.filter(product=data.product, effective_from=data.effective_from).exists():
        add("effective_from", _("This product already has a panel from that day."))
    if len(data.note) > 200:
        add("note", _("At most 200 characters."))
    rows: list[tuple[Organisation, Decimal, bool]] = []
    members = list(data.members)
    if not members:
        add("members", _("Add at least one insurer."))
    if len(members) > MAX_MEMBERS:
        add("members", _("At most %(count)d insurers.") % {"count": MAX_MEMBERS})
    insurers = {
        o.code: o
        for o in Organisation.objects.select_related("region").filter(
            code__in=[m.insurer for m in members], kind=OrganisationKind.INSURER
        )
    }
    seen: set[str] = set()
    total = Decimal(0)
    shares_ok = True
    for number, member in enumerate(members, start=1):
        insurer = insurers.get(member.insurer)
        if insurer is None:
            add(f"insurer_{number}", _("Row %(row)d: choose an insurer.") % {"row": number})
        elif member.insurer in seen:
            add(
                f"insurer_{number}",
                _("Row %(row)d: %(name)s is on the panel twice.")
                % {"row": number, "name": insurer.name},
            )
        seen.add(member.insurer)
        share = _share(member.share)
        if share is None:
            add(f"share_{number}", _("Row %(row)d: enter the share in percent.") % {"row": number})
            shares_ok = False
            continue
        if share <= 0 or share > HUNDRED:
            add(
                f"share_{number}",
                _("Row %(row)d: a share is above 0 %% and at most 100 %%.") % {"row": number},
            )
            shares_ok = False
        elif share != share.quantize(Decimal("0.0001")):
            add(
                f"share_{number}",
                _("Row %(row)d: a share has at most four decimals.") % {"row": number},
            )
            shares_ok = False
        total += share
        if insurer is not None:
            rows.append((insurer, share, member.chief))
    if members and shares_ok and total != HUNDRED:
        add(
            "members",
            _("The shares add up to %(total)s %%, not 100 %%.")
            % {"total": f"{total.normalize():f}"},
        )
    chiefs = sum(1 for m in members if m.chief)
    if members and chiefs != 1:
        add("chief", _("Choose exactly one chief insurer."))
    return problems, rows


def create_panel(data: PanelInput, *, acting_user: User | None) -> Panel:
    """A new panel of a product from a day; the earlier panels stay for the days before."""
    if acting_user is not None and not acting_user.can(PANEL_EDIT):
        raise Forbidden()
    data.product = (data.product or "").strip()
    data.note = (data.note or "").strip()
    problems, rows = _panel_problems(data)
    if problems:
        raise ValidationFailed(fields=problems)
    assert data.effective_from is not None
    # The chief first: ties of the split go to the chief, then in the order entered.
    rows.sort(key=lambda row: not row[2])
    with transaction.atomic():
        panel = Panel.objects.create(
            product=data.product,
            effective_from=data.effective_from,
            note=data.note,
            created_by=acting_user,
        )
        PanelMember.objects.bulk_create(
            PanelMember(panel=panel, insurer=insurer, share=share, chief=chief, position=index)
            for index, (insurer, share, chief) in enumerate(rows)
        )
        log_action(
            acting_user=acting_user,
            action="coinsurance.panel.created",
            object_type="coinsurance.panel",
            object_id=panel.pk,
            after={
                "product": panel.product,
                "effective_from": panel.effective_from.isoformat(),
                "members": [
                    {"insurer": insurer.code, "share": f"{share:f}", "chief": chief}
                    for insurer, share, chief in rows
                ],
            },
        )
    return panel


def panel_on(product: str, day: dt.date) -> Panel | None:
    """The panel of ``product`` in force on ``day``."""
    return (
        Panel.objects.filter(product=product, effective_from__lte=day)
        .order_by("-effective_from", "-pk")
        .first()
    )


def shares_of(panel: Panel) -> list[tuple[Organisation, Decimal, Fraction]]:
    """The panel's insurers in order with their percent and their fraction of one."""
    return [
        (m.insurer, m.share, Fraction(m.share) / 100)
        for m in panel.members.select_related("insurer", "insurer__region").order_by("position")
    ]


@dataclass
class _Account:
    insurer: Organisation
    premiums: int = 0
    claims: int = 0
    refs: set[str] = field(default_factory=set)
    lines: list[StatementLine] = field(default_factory=list)


def split_items(
    items: Sequence[CoinsuredItem], product: str, month: dt.date
) -> dict[int, _Account]:
    """Each item split by the panel in force on its day: insurer id → its account. Raises
    ValidationFailed when an item has no panel in force."""
    accounts: dict[int, _Account] = {}
    panels: dict[int, list[tuple[Organisation, Decimal, Fraction]]] = {}
    opening = panel_on(product, month)
    if opening is not None:
        for insurer, _pct, _f in shares_of(opening):
            accounts.setdefault(insurer.pk, _Account(insurer))
    for item in items:
        panel = panel_on(product, item.day)
        if panel is None:
            raise ValidationFailed(
                _("No panel of this product is in force on %(day)s (item %(ref)s).")
                % {"day": item.day.isoformat(), "ref": item.ref},
                fields={"month": [_("A day of this month has no panel in force.")]},
            )
        members = panels.get(panel.pk)
        if members is None:
            members = panels[panel.pk] = shares_of(panel)
        parts = split(item.amount, [fraction for _i, _p, fraction in members])
        if sum(parts) != item.amount:  # the engine guarantees it; a statement must not lie
            raise AssertionError(f"split of {item.ref} does not add up")
        for (insurer, percent, _fraction), part in zip(members, parts, strict=True):
            account = accounts.setdefault(insurer.pk, _Account(insurer))
            if item.kind == "premium":
                account.premiums += part
            else:
                account.claims += part
            account.refs.add(f"{item.kind}:{item.ref}")
            account.lines.append(
                StatementLine(
                    ref=item.ref,
                    kind=item.kind,
                    day=item.day,
                    amount=item.amount,
                    part=part,
                    share=percent,
                )
            )
    return accounts


def generate(product: str, month: dt.date, *, acting_user: User | None) -> StatementRun:
    """The statements of ``product`` for ``month`` (any day of it): a new version; the earlier
    one, if any, stays on record marked superseded."""
    if acting_user is not None and not acting_user.can(GENERATE):
        raise Forbidden()
    month = month_start(month)
    if not 1900 <= month.year <= 2999:
        raise ValidationFailed(fields={"month": [_("Enter a valid date.")]})
    if product not in known_products():
        raise ValidationFailed(fields={"product": [_("Choose a co-insured product.")]})
    if panel_on(product, next_month(month) - dt.timedelta(days=1)) is None:
        raise ValidationFailed(
            fields={"month": [_("This product has no panel in force in that month.")]}
        )
    items = sources.items(product, month, next_month(month))
    with transaction.atomic():
        # One generation of a product at a time: the second waits, then makes the next version.
        list(Panel.objects.select_for_update().filter(product=product).values_list("pk"))
        accounts = split_items(items, product, month)
        earlier = StatementRun.objects.select_for_update().filter(product=product, month=month)
        version = (earlier.aggregate(top=Max("version"))["top"] or 0) + 1
        superseded = list(earlier.filter(current=True).values_list("pk", flat=True))
        earlier.filter(current=True).update(current=False)
        run = StatementRun.objects.create(
            product=product,
            month=month,
            version=version,
            item_count=len(items),
            premiums=sum(i.amount for i in items if i.kind == "premium"),
            claims=sum(i.amount for i in items if i.kind == "claim"),
            generated_by=acting_user,
        )
        for account in accounts.values():
            statement = Statement.objects.create(
                run=run,
                insurer=account.insurer,
                premiums=account.premiums,
                claims=account.claims,
                net=account.premiums - account.claims,
                item_count=len(account.refs),
                region_path=account.insurer.region.path,
            )
            for line in account.lines:
                line.statement = statement
            StatementLine.objects.bulk_create(account.lines, batch_size=2000)
        log_action(
            acting_user=acting_user,
            action="coinsurance.statement.generated",
            object_type="coinsurance.run",
            object_id=run.pk,
            after={
                "product": product,
                "month": month.strftime("%Y-%m"),
                "version": version,
                "items": run.item_count,
                "premiums": run.premiums,
                "claims": run.claims,
                "insurers": len(accounts),
                "superseded": superseded,
            },
        )
    return run


def generate_due(month: dt.date, *, acting_user: User | None = None) -> int:
    """The job's part: every product with a panel in force in ``month`` and no statements for
    it yet gets them; a month already generated after it ended is left as it is, one generated
    before it ended gets a new version. Returns how many runs."""
    month = month_start(month)
    made = 0
    for product in sorted(known_products()):
        done = StatementRun.objects.filter(product=product, month=month, current=True).first()
        # A month generated before it ended (the demo's current month) is generated again.
        if done is not None and timezone.localdate(done.generated_at) >= next_month(month):
            continue
        if panel_on(product, next_month(month) - dt.timedelta(days=1)) is None:
            continue
        generate(product, month, acting_user=acting_user)
        made += 1
    return made

"""Policy pack versions: import, draft, update, approve, reject, discard, and recording the packs
that ship with jingban. Each function takes ``acting_user``, checks everything before it writes,
runs in one transaction and writes the action log in it.

A version is entered by one person (its author) and approved or rejected by another; the
database refuses any change to a decided version (``models.PackVersion``). A new version's
number must be above every version of its pack id already stored, so a number never names two
different texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import Conflict, Forbidden, Message, ValidationFailed
from jingban.core.models import Region, User
from jingban.core.pack_problems import problem_line
from jingban.core.permissions import require_capability
from jingban.core.roles import Cap
from jingban.engine.policy import PackError, PolicyPack, load_pack_text, shipped_registry
from jingban.packs import queries
from jingban.packs.models import PackOrigin, PackStatus, PackVersion

# The action log's codes: packs.version.imported, .drafted, .updated, .approved …

# Stable codes of the refusals a caller may want to tell apart.
OWN_VERSION = "packs.version.own_version"
NOT_DRAFT = "packs.version.not_draft"
NOT_AUTHOR = "packs.version.not_author"
SHIPPED_MISMATCH = "packs.version.shipped_mismatch"
TAMPERED = "packs.version.tampered"

MAX_CONTENT = 200_000  # characters; the shipped packs are under 10,000
MAX_NOTE = 2000
_SCHEME_MAX = PackVersion._meta.get_field("scheme").max_length or 0
_TITLE_MAX = PackVersion._meta.get_field("title_zh").max_length or 0

_VERSION_LINE = re.compile(r"^version[ \t]*:[ \t]*(\d+)", re.MULTILINE)


def problem_messages(err: PackError) -> list[Message]:
    """Each problem of a pack that does not load, with its line and path, framed for a user."""
    return [problem_line(problem) for problem in err.problems]


def _content_error(*messages: Message) -> ValidationFailed:
    return ValidationFailed(
        _("The policy pack cannot be stored. See the problems below."),
        fields={"content": list(messages)},
    )


def _version_line(text: str) -> int | None:
    match = _VERSION_LINE.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _load(text: str, source: str) -> PolicyPack:
    """The pack in ``text``, or a ``ValidationFailed`` on ``content`` listing every problem."""
    if not text.strip():
        raise _content_error(_("Enter the text of the pack, or choose a file."))
    if len(text) > MAX_CONTENT:
        raise _content_error(
            _("The text is longer than %(max)s characters.") % {"max": f"{MAX_CONTENT:,}"}
        )
    if "\x00" in text:
        raise _content_error(_("The text holds a null character."))
    try:
        pack = load_pack_text(text, source=source)
    except PackError as err:
        raise ValidationFailed(
            _("The policy pack does not load: %(count)s problem(s).") % {"count": err.total},
            fields={"content": problem_messages(err)},
        ) from err
    # What the columns hold must fit them whole (the engine itself sets no upper limit).
    limits = [
        ("scheme", pack.rules.scheme, _SCHEME_MAX),
        ("title.zh", pack.rules.title.zh, _TITLE_MAX),
        ("title.en", pack.rules.title.en, _TITLE_MAX),
    ]
    too_long = [
        _("%(path)s: longer than %(max)s characters.") % {"path": path, "max": limit}
        for path, value, limit in limits
        if len(value) > limit
    ]
    if too_long:
        raise _content_error(*too_long)
    return pack


def _check_new(pack: PolicyPack, *, replacing: PackVersion | None = None) -> None:
    """The same text is not stored yet, and the version is above every stored one of the id
    (``replacing``, a draft being updated, aside)."""
    others = PackVersion.objects.all()
    if replacing is not None:
        others = others.exclude(pk=replacing.pk)
    same = others.filter(content_hash=pack.hash).first()
    if same is not None:
        raise _content_error(
            _("This exact pack is already stored as %(spec)s (%(status)s).")
            % {"spec": same.spec, "status": same.get_status_display()}
        )
    latest = others.filter(pack_id=pack.id).order_by("-version").first()
    if latest is not None and pack.version <= latest.version:
        message = _(
            "The version must be greater than %(latest)s: %(spec)s (%(status)s) is already "
            "stored. Write version: %(next)s."
        ) % {
            "latest": latest.version,
            "spec": latest.spec,
            "status": latest.get_status_display(),
            "next": latest.version + 1,
        }
        line = _version_line(pack.text)
        if line:
            message = _("Line %(line)s, %(path)s: %(message)s") % {
                "line": line,
                "path": "version",
                "message": message,
            }
        raise _content_error(message)


def _columns(pack: PolicyPack) -> dict[str, object]:
    rules = pack.rules
    return {
        "pack_id": rules.id,
        "version": rules.version,
        "kind": rules.kind.value,
        "title_zh": rules.title.zh,
        "title_en": rules.title.en,
        "region": rules.region,
        "scheme": rules.scheme,
        "effective_start": rules.effective.start,
        "effective_end": rules.effective.end,
        "content": pack.text,
        "content_hash": pack.hash,
    }


def _snapshot(row: PackVersion) -> dict[str, object]:
    return {
        "pack": row.spec,
        "hash": row.content_hash,
        "status": row.status,
        "origin": row.origin,
        "region": row.region,
        "scheme": row.scheme,
        "effective": [row.effective_start.isoformat(), row.effective_end.isoformat()],
    }


def _region_path(code: str) -> str:
    """The action log's region of a pack: its region's path when the region is known (a
    national pack, 000000, has none and is seen by unrestricted users only)."""
    return Region.objects.filter(code=code).values_list("path", flat=True).first() or ""


def _log(row: PackVersion, action: str, acting_user: User | None, **extra: object) -> None:
    log_action(
        acting_user=acting_user,
        action=action,
        object_type="packs.version",
        object_id=row.pk,
        region_path=_region_path(row.region),
        **extra,  # type: ignore[arg-type]
    )


def _create(pack: PolicyPack, *, origin: str, acting_user: User, action: str) -> PackVersion:
    try:
        with transaction.atomic():
            row = PackVersion.objects.create(
                **_columns(pack), origin=origin, status=PackStatus.DRAFT, author=acting_user
            )
            _log(row, action, acting_user, after=_snapshot(row))
    except IntegrityError:
        # Another import of the same id and version won the race.
        raise _content_error(
            _("Version %(version)s of %(id)s was stored meanwhile.")
            % {"version": pack.version, "id": pack.id}
        ) from None
    return row


def import_pack_text(text: str, *, acting_user: User, source: str = "<text>") -> PackVersion:
    """Store a pack read from a file (or pasted) as a draft awaiting a second person's approval.

    Raises ``ValidationFailed`` on ``content`` when the pack does not load (each problem with its
    line and path), when this exact text is already stored, or when its version is not above
    every stored version of its id.
    """
    require_capability(acting_user, Cap.POLICY_EDIT)
    pack = _load(text, source)
    _check_new(pack)
    return _create(
        pack, origin=PackOrigin.IMPORTED, acting_user=acting_user, action="packs.version.imported"
    )


def draft_pack_version(
    text: str, *, acting_user: User, based_on: PackVersion | None = None
) -> PackVersion:
    """A new draft version edited in jingban, usually from ``based_on``: the same checks as an
    import, and the pack id must stay that of ``based_on``."""
    require_capability(acting_user, Cap.POLICY_EDIT)
    pack = _load(text, "<edited>")
    if based_on is not None and pack.id != based_on.pack_id:
        raise _content_error(
            _("A new version keeps the pack id %(id)s. To start another pack, import it.")
            % {"id": based_on.pack_id}
        )
    _check_new(pack)
    return _create(
        pack, origin=PackOrigin.EDITED, acting_user=acting_user, action="packs.version.drafted"
    )


def _locked(row: PackVersion) -> PackVersion:
    locked = PackVersion.objects.select_for_update().filter(pk=row.pk).first()
    if locked is None:
        raise Conflict(_("This version no longer exists."), code=NOT_DRAFT)
    return locked


def _require_draft(row: PackVersion) -> None:
    if row.status != PackStatus.DRAFT:
        raise Conflict(
            _("%(spec)s is %(status)s: only a draft can be changed, approved or rejected.")
            % {"spec": row.spec, "status": row.get_status_display()},
            code=NOT_DRAFT,
        )


def _require_author(row: PackVersion, user: User) -> None:
    if row.author_id != user.pk:
        raise Forbidden(_("Only the author of a draft may change or discard it."), code=NOT_AUTHOR)


def update_draft(row: PackVersion, text: str, *, acting_user: User) -> PackVersion:
    """Replace the text of one's own draft; the pack id stays, the checks are an import's."""
    require_capability(acting_user, Cap.POLICY_EDIT)
    with transaction.atomic():
        row = _locked(row)
        _require_draft(row)
        _require_author(row, acting_user)
        pack = _load(text, "<edited>")
        if pack.id != row.pack_id:
            raise _content_error(
                _("A new version keeps the pack id %(id)s. To start another pack, import it.")
                % {"id": row.pack_id}
            )
        _check_new(pack, replacing=row)
        before = _snapshot(row)
        for name, value in _columns(pack).items():
            setattr(row, name, value)
        row.save()
        _log(row, "packs.version.updated", acting_user, before=before, after=_snapshot(row))
    return row


def _require_second_person(row: PackVersion, user: User) -> None:
    if row.author_id == user.pk:
        raise Forbidden(
            _("You entered %(spec)s: another person must review it.") % {"spec": row.spec},
            code=OWN_VERSION,
        )


def _note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise ValidationFailed(fields={"note": [_("Give the reason for the rejection.")]})
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            fields={"note": [_("The note is longer than %(max)s characters.") % {"max": MAX_NOTE}]}
        )
    return note


def _decide(
    row: PackVersion, status: str, note: str, acting_user: User, action: str
) -> PackVersion:
    with transaction.atomic():
        row = _locked(row)
        _require_draft(row)
        _require_second_person(row, acting_user)
        if status == PackStatus.APPROVED:
            # What is approved is what the engine will run: it must still load to the same hash.
            try:
                queries.load_row(row)
            except queries.PackTampered as err:
                raise Conflict(
                    _("%(spec)s does not match its stored hash and cannot be approved: %(why)s")
                    % {"spec": row.spec, "why": "; ".join(str(p) for p in err.problems)},
                    code=TAMPERED,
                ) from err
        before = _snapshot(row)
        row.status = status
        row.reviewer = acting_user
        row.reviewed_at = timezone.now()
        row.review_note = note
        row.save()
        _log(row, action, acting_user, before=before, after=_snapshot(row), reason=note)
    return row


def approve_version(row: PackVersion, *, acting_user: User, note: str = "") -> PackVersion:
    """Approve a draft (审核通过): from now on it is immutable and the engine may use it.

    Refused (``Forbidden``, code ``packs.version.own_version``) for its own author, and
    (``Conflict``, ``packs.version.not_draft``) unless it is a draft.
    """
    require_capability(acting_user, Cap.POLICY_APPROVE)
    clean = _note(note, required=False)
    return _decide(row, PackStatus.APPROVED, clean, acting_user, "packs.version.approved")


def reject_version(row: PackVersion, *, reason: str, acting_user: User) -> PackVersion:
    """Reject a draft with a reason; it stays on record, immutable, and its number is used."""
    require_capability(acting_user, Cap.POLICY_APPROVE)
    clean = _note(reason, required=True)
    return _decide(row, PackStatus.REJECTED, clean, acting_user, "packs.version.rejected")


def discard_draft(row: PackVersion, *, acting_user: User) -> None:
    """The author withdraws their draft: it is deleted (its history and the log keep it)."""
    require_capability(acting_user, Cap.POLICY_EDIT)
    with transaction.atomic():
        row = _locked(row)
        _require_draft(row)
        _require_author(row, acting_user)
        before = _snapshot(row)
        pk, region_path = row.pk, _region_path(row.region)
        row.delete()
        log_action(
            acting_user=acting_user,
            action="packs.version.discarded",
            object_type="packs.version",
            object_id=pk,
            region_path=region_path,
            before=before,
        )


@dataclass(frozen=True)
class ShippedSync:
    """What recording the shipped packs did: the versions it recorded, and the shipped packs
    whose number a version entered here already holds (those are left out)."""

    created: list[PackVersion]
    taken: list[tuple[PolicyPack, PackVersion]]


def import_shipped_packs(*, acting_user: User) -> ShippedSync:
    """Record every pack that ships with jingban as an approved version (origin shipped: the
    repository's review is its second person), old layouts and new versions alike.

    Idempotent: a version already stored with the same hash is left alone. A shipped version
    stored with another hash is refused (``Conflict``, code ``packs.version.shipped_mismatch``)
    and nothing is recorded. A number already used by a version entered here (imported or
    edited, say a local ``@2`` drafted before jingban shipped its own ``@2``) is left to it: the
    shipped pack is reported in ``taken`` and not recorded, since a number never names two
    texts."""
    require_capability(acting_user, Cap.POLICY_EDIT)
    packs = shipped_registry().all()
    created: list[PackVersion] = []
    taken: list[tuple[PolicyPack, PackVersion]] = []
    with transaction.atomic():
        for pack in packs:
            stored = (
                PackVersion.objects.select_for_update()
                .filter(pack_id=pack.id, version=pack.version)
                .first()
            )
            if stored is not None and stored.content_hash == pack.hash:
                continue
            if stored is not None and stored.origin != PackOrigin.SHIPPED:
                taken.append((pack, stored))
                continue
            if stored is not None:
                raise Conflict(
                    _(
                        "%(spec)s is stored with hash %(stored)s, but the shipped file "
                        "%(file)s has hash %(shipped)s. A shipped pack changes only with a "
                        "new version."
                    )
                    % {
                        "spec": stored.spec,
                        "stored": stored.content_hash[:12],
                        "file": pack.source,
                        "shipped": pack.hash[:12],
                    },
                    code=SHIPPED_MISMATCH,
                )
            row = PackVersion.objects.create(
                **_columns(pack),
                origin=PackOrigin.SHIPPED,
                status=PackStatus.APPROVED,
                author=None,
                reviewed_at=timezone.now(),
            )
            _log(row, "packs.version.shipped", acting_user, after=_snapshot(row))
            created.append(row)
    return ShippedSync(created, taken)


def bump_version_line(text: str, version: int) -> str:
    """``text`` with its top-level ``version:`` line set to ``version`` (comments and layout
    kept); unchanged when it has no such line."""
    return _VERSION_LINE.sub(f"version: {version}", text, count=1)

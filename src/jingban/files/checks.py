"""What an upload must be: not too large, and by its content one of the accepted types.

The type comes from the file's first bytes (puremagic's signatures), never from the name or the
browser's ``Content-Type``; the name's extension must then agree with that type, so a PNG named
``.pdf`` or an HTML page named ``.pdf`` is refused. HTML, SVG and scripts have no entry in the
accepted list and are refused whatever they are called.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

import puremagic
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jingban.core.errors import Message

# Enough for every signature of the accepted types (all at offset 0).
HEAD_BYTES = 8192
NAME_LIMIT = 200


@dataclass(frozen=True)
class AcceptedType:
    content_type: str
    label: str
    extensions: tuple[str, ...]


ACCEPTED: tuple[AcceptedType, ...] = (
    AcceptedType("application/pdf", "PDF", (".pdf",)),
    AcceptedType("image/jpeg", "JPEG", (".jpg", ".jpeg")),
    AcceptedType("image/png", "PNG", (".png",)),
)
# What a list of materials calls each type, in the reader's language (never the MIME type).
_KIND_LABELS = {
    "application/pdf": _("PDF document"),
    "image/jpeg": _("JPEG image"),
    "image/png": _("PNG image"),
}


def kind_label(content_type: str) -> str:
    """A stored file's type as a reader names it; an unknown type (stored before a type was
    dropped from ``ACCEPTED``) as its short form."""
    label = _KIND_LABELS.get(content_type)
    return str(label) if label is not None else content_type.rsplit("/", 1)[-1].upper()


def max_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def accepted_labels() -> str:
    return ", ".join(t.label for t in ACCEPTED)


def detect(head: bytes) -> AcceptedType | None:
    """The accepted type the content's first bytes show, or None."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    found = {match.mime_type for match in matches if match.offset == 0}
    for accepted in ACCEPTED:
        if accepted.content_type in found:
            return accepted
    return None


def clean_name(name: str) -> str:
    """The uploader's file name fit to keep and show: no directories, no control or
    direction-changing characters, at most 200 characters with the extension kept."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    name = name.strip().lstrip(".")
    if len(name) > NAME_LIMIT:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: NAME_LIMIT - len(suffix)] + suffix
    return name or "file"


def problems(name: str, size: int, head: bytes) -> tuple[AcceptedType | None, list[Message]]:
    """The accepted type of an upload, or the reasons it is refused (translated, for the field)."""
    limit = max_bytes()
    if size == 0:
        return None, [_("The file is empty.")]
    if size > limit:
        return None, [
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:g}"}
        ]
    accepted = detect(head)
    if accepted is None:
        return None, [
            _("This kind of file is not accepted. Accepted: %(types)s.")
            % {"types": accepted_labels()}
        ]
    extension = PurePosixPath(clean_name(name)).suffix.lower()
    if extension not in accepted.extensions:
        return None, [
            _(
                "The file's content is %(type)s but its name ends in “%(extension)s”. Rename it "
                "to end in %(expected)s, or choose the right file."
            )
            % {
                "type": accepted.label,
                "extension": extension or _("(no extension)"),
                "expected": " / ".join(accepted.extensions),
            }
        ]
    return accepted, []

"""Why a file could not be read or written, in the user's language.

The operating system's own text ("[Errno 2] No such file or directory: 'x'") is English and
names internals; messages say the reason in words from this table instead, by the error's
number. A number not in the table gets a general reason, never the system's text.
"""

from __future__ import annotations

import errno

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_REASONS: dict[int, Promise] = {
    errno.ENOENT: _("there is no such file"),
    errno.EISDIR: _("it is a folder, not a file"),
    errno.ENOTDIR: _("a part of the path is not a folder"),
    errno.EACCES: _("permission is denied"),
    errno.EPERM: _("permission is denied"),
    errno.ENOSPC: _("the disk is full"),
    errno.EROFS: _("the disk is read-only"),
    errno.ENAMETOOLONG: _("the name is too long"),
    errno.EEXIST: _("a file of that name exists already"),
}


def reason(number: int | None) -> str:
    """The reason for an operating-system error number (``OSError.errno``)."""
    known = _REASONS.get(number) if number is not None else None
    return str(known if known is not None else _("the system refused it"))


def describe(error: object) -> str:
    """The reason for an error met reading or writing a file: an ``OSError`` by its number, a
    file that is not UTF-8 text as such; other values (already words) as they are."""
    if isinstance(error, UnicodeDecodeError):
        return str(_("it is not UTF-8 text"))
    if isinstance(error, OSError):
        return reason(error.errno)
    return str(error)

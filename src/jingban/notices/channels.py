"""Outside channels (SMS, e-mail …) behind one interface, chosen by configuration.

``JINGBAN_NOTICE_CHANNELS`` lists the channels of the installation, by name (``log``, the
default) or by dotted path of a class (``mycity.sms:SmsChannel``); each user chooses among them
(``NoticePreference``), every one by default. A channel is a class with a ``name``, a
translated ``label`` and ``send(recipient, subject, text, *, key)``; it reads what it needs
from the recipient (a phone, an address) itself.

Channels are called after the notices are committed, once per notice and channel; a channel
that fails is logged (without personal data) and does not stop the others.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import load

if TYPE_CHECKING:
    from jingban.core.models import User
    from jingban.notices.models import Notice

logger = logging.getLogger("jingban.notices")


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str | Promise: ...

    def send(self, recipient: User, subject: str, text: str, *, key: str) -> None:
        """Deliver one notice to ``recipient``; ``key`` identifies it without personal data."""
        ...


class LogChannel:
    """Writes one line per notice to the ``jingban.notices`` logger: the user's id and the
    notice's key only. No name, phone, address or text: a log is not a place for personal data.
    """

    name = "log"
    label = _("Server log (for testing)")

    def send(self, recipient: User, subject: str, text: str, *, key: str) -> None:
        logger.info("notice %s for user %s", key, recipient.pk)


BUILT_IN = {"log": LogChannel}


@functools.cache
def configured() -> dict[str, Channel]:
    """The installation's channels by name, in the configured order."""
    found: dict[str, Channel] = {}
    for entry in settings.NOTICE_CHANNELS:
        factory = BUILT_IN.get(entry)
        if factory is None:
            if ":" not in entry and "." not in entry:
                raise ImproperlyConfigured(f"unknown notice channel {entry!r}")
            factory = load(entry)
        channel: Channel = factory()
        found[channel.name] = channel
    return found


def chosen_by(user: User) -> list[str]:
    """The names of the channels ``user`` gets notices by (every configured one by default)."""
    from jingban.notices.models import NoticePreference

    available = configured()
    preference = NoticePreference.objects.filter(user=user).first()
    if preference is None:
        return list(available)
    return [name for name in available if name in preference.channels]


def deliver(notices: Iterable[Notice]) -> int:
    """Send each notice by each channel its user chose; the number of messages sent."""
    sent = 0
    choices: dict[int, list[str]] = {}
    channels = configured()
    for notice in notices:
        user = notice.user
        if user.pk not in choices:
            choices[user.pk] = chosen_by(user)
        for name in choices[user.pk]:
            text = notice.body + (f"\n{notice.url}" if notice.url else "")
            try:
                with translation.override(user.language or None):
                    channels[name].send(user, notice.title, text, key=notice.key)
            except Exception as exc:
                # The type only: a channel's message may quote an address or a number.
                logger.error(
                    "channel %s failed for notice %s: %s", name, notice.key, type(exc).__name__
                )
            else:
                sent += 1
    return sent

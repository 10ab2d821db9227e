"""``sign_no`` (签到流水号) on the transactions that move money.

9001 answers a ``sign_no``; the national specification puts it in every later envelope, and
the national platform refuses a settlement without a valid one. jingban's credentials already
name the account, so it cannot ask every client for a sign-in (many simple clients never sign
in). It asks it of the clients that do: once an account has signed in with 9001, each of its
money transactions (``MONEY``: settle, cancel, reverse) must carry a ``sign_no`` that the same
account got from 9001 at the same institution within ``HOSPITAL_SIGN_IN_HOURS`` (24). So a
sign_no copied from another operator's or another institution's session, or an old one, does
not settle, and the sign-in records who was signed in at each settlement. A refusal is −2 and
nothing is written: the same ``msgid`` may be sent again after signing in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.models import Organisation, User
from jingban.medical.national.envelope import InterfaceError
from jingban.medical.national.models import SignIn

# 2207/2304 settle, 2208/2305 cancel a settlement, 2601 reverses one (or another message).
MONEY = frozenset({"2207", "2208", "2304", "2305", "2601"})


def check_sign_no(account: User, institution: Organisation, infno: str, sign_no: str) -> None:
    """Refuse (``InterfaceError``, −2) a money transaction of an account that signs in when it
    carries no sign_no of its own from the last ``HOSPITAL_SIGN_IN_HOURS``."""
    if infno not in MONEY:
        return
    own = SignIn.objects.filter(account=account)
    if not sign_no:
        if own.exists():
            raise InterfaceError(
                _("sign_no is required: send the sign_no this account received from 9001."),
                field="sign_no",
            )
        return
    since = timezone.now() - dt.timedelta(hours=int(settings.HOSPITAL_SIGN_IN_HOURS))
    if not own.filter(sign_no=sign_no, institution=institution, signed_in_at__gte=since).exists():
        raise InterfaceError(
            _(
                "sign_no %(sign_no)s is not a current sign-in of this account at this "
                "institution; sign in again with 9001."
            )
            % {"sign_no": sign_no},
            field="sign_no",
        )

"""The notices app's routes in the authorization matrix.

Every signed-in user has an inbox. A notice belongs to one user: the object routes are tried
with another account's notice, which is 404 for every role, administrator included (and with
a missing one, 404 too).
"""

from __future__ import annotations

from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.notices.models import Notice
from tests.authz import EVERYONE, Route
from tests.personas import Personas


def others_notice(p: Personas, in_scope: bool) -> int:
    if not in_scope:
        return 999_999_999
    owner = User.objects.filter(username="matrix-notice-owner").first() or create_account(
        username="matrix-notice-owner",
        password="matrix-pass-1",
        role=Role.OPERATOR,
        acting_user=None,
    )
    notice, _created = Notice.objects.get_or_create(
        user=owner, key="matrix:1", defaults={"source": "tests", "title": "matrix"}
    )
    return notice.pk


PAGES: dict[str, Route] = {
    "notices:inbox": Route(EVERYONE),
    "notices:open": Route(EVERYONE, others_notice, ok=404, regional=False),
    "notices:mark_read": Route(EVERYONE, others_notice, method="post", ok=404, regional=False),
    "notices:mark_all_read": Route(EVERYONE, method="post", ok=302),
    "notices:channels": Route(EVERYONE, method="post", data={"channels": "log"}, ok=302),
}

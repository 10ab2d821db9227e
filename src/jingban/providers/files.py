"""The providers app's answer to the files app: may this user see check X (its evidence files)
or reply X (the files an institution sent with its reply to a rectification order).

Both follow the providers' own scope (``queries``): the bureau's staff see the objects of their
region subtree, an institution's staff those of their own institution only; anything else is
None, which the files app turns into 404.
"""

from __future__ import annotations

from jingban.core.models import User
from jingban.providers.models import OrderReply
from jingban.providers.queries import checks_for, orders_for

CHECK = "providers.check"
REPLY = "providers.reply"


def visible(user: User, object_id: str) -> str | None:
    if not object_id.isdigit():
        return None
    return (
        checks_for(user)
        .filter(pk=int(object_id))
        .values_list("agreement__institution__organisation__region__path", flat=True)
        .first()
    )


def reply_visible(user: User, object_id: str) -> str | None:
    """The institution's region path when the user may see the order the reply answers."""
    if not object_id.isdigit():
        return None
    return (
        OrderReply.objects.filter(pk=int(object_id), order__in=orders_for(user))
        .values_list("order__agreement__institution__organisation__region__path", flat=True)
        .first()
    )

"""Scope: what part of the world a user may see. Region subtree × organisation × schemes.

Every ``queries.py`` function starts from these helpers; nothing else filters by scope.
"""

from __future__ import annotations

from django.db.models import Q

from jingban.core.models import User
from jingban.core.roles import Role


def is_unrestricted(user: User) -> bool:
    """An administrator without a region sees every region."""
    return user.role == Role.ADMIN and user.region_id is None


def region_filter(user: User, field: str = "region") -> Q:
    """Rows whose region (through ``field``) lies in the user's region subtree."""
    if is_unrestricted(user):
        return Q()
    if user.region_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": user.region.path})  # type: ignore[union-attr]


def region_path_filter(user: User, field: str = "region_path") -> Q:
    """Like region_filter, for rows that store a region path as text."""
    if is_unrestricted(user):
        return Q()
    if user.region_id is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": user.region.path})  # type: ignore[union-attr]


def scheme_codes(user: User) -> frozenset[str] | None:
    """The schemes a user works on; None means all of them."""
    codes = frozenset(user.schemes.values_list("code", flat=True))
    if codes:
        return codes
    if user.organisation_id is not None and user.organisation.kind == "insurer":  # type: ignore[union-attr]
        return frozenset(user.organisation.schemes.values_list("code", flat=True))  # type: ignore[union-attr]
    return None

"""Reads of notices: a user sees only their own, whatever their role."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.notices.models import Notice


def notices_for(user: User) -> QuerySet[Notice]:
    """The user's notices, unread first, then the newest."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notice.objects.filter(user=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )


def notice_for(user: User, pk: int) -> Notice:
    """One of the user's notices; another user's is NotFound, like a missing one."""
    notice = Notice.objects.filter(user=user, pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice


def waiting_for(user: User) -> QuerySet[Notice]:
    """Unread notices whose matter is still open: what waits for the user."""
    return Notice.objects.filter(
        user=user, read_at__isnull=True, resolved_at__isnull=True
    ).order_by("due", "-created_at", "-id")


def waiting_count(user: User) -> int:
    return waiting_for(user).count()

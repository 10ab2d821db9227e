"""Scoped reads of job runs: an administrator without a region sees every run, one with a region
the runs in its subtree and its own; everyone else sees only the runs they started."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.roles import Cap, Role
from jingban.core.scope import is_unrestricted
from jingban.jobs.models import JobRun


def runs_for(user: User) -> QuerySet[JobRun]:
    qs = JobRun.objects.select_related("started_by", "region")
    if not user.can(Cap.JOB_VIEW):
        return qs.none()
    if is_unrestricted(user):
        return qs
    visible = Q(started_by=user)
    if user.role == Role.ADMIN and user.region is not None:
        visible |= Q(region__path__startswith=user.region.path)
    return qs.filter(visible)


def run_for(user: User, pk: int) -> JobRun:
    """One run the user may see; another user's run looks exactly like a missing one."""
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise NotFound()
    return run

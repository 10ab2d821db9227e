"""The action log's routes in the authorization matrix (the list itself is in the core test)."""

from __future__ import annotations

from django.db import transaction

from jingban.core.actionlog import log_action
from jingban.core.models import ActionLog
from tests.authz import LOG_VIEWERS, Route
from tests.personas import Personas

EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}


def entry(p: Personas, in_scope: bool) -> int:
    """An entry about the in- or out-of-scope person (its region decides who may read it)."""
    person = p.in_scope_person if in_scope else p.out_of_scope_person
    found = ActionLog.objects.filter(action="test.matrix", object_id=str(person.pk)).first()
    if found is not None:
        return found.pk
    with transaction.atomic():
        return log_action(
            acting_user=p.user("admin"),
            action="test.matrix",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
        ).pk


PAGES = {
    "core:action_entry": Route(LOG_VIEWERS, entry),
    "core:action_log_export_csv": Route(LOG_VIEWERS & EXPORTERS),
    "core:action_log_export_xlsx": Route(LOG_VIEWERS & EXPORTERS),
}

"""Reading files with scope: the owning object's app decides who may see it (see owners)."""

from __future__ import annotations

from django.db.models import QuerySet

from jingban.core.errors import NotFound
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.files.models import StoredFile
from jingban.files.owners import visible_region

VIEW = "files.file.view"


def files_of(user: User, object_type: str, object_id: str) -> QuerySet[StoredFile]:
    """The files attached to one object; 403 without the capability, 404 out of scope."""
    require_capability(user, VIEW)
    visible_region(user, object_type, object_id)
    return StoredFile.objects.filter(object_type=object_type, object_id=str(object_id))


def file_for(user: User, pk: int) -> StoredFile:
    """One file whose object the user may see; any other looks exactly like a missing one."""
    require_capability(user, VIEW)
    stored = StoredFile.objects.filter(pk=pk).first()
    if stored is None:
        raise NotFound()
    visible_region(user, stored.object_type, stored.object_id)
    return stored

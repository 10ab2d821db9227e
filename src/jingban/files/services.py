"""Uploading a file: the only code that stores one."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import Message, NotFound, ValidationFailed
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.files import checks, storage
from jingban.files.models import StoredFile
from jingban.files.owners import attach_only, visible_region

UPLOAD = "files.file.upload"


def upload_file(
    object_type: str, object_id: str, upload: UploadedFile | None, *, acting_user: User
) -> StoredFile:
    """Check an upload and attach it to an object the user may see (``files.file.uploaded``).

    Refused, with nothing stored: without ``files.file.upload`` (Forbidden); an object that is
    missing or outside the user's scope, or of a type whose owning app attaches its files itself
    (``owners.attach_only``) (NotFound); no file, an empty or oversized one, or one
    whose content is not an accepted type or does not match its name (ValidationFailed on
    ``file``).
    """
    require_capability(acting_user, UPLOAD)
    if object_type in attach_only():
        raise NotFound()
    return attach_file(object_type, object_id, upload, acting_user=acting_user)


def problems_of(upload: UploadedFile) -> list[Message]:
    """What is wrong with an upload (empty when it may be stored), by the rules of
    ``checks``, without storing anything: an owning app checks every file of a form first."""
    upload.seek(0)
    head = upload.read(checks.HEAD_BYTES)
    upload.seek(0)
    return checks.problems(upload.name or "", upload.size or 0, head)[1]


def attach_file(
    object_type: str, object_id: str, upload: UploadedFile | None, *, acting_user: User
) -> StoredFile:
    """``upload_file`` without the ``files.file.upload`` capability, for an owning app whose own
    service has already decided that this user may attach files to this object (an
    institution's staff attaching evidence to their reply). Scope, the content checks and the
    log entry are the same.
    """
    region = visible_region(acting_user, object_type, object_id)
    if upload is None:
        raise ValidationFailed(fields={"file": [_("Choose a file to upload.")]})
    upload.seek(0)
    head = upload.read(checks.HEAD_BYTES)
    upload.seek(0)
    accepted, problems = checks.problems(upload.name or "", upload.size or 0, head)
    if problems or accepted is None:
        raise ValidationFailed(fields={"file": problems})
    name, digest, size = storage.write(upload.chunks())
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                storage_name=name,
                sha256=digest,
                size=size,
                content_type=accepted.content_type,
                original_name=checks.clean_name(upload.name or ""),
                object_type=object_type,
                object_id=str(object_id),
                region_path=region,
                uploaded_by=acting_user,
            )
            # The original name may hold a person's name: it stays out of the log.
            log_action(
                acting_user=acting_user,
                action="files.file.uploaded",
                object_type="files.file",
                object_id=stored.pk,
                region_path=region,
                after={
                    "attached_to": f"{object_type}:{object_id}",
                    "content_type": stored.content_type,
                    "size": size,
                    "sha256": digest,
                },
            )
    except BaseException:
        storage.remove(name)
        raise
    return stored


def record_download(stored: StoredFile, *, acting_user: User) -> None:
    """Whoever opens a person's materials is on record (``files.file.downloaded``)."""
    with transaction.atomic():
        log_action(
            acting_user=acting_user,
            action="files.file.downloaded",
            object_type="files.file",
            object_id=stored.pk,
            region_path=stored.region_path,
            after={"attached_to": f"{stored.object_type}:{stored.object_id}"},
        )

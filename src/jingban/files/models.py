"""Uploaded files (附件材料): the bytes live on disk under a random name, the facts here."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """One uploaded file, attached to an object of another app (``registry.person`` 42).

    ``storage_name`` is random and is the only name on disk; ``original_name`` is what the
    uploader's computer called it, kept (sanitised) for display and for the download's name.
    ``region_path`` is the owning object's, so that scope can be applied without asking its app.
    """

    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.BigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    original_name = models.CharField(_("file name"), max_length=200)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    region_path = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        indexes: ClassVar = [
            models.Index(fields=["object_type", "object_id"], name="storedfile_object"),
        ]

    def __str__(self) -> str:
        return self.original_name

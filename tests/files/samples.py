"""Small files whose first bytes are what they claim (or not)."""

from __future__ import annotations

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
SCRIPT = b"#!/bin/sh\nrm -rf /\n"


def forget_stored_files() -> None:
    """Remove the stored files the demo world holds (a cross-region filing's proof …) and the
    rows that attach them, so that a files test counts only its own. Inside a test's
    transaction; a test that commits gets the world back before the next one."""
    from django.apps import apps
    from django.db import models

    from jingban.files.models import StoredFile

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is StoredFile:
                model._default_manager.all().delete()
    StoredFile.objects.all().delete()

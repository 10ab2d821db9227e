"""``{% object_files "registry.person" person.pk %}``: an object's materials section."""

from __future__ import annotations

from typing import Any

from django import template

from jingban.core.errors import DomainError
from jingban.files import checks, queries, services
from jingban.files.forms import UploadForm

register = template.Library()


@register.inclusion_tag("files/_object_files_section.html", takes_context=True)
def object_files(context: dict[str, Any], object_type: str, object_id: object) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    shown = {"shown": False}
    if not user.can(queries.VIEW):
        return shown
    try:
        files = list(queries.files_of(user, object_type, str(object_id)))
    except DomainError:
        return shown
    return {
        "shown": True,
        "files": files,
        "can_upload": user.can(services.UPLOAD),
        "form": UploadForm(initial={"next": request.get_full_path()}),
        "object_type": object_type,
        "object_id": str(object_id),
        "accepted": checks.accepted_labels(),
        "limit_mb": f"{checks.max_bytes() / 1048576:g}",
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def file_kind(content_type: str) -> str:
    """``{{ file.content_type|file_kind }}``: PDF 文件 rather than application/pdf."""
    return checks.kind_label(content_type)

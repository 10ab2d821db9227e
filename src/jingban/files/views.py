"""Uploading and downloading files. A download is always an attachment, never shown inline."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingban.core.errors import ValidationFailed
from jingban.core.views.access import AuthedRequest, requires
from jingban.files import checks, queries, services, storage
from jingban.files.forms import UploadForm


@requires(queries.VIEW)
def download(request: AuthedRequest, pk: int) -> HttpResponse:
    stored = queries.file_for(request.user, pk)
    try:
        handle = storage.path_of(stored.storage_name).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.record_download(stored, acting_user=request.user)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    # The stored type, as detected at upload; browsers must not guess another, and even an
    # opened file runs no script and loads nothing.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    response["Cache-Control"] = "no-store, private"
    # Streamed from disk (FileResponse), which `requires` passes through like any response.
    return response  # type: ignore[return-value]


@require_POST
@requires(services.UPLOAD)
def upload(request: AuthedRequest, object_type: str, object_id: str) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    form.is_valid()
    back = _safe_next(request, form.cleaned_data.get("next") or "")
    try:
        stored = services.upload_file(
            object_type, object_id, form.cleaned_data.get("file"), acting_user=request.user
        )
    except ValidationFailed as err:
        for field, problems in err.fields.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, str(problem))
        context = {
            "form": form,
            "back": back,
            "accepted": checks.accepted_labels(),
            "limit_mb": f"{checks.max_bytes() / 1048576:g}",
            "action": request.path,
        }
        return render(request, "files/upload.html", context, status=400)
    messages.success(request, _("Uploaded %(name)s.") % {"name": stored.original_name})
    return redirect(back or "/")


def _safe_next(request: AuthedRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""

"""Downloading official documents, and the public page that checks their codes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jingban.core.errors import NotFound
from jingban.core.views.access import AuthedRequest, requires
from jingban.documents import enrollment_proof, services, throttle
from jingban.registry import queries as registry_queries

ISSUE_PROOF = "documents.proof.issue"
ISSUE_OWN_PROOF = "documents.own_proof.issue"


def _pdf(pdf: enrollment_proof.Pdf) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    # The number names the file: a person's name would end up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="{pdf.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


def _verify_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("documents:verify"))


@require_POST
@requires(ISSUE_PROOF)
def person_enrollment_proof(request: AuthedRequest, pk: int) -> HttpResponse:
    person = registry_queries.person_for(request.user, pk)
    pdf = enrollment_proof.issue(
        person, acting_user=request.user, verify_url=_verify_url(request), self_service=False
    )
    return _pdf(pdf)


@require_POST
@requires(ISSUE_OWN_PROOF)
def own_enrollment_proof(request: AuthedRequest) -> HttpResponse:
    person = registry_queries.own_person(request.user)
    if person is None:
        raise NotFound()
    pdf = enrollment_proof.issue(
        person, acting_user=request.user, verify_url=_verify_url(request), self_service=True
    )
    return _pdf(pdf)


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """No sign-in. Says only whether a code is genuine and, if so, the kind and the date."""
    context: dict[str, object] = {"code": ""}
    if request.method != "POST":
        return render(request, "documents/verify.html", context)
    typed = str(request.POST.get("code", ""))[:100]
    context["code"] = typed
    if not throttle.allow(throttle.client_address(request)):
        context["error"] = _(
            "Too many checks from your address. Please wait a minute and try again."
        )
        return render(request, "documents/verify.html", context, status=429)
    if not typed.strip():
        context["error"] = _("Enter the verification code printed on the document.")
        return render(request, "documents/verify.html", context, status=400)
    document = services.verify(typed)
    if document is None:
        context["error"] = _(
            "This code does not belong to any document issued by us. Check that it was typed "
            "as printed; a document whose code does not verify is not genuine."
        )
        return render(request, "documents/verify.html", context, status=400)
    context["document"] = {"kind": document.get_kind_display(), "issued_on": document.issued_on}
    return render(request, "documents/verify.html", context)

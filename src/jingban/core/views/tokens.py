"""API tokens: a user's own (listed, revoked) and, for an administrator, everyone's.

Revoking asks for confirmation first: ``?revoke=<id>`` shows what will be revoked and a POST
button; the POST revokes (logged) and comes back to the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jingban.core import queries
from jingban.core.models import ApiToken
from jingban.core.roles import Cap
from jingban.core.services.accounts import revoke_api_token
from jingban.core.views.access import AuthedRequest, requires

_SHOWN = 500  # the most recent; older ones are expired long ago or listed by the API


def _token_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 19 else None


def _tokens_page(request: AuthedRequest, *, everyone: bool, url_name: str) -> HttpResponse:
    tokens = queries.api_tokens_for(request.user, everyone=everyone)
    if request.method == "POST":
        token_id = _token_id(request.POST.get("token", ""))
        if token_id is None:
            messages.error(request, _("Choose a token to revoke."))
        else:
            token = revoke_api_token(token_id, acting_user=request.user)
            messages.success(request, _("Token %(prefix)s… is revoked.") % {"prefix": token.prefix})
        return HttpResponseRedirect(reverse(url_name))
    confirm: ApiToken | None = None
    wanted = _token_id(request.GET.get("revoke", ""))
    if wanted is not None:
        confirm = tokens.filter(pk=wanted, revoked_at__isnull=True).first()
    return render(
        request,
        "core/tokens.html",
        {
            "tokens": tokens[:_SHOWN],
            "everyone": everyone,
            "confirm": confirm,
            "action": reverse(url_name),
        },
    )


@requires()
def my_tokens(request: AuthedRequest) -> HttpResponse:
    return _tokens_page(request, everyone=False, url_name="core:token_list")


@requires(Cap.API_TOKEN_ADMIN)
def all_tokens(request: AuthedRequest) -> HttpResponse:
    return _tokens_page(request, everyone=True, url_name="core:token_admin")

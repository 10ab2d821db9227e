"""The inbox: one's own notices, unread first; marking read; the outside channels."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingban.core.pagination import page_of
from jingban.core.views.access import AuthedRequest, requires
from jingban.notices import channels, queries, services
from jingban.notices.forms import ChannelsForm

PAGE_SIZE = 25


def _inbox(
    request: AuthedRequest, form: ChannelsForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    page = page_of(request, queries.notices_for(user), PAGE_SIZE)
    context = {
        "page_obj": page,
        "notices": page.object_list,
        "total": page.paginator.count,
        "waiting": queries.waiting_count(user),
        "channels_form": form or ChannelsForm(initial={"channels": channels.chosen_by(user)}),
        "has_channels": bool(channels.configured()),
    }
    return render(request, "notices/inbox.html", context, status=status)


@requires()
def inbox(request: AuthedRequest) -> HttpResponse:
    return _inbox(request)


@requires()
def notice_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Follow a notice's link, marking it read (the inbox when it has none)."""
    notice = services.mark_read(pk, acting_user=request.user)
    return redirect(notice.url or "notices:inbox")


@require_POST
@requires()
def mark_read(request: AuthedRequest, pk: int) -> HttpResponse:
    services.mark_read(pk, acting_user=request.user)
    return redirect("notices:inbox")


@require_POST
@requires()
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = services.mark_all_read(acting_user=request.user)
    messages.success(request, _("Notices marked as read: %(count)s.") % {"count": count})
    return redirect("notices:inbox")


@require_POST
@requires()
def set_channels(request: AuthedRequest) -> HttpResponse:
    form = ChannelsForm(request.POST)
    if not form.is_valid():
        return _inbox(request, form, status=400)
    services.set_channels(form.cleaned_data["channels"], acting_user=request.user)
    messages.success(request, _("Your notice channels were saved."))
    return redirect("notices:inbox")

"""Language and the 关怀 care mode: per user when signed in, by cookie before."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jingban.core.middleware import CARE_COOKIE
from jingban.core.services.accounts import set_preferences
from jingban.core.views.access import AuthedRequest, requires

_YEAR = 365 * 24 * 3600


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(_next_url(request))
    if language not in {code for code, _label in settings.LANGUAGES}:
        return response
    user = request.user
    if user.is_authenticated:
        set_preferences(
            user,
            language=language,
            care_mode=user.care_mode,
            acting_user=user,
        )
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=_YEAR, samesite="Lax")
    return response


@require_POST
def toggle_care_mode(request: HttpRequest) -> HttpResponse:
    response = HttpResponseRedirect(_next_url(request))
    user = request.user
    enabled = not getattr(request, "care_mode", False)
    if user.is_authenticated:
        set_preferences(
            user,
            language=user.language,
            care_mode=enabled,
            acting_user=user,
        )
    response.set_cookie(CARE_COOKIE, "1" if enabled else "0", max_age=_YEAR, samesite="Lax")
    return response


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=[("zh-hans", "简体中文"), ("en", "English")]
    )
    care_mode = forms.BooleanField(
        label=gettext_lazy("Large-font care mode (关怀模式)"), required=False
    )


@requires()
def preferences(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST or None, initial={"language": user.language, "care_mode": user.care_mode}
    )
    if request.method == "POST" and form.is_valid():
        set_preferences(
            user,
            language=form.cleaned_data["language"],
            care_mode=form.cleaned_data["care_mode"],
            acting_user=user,
        )
        messages.success(request, _("Preferences saved."))
        return HttpResponseRedirect(request.path)
    return render(request, "core/preferences.html", {"form": form})

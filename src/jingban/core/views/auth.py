"""Sign-in and sign-out, throttled and written to the action log (ADR 0009)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from jingban.core.network import client_address
from jingban.core.services import accounts
from jingban.core.signin import throttle_for


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        address = client_address(request)
        throttle = throttle_for(address, username)
        if throttle.wait_seconds:
            # Refused before the password is looked at, and not counted as a failure: waiting
            # always lets the owner in.
            accounts.record_throttled_sign_in(
                username, address=address, wait=throttle.wait_seconds, reason=throttle.reason
            )
            form = AuthenticationForm(request, initial={"username": username})
            message = ngettext(
                "Too many failed sign-ins. Try again in %(seconds)d second.",
                "Too many failed sign-ins. Try again in %(seconds)d seconds.",
                throttle.wait_seconds,
            ) % {"seconds": throttle.wait_seconds}
            response = self.render_to_response(
                self.get_context_data(form=form, throttle_message=message), status=429
            )
            response["Retry-After"] = str(throttle.wait_seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        accounts.record_sign_in(form.get_user(), address=client_address(self.request))
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = str(form.data.get("username", ""))[:150]
        if username and form.data.get("password"):  # a real attempt, not an empty field
            accounts.record_failed_sign_in(username, address=client_address(self.request))
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            accounts.record_sign_out(user, address=client_address(request))
        return super().post(request, *args, **kwargs)

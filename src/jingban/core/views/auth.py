"""Sign-in page."""

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

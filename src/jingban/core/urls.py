from django.contrib.auth import views as auth_views
from django.urls import path

from jingban.core.views import calendar, home, organisations, preferences
from jingban.core.views.auth import LoginView

app_name = "core"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", preferences.set_language, name="set_language"),
    path("care-mode/", preferences.toggle_care_mode, name="toggle_care_mode"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("action-log/", organisations.action_log, name="action_log"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", calendar.calendar_delete, name="calendar_delete"),
]

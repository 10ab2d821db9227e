from django.urls import path

from jingban.core.views import action_log, calendar, home, organisations, preferences, tokens
from jingban.core.views.auth import LoginView, LogoutView

app_name = "core"
urlpatterns = [
    path("", home.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("language/", preferences.set_language, name="set_language"),
    path("care-mode/", preferences.toggle_care_mode, name="toggle_care_mode"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("action-log/", action_log.action_log, name="action_log"),
    path("action-log/<int:pk>/", action_log.action_entry, name="action_entry"),
    path(
        "action-log/export.csv",
        action_log.action_log_export,
        {"fmt": "csv"},
        name="action_log_export_csv",
    ),
    path(
        "action-log/export.xlsx",
        action_log.action_log_export,
        {"fmt": "xlsx"},
        name="action_log_export_xlsx",
    ),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", calendar.calendar_delete, name="calendar_delete"),
    path("tokens/", tokens.my_tokens, name="token_list"),
    path("tokens/all/", tokens.all_tokens, name="token_admin"),
]

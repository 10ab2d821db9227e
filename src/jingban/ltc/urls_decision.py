"""The decision part's routes (joined into ``urls``, namespace ``ltc``)."""

from django.urls import URLPattern, path

from jingban.ltc import views_decision as views

urlpatterns: list[URLPattern] = [
    path("ltc/notices/", views.notice_list, name="notice_list"),
    path("ltc/notices/export.csv", views.notice_export, {"fmt": "csv"}, name="notice_export_csv"),
    path(
        "ltc/notices/export.xlsx", views.notice_export, {"fmt": "xlsx"}, name="notice_export_xlsx"
    ),
    path("ltc/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("ltc/notices/<int:pk>/objection/", views.notice_objection, name="notice_objection"),
    path("ltc/cases/<int:pk>/notice/", views.notice_post, name="notice_post"),
    path("ltc/cases/<int:pk>/redraw/", views.reassessment_draw, name="reassessment_draw"),
    path("ltc/cases/<int:pk>/decide/", views.decision_issue, name="decision_issue"),
    path("ltc/decisions/", views.decision_list, name="decision_list"),
    path(
        "ltc/decisions/export.csv",
        views.decision_export,
        {"fmt": "csv"},
        name="decision_export_csv",
    ),
    path(
        "ltc/decisions/export.xlsx",
        views.decision_export,
        {"fmt": "xlsx"},
        name="decision_export_xlsx",
    ),
    path("ltc/decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("ltc/decisions/<int:pk>/letter.pdf", views.decision_letter, name="decision_letter"),
    path("ltc/entitlements/", views.entitlement_list, name="entitlement_list"),
    path(
        "ltc/entitlements/export.csv",
        views.entitlement_export,
        {"fmt": "csv"},
        name="entitlement_export_csv",
    ),
    path(
        "ltc/entitlements/export.xlsx",
        views.entitlement_export,
        {"fmt": "xlsx"},
        name="entitlement_export_xlsx",
    ),
    path("ltc/entitlements/<int:pk>/", views.entitlement_detail, name="entitlement_detail"),
    path(
        "ltc/entitlements/<int:pk>/suspend/",
        views.entitlement_change,
        {"action": "suspend"},
        name="entitlement_suspend",
    ),
    path(
        "ltc/entitlements/<int:pk>/resume/",
        views.entitlement_change,
        {"action": "resume"},
        name="entitlement_resume",
    ),
    path(
        "ltc/entitlements/<int:pk>/stop/",
        views.entitlement_change,
        {"action": "stop"},
        name="entitlement_stop",
    ),
    path(
        "ltc/entitlements/<int:pk>/reassess/",
        views.entitlement_reassess,
        name="entitlement_reassess",
    ),
    path("ltc/entitlements/<int:pk>/report/", views.status_report, name="status_report"),
    path("public/ltc/notices/", views.public_notices, name="public_notices"),
    path(
        "public/ltc/notices/<int:pk>/objection/",
        views.public_objection,
        name="public_objection",
    ),
]

"""The settlement part's routes (joined into ``urls``, namespace ``ltc``)."""

from django.urls import URLPattern, path

from jingban.ltc import views_settlement as views

urlpatterns: list[URLPattern] = [
    path("ltc/settlement/", views.batch_list, name="settlement_list"),
    path(
        "ltc/settlement/export.csv",
        views.batch_export,
        {"fmt": "csv"},
        name="settlement_export_csv",
    ),
    path(
        "ltc/settlement/export.xlsx",
        views.batch_export,
        {"fmt": "xlsx"},
        name="settlement_export_xlsx",
    ),
    path("ltc/settlement/run/", views.batch_run, name="settlement_run"),
    path("ltc/settlement/<int:pk>/", views.batch_detail, name="settlement_detail"),
    path(
        "ltc/settlement/<int:pk>/export.csv",
        views.batch_statements_export,
        {"fmt": "csv"},
        name="settlement_statements_csv",
    ),
    path(
        "ltc/settlement/<int:pk>/export.xlsx",
        views.batch_statements_export,
        {"fmt": "xlsx"},
        name="settlement_statements_xlsx",
    ),
    path("ltc/settlement/<int:pk>/advance/", views.batch_advance, name="settlement_advance"),
    path("ltc/settlement/<int:pk>/return/", views.batch_return, name="settlement_return"),
    path("ltc/settlement/<int:pk>/rerun/", views.batch_rerun, name="settlement_rerun"),
    path("ltc/settlement/<int:pk>/correct/", views.batch_correct, name="settlement_correct"),
    path(
        "ltc/settlement/statement/<int:pk>/",
        views.statement_detail,
        name="settlement_statement",
    ),
]

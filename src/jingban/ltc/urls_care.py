"""The care part's routes (joined into ``urls``, namespace ``ltc``)."""

from django.urls import URLPattern, path

from jingban.ltc import views_care as views

urlpatterns: list[URLPattern] = [
    path("ltc/care/plans/", views.care_plan_list, name="care_plan_list"),
    path(
        "ltc/care/plans/export.csv",
        views.care_plan_export,
        {"fmt": "csv"},
        name="care_plan_export_csv",
    ),
    path(
        "ltc/care/plans/export.xlsx",
        views.care_plan_export,
        {"fmt": "xlsx"},
        name="care_plan_export_xlsx",
    ),
    path("ltc/care/plans/new/", views.care_plan_new, name="care_plan_new"),
    path("ltc/care/plans/<int:pk>/", views.care_plan_detail, name="care_plan_detail"),
    path("ltc/care/plans/<int:pk>/change/", views.care_plan_change, name="care_plan_change"),
    path("ltc/care/today/", views.care_today, name="care_today"),
    path("ltc/care/plans/<int:pk>/check-in/", views.care_check_in, name="care_check_in"),
    path("ltc/care/visits/<int:pk>/check-out/", views.care_check_out, name="care_check_out"),
    path("ltc/care/visits/", views.visit_list, name="visit_list"),
    path("ltc/care/visits/export.csv", views.visit_export, {"fmt": "csv"}, name="visit_export_csv"),
    path(
        "ltc/care/visits/export.xlsx", views.visit_export, {"fmt": "xlsx"}, name="visit_export_xlsx"
    ),
    path("ltc/care/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("ltc/care/bed-days/", views.bed_days, name="bed_days"),
    path("ltc/care/hospital-stays/", views.hospital_stays, name="hospital_stays"),
    path(
        "ltc/care/hospital-stays/import/",
        views.hospital_stay_import,
        name="hospital_stay_import",
    ),
]

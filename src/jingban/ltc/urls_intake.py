"""The intake part's routes (joined into ``urls``, namespace ``ltc``)."""

from django.urls import URLPattern, path

from jingban.ltc import views_intake as views

urlpatterns: list[URLPattern] = [
    path("ltc/", views.case_list, name="case_list"),
    path("ltc/export.csv", views.case_export, {"fmt": "csv"}, name="case_export_csv"),
    path("ltc/export.xlsx", views.case_export, {"fmt": "xlsx"}, name="case_export_xlsx"),
    path("ltc/new/", views.case_new, name="case_new"),
    path("ltc/<int:pk>/", views.case_detail, name="case_detail"),
    path("ltc/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("ltc/<int:pk>/materials/", views.case_material, name="case_material"),
    path("ltc/<int:pk>/dispatch/", views.case_dispatch, name="case_dispatch"),
    path("ltc/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("ltc/assessment/<int:pk>/score/", views.score, name="score"),
    path("ltc/assessment/<int:pk>/review/", views.review, name="review"),
    path("ltc/apply/", views.apply_online, name="apply"),
    path("ltc/apply/mine/", views.my_cases, name="my_cases"),
]

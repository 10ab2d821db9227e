from django.urls import path

from jingban.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("export.csv", views.item_export, {"fmt": "csv"}, name="item_export_csv"),
    path("export.xlsx", views.item_export, {"fmt": "xlsx"}, name="item_export_xlsx"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("import/", views.version_import, name="version_import"),
    path("chronic/", views.chronic_list, name="chronic_list"),
    path("chronic/new/", views.chronic_register, name="chronic_register"),
    path("chronic/mine/", views.chronic_own, name="chronic_own"),
    path("chronic/<int:pk>/", views.chronic_detail, name="chronic_detail"),
    path("chronic/<int:pk>/end/", views.chronic_end, name="chronic_end"),
]

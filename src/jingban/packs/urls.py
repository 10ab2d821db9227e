from django.urls import path

from jingban.packs import views

app_name = "packs"
urlpatterns = [
    path("", views.version_list, name="version_list"),
    path("new/", views.version_create, name="version_create"),
    path("<int:pk>/", views.version_detail, name="version_detail"),
    path("<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("<int:pk>/edit/yaml/", views.version_edit_yaml, name="version_edit_yaml"),
    path("<int:pk>/pack.yaml", views.version_download, name="version_download"),
    path("<int:pk>/approve/", views.version_approve, name="version_approve"),
    path("<int:pk>/reject/", views.version_reject, name="version_reject"),
    path("<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("<int:pk>/trial/", views.version_trial, name="version_trial"),
    path("export.csv", views.version_export, {"fmt": "csv"}, name="version_export_csv"),
    path("export.xlsx", views.version_export, {"fmt": "xlsx"}, name="version_export_xlsx"),
]

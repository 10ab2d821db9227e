from django.urls import path

from jingban.directory import views

app_name = "directory"
urlpatterns = [
    path("directory/", views.entry_list, name="entry_list"),
    path("directory/new/", views.entry_create, name="entry_create"),
    path("directory/import/", views.entry_import, name="entry_import"),
    path("directory/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("directory/<int:pk>/deactivate/", views.entry_deactivate, name="entry_deactivate"),
    path("directory/<int:pk>/reactivate/", views.entry_reactivate, name="entry_reactivate"),
    path("directory/export.csv", views.entry_export, {"fmt": "csv"}, name="entry_export_csv"),
    path("directory/export.xlsx", views.entry_export, {"fmt": "xlsx"}, name="entry_export_xlsx"),
    path("public/directory/", views.public_search, name="public_search"),
]

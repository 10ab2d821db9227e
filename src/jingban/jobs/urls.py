from django.urls import path

from jingban.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("start/", views.run_start, name="run_start"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("export.csv", views.run_export, {"fmt": "csv"}, name="run_export_csv"),
    path("export.xlsx", views.run_export, {"fmt": "xlsx"}, name="run_export_xlsx"),
]

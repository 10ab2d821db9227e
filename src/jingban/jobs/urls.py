from django.urls import path

from jingban.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("start/", views.run_start, name="run_start"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/retry/", views.run_retry, name="run_retry"),
]

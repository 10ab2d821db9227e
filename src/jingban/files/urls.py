from django.urls import path

from jingban.files import views

app_name = "files"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("attach/<str:object_type>/<str:object_id>/", views.upload, name="upload"),
]

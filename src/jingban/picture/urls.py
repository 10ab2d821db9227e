from django.urls import path

from jingban.picture import views

app_name = "picture"
urlpatterns = [
    path("persons/<int:pk>/picture/", views.person_picture, name="person"),
    path("my/picture/", views.my_picture, name="mine"),
]

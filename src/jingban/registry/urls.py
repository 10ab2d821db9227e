from django.urls import path

from jingban.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("me/", views.my_record, name="my_record"),
]

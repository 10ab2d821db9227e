from django.urls import path

from jingban.supplementary import views

app_name = "supplementary"
urlpatterns = [
    path("supplementary/", views.staff_list, name="list"),
    path("my/supplementary/", views.my_page, name="my"),
]

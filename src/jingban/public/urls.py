from django.urls import path

from jingban.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("policy/", views.policy_page, name="policy"),
]

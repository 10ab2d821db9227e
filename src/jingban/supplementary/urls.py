from django.urls import path

from jingban.supplementary import views

app_name = "supplementary"
urlpatterns = [
    path("supplementary/", views.staff_list, name="list"),
    path("supplementary/new/", views.window_new, name="window_new"),
    path("supplementary/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("my/supplementary/", views.my_page, name="my"),
    path("my/supplementary/enroll/", views.my_enroll, name="my_enroll"),
    path("my/supplementary/<int:pk>/cancel/", views.my_cancel, name="my_cancel"),
    path("my/supplementary/<int:pk>/claim/", views.my_claim, name="my_claim"),
]

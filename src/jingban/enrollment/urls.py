from django.urls import path

from jingban.enrollment import views

app_name = "enrollment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("persons/<int:person_id>/", views.person, name="person"),
    path("persons/<int:person_id>/enroll/", views.enroll, name="enroll"),
    path("persons/<int:person_id>/pay/", views.pay, name="pay"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/renew/", views.renew, name="renew"),
    path("import/", views.import_enrollments, name="import_enrollments"),
    path("payments/differences/", views.differences, name="differences"),
    path("payments/import/", views.import_payments, name="import_payments"),
    path("payments/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("mine/", views.mine, name="mine"),
    path("acting/<int:person_id>/", views.acting, name="acting"),
]

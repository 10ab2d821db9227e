from django.urls import path

from jingban.accident import views

app_name = "accident"
urlpatterns = [
    path("accident/claims/", views.claim_list, name="claim_list"),
    path("accident/claims/new/", views.claim_new, name="claim_new"),
    path("accident/claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("accident/claims/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("accident/claims/<int:pk>/refuse/", views.claim_refuse, name="claim_refuse"),
    path("accident/enrollments/", views.enrollment_list, name="enrollment_list"),
    path("accident/enrollments/new/", views.enroll_new, name="enroll_new"),
    path("accident/enrollments/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path("accident/import/", views.import_list, name="import"),
    path("accident/payments/<int:pk>/", views.payment_detail, name="payment_detail"),
    path("my/accident/", views.my, name="my"),
    path("my/accident/claims/new/", views.my_claim_new, name="my_claim_new"),
    path("my/accident/claims/<int:pk>/", views.my_claim_detail, name="my_claim_detail"),
]

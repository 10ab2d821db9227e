from django.urls import path

from jingban.reimburse import views

app_name = "reimburse"
urlpatterns = [
    path("reimbursements/", views.staff_list, name="list"),
    path("reimbursements/<int:pk>/", views.staff_detail, name="detail"),
    path("reimbursements/<int:pk>/request-more/", views.request_more, name="request_more"),
    path("reimbursements/<int:pk>/approve/", views.approve, name="approve"),
    path("reimbursements/<int:pk>/reject/", views.reject, name="reject"),
    path("reimbursements/<int:pk>/pay/", views.pay, name="pay"),
    path("reimbursements/<int:pk>/decision.pdf", views.decision, name="decision"),
    path("my/reimbursements/<int:pk>/decision.pdf", views.my_decision, name="my_decision"),
    path("my/reimbursements/", views.my_list, name="my_list"),
    path("my/reimbursements/new/", views.my_new, name="my_new"),
    path("my/reimbursements/<int:pk>/", views.my_detail, name="my_detail"),
    path("my/reimbursements/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
]

from django.urls import path

from jingban.documents import views

app_name = "documents"
urlpatterns = [
    path(
        "documents/persons/<int:pk>/enrollment-proof/",
        views.person_enrollment_proof,
        name="person_enrollment_proof",
    ),
    path(
        "documents/me/enrollment-proof/",
        views.own_enrollment_proof,
        name="own_enrollment_proof",
    ),
    path("public/verify/", views.verify, name="verify"),
]

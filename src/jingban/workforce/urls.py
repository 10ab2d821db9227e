from django.urls import path

from jingban.workforce import views

app_name = "workforce"
urlpatterns = [
    path("caregivers/", views.caregiver_list, name="caregiver_list"),
    path("caregivers/new/", views.caregiver_form, name="caregiver_create"),
    path("caregivers/<int:pk>/", views.caregiver_detail, name="caregiver_detail"),
    path("caregivers/<int:pk>/reveal/", views.caregiver_reveal, name="caregiver_reveal"),
    path("caregivers/<int:pk>/edit/", views.caregiver_form, name="caregiver_edit"),
    path(
        "caregivers/<int:pk>/qualifications/",
        views.caregiver_qualification,
        name="caregiver_qualification",
    ),
    path(
        "caregivers/export.csv", views.caregiver_export, {"fmt": "csv"}, name="caregiver_export_csv"
    ),
    path(
        "caregivers/export.xlsx",
        views.caregiver_export,
        {"fmt": "xlsx"},
        name="caregiver_export_xlsx",
    ),
    path("assessors/", views.assessor_list, name="assessor_list"),
    path("assessors/new/", views.assessor_form, name="assessor_create"),
    path("assessors/<int:pk>/", views.assessor_detail, name="assessor_detail"),
    path("assessors/<int:pk>/edit/", views.assessor_form, name="assessor_edit"),
    path(
        "assessors/<int:pk>/qualifications/",
        views.assessor_qualification,
        name="assessor_qualification",
    ),
    path("assessors/<int:pk>/links/", views.assessor_affiliation, name="assessor_affiliation"),
    path("assessors/export.csv", views.assessor_export, {"fmt": "csv"}, name="assessor_export_csv"),
    path(
        "assessors/export.xlsx", views.assessor_export, {"fmt": "xlsx"}, name="assessor_export_xlsx"
    ),
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/replay/", views.draw_replay, name="draw_replay"),
]

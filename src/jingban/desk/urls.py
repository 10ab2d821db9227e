from django.urls import path

from jingban.desk import views

app_name = "desk"
urlpatterns = [
    path("desk/", views.case_list, name="case_list"),
    path("desk/export.csv", views.case_export, {"fmt": "csv"}, name="case_export_csv"),
    path("desk/export.xlsx", views.case_export, {"fmt": "xlsx"}, name="case_export_xlsx"),
    path("desk/new/", views.intake, name="intake"),
    path("desk/routing/", views.rule_list, name="rule_list"),
    path("desk/routing/export.csv", views.rule_export, {"fmt": "csv"}, name="rule_export_csv"),
    path("desk/routing/export.xlsx", views.rule_export, {"fmt": "xlsx"}, name="rule_export_xlsx"),
    path("desk/routing/new/", views.rule_new, name="rule_new"),
    path("desk/routing/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("desk/routing/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("desk/<int:pk>/", views.case_detail, name="case_detail"),
    path("desk/<int:pk>/route/", views.case_route, name="case_route"),
    path("desk/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("desk/<int:pk>/note/", views.case_note, name="case_note"),
    path("desk/<int:pk>/answer/", views.case_answer, name="case_answer"),
    path("desk/<int:pk>/close/", views.case_close, name="case_close"),
    path("desk/<int:pk>/escalate/", views.case_escalate, name="case_escalate"),
    path("desk/<int:pk>/refer/", views.case_refer, name="case_refer"),
    path("desk/<int:pk>/confirm/", views.case_confirm, name="case_confirm"),
    path("desk/<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("public/complaints/new/", views.file_case, name="file"),
    path("public/complaints/challenge/", views.challenge, name="challenge"),
    path("public/track/", views.track, name="track"),
]

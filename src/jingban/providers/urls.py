from django.urls import path

from jingban.providers import views

app_name = "providers"
urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("export.csv", views.institution_export, {"fmt": "csv"}, name="institution_export_csv"),
    path("export.xlsx", views.institution_export, {"fmt": "xlsx"}, name="institution_export_xlsx"),
    path("<int:pk>/", views.institution_detail, name="institution_detail"),
    path("<int:pk>/designations/", views.designation_add, name="designation_add"),
    path("<int:pk>/apply/", views.agreement_apply, name="agreement_apply"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/<str:event>/", views.agreement_event, name="agreement_event"),
    path("agreements/<int:pk>/check/<int:checklist>/", views.check_create, name="check_create"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("orders/<int:pk>/decide/", views.order_decide, name="order_decide"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/new/", views.checklist_edit, name="checklist_create"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("ours/", views.own, name="own"),
    path("ours/zone/", views.own_zone, name="own_zone"),
    path("ours/orders/<int:pk>/", views.own_order, name="own_order"),
]

from django.urls import path

from jingban.registry import household_views as hv
from jingban.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("me/", views.my_record, name="my_record"),
    path("<int:pk>/household/new/", hv.household_create, name="household_create"),
    path("households/<int:pk>/", hv.household_detail, name="household_detail"),
    path("households/<int:pk>/members/", hv.household_add_member, name="household_add_member"),
    path(
        "households/<int:pk>/members/<int:member_pk>/leave/",
        hv.household_member_leave,
        name="household_member_leave",
    ),
    path("<int:pk>/agents/new/", hv.authorisation_create, name="authorisation_create"),
    path("agents/<int:pk>/revoke/", hv.authorisation_revoke, name="authorisation_revoke"),
    path("acting/", hv.acting_list, name="acting_list"),
    path("acting/<int:person_pk>/", hv.acting_record, name="acting_record"),
    path("acting/<int:person_pk>/contact/", hv.acting_contact, name="acting_contact"),
]

# The list's downloads (CSV, xlsx), in a module of their own.
from jingban.registry import exports as person_exports  # noqa: E402

urlpatterns += [
    path("export.csv", person_exports.person_export, {"fmt": "csv"}, name="person_export_csv"),
    path("export.xlsx", person_exports.person_export, {"fmt": "xlsx"}, name="person_export_xlsx"),
]

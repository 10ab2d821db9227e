from django.urls import path

from jingban.medical import views

app_name = "medical"
urlpatterns = [
    path("", views.settlement_list, name="settlement_list"),
    path("<int:pk>/", views.settlement_detail, name="settlement_detail"),
    path("<int:pk>/statement/", views.settlement_statement, name="settlement_statement"),
    path("reconciliations/", views.reconciliation_list, name="reconciliation_list"),
    path("mine/", views.own_settlements, name="own_settlements"),
    path("mine/<int:pk>/", views.own_settlement_detail, name="own_settlement_detail"),
    path(
        "mine/<int:pk>/statement/",
        views.own_settlement_statement,
        name="own_settlement_statement",
    ),
]

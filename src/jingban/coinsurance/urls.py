from django.urls import path

from jingban.coinsurance import views

app_name = "coinsurance"
urlpatterns = [
    path("statements/", views.statement_list, name="statement_list"),
    path("statements/generate/", views.generate, name="generate"),
    path("statements/<int:pk>/", views.statement_detail, name="statement_detail"),
    path("statements/<int:pk>/pdf/", views.statement_pdf, name="statement_pdf"),
    path("panels/", views.panel_list, name="panel_list"),
    path("panels/new/", views.panel_new, name="panel_new"),
    path("panels/<int:pk>/", views.panel_detail, name="panel_detail"),
    path("my/", views.my_list, name="my_list"),
    path("my/<int:pk>/", views.my_detail, name="my_detail"),
    path("my/<int:pk>/pdf/", views.my_pdf, name="my_pdf"),
]

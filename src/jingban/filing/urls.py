from django.urls import path

from jingban.filing import views

app_name = "filing"
urlpatterns = [
    path("filings/", views.filing_list, name="list"),
    path("filings/new/", views.window_new, name="window_new"),
    path("filings/<int:pk>/", views.filing_detail, name="detail"),
    path("filings/<int:pk>/approve/", views.filing_approve, name="approve"),
    path("filings/<int:pk>/refuse/", views.filing_refuse, name="refuse"),
    path("filings/<int:pk>/cancel/", views.filing_cancel, name="cancel"),
    path("my/filings/", views.my_list, name="my_list"),
    path("my/filings/new/", views.my_new, name="my_new"),
    path("my/filings/<int:pk>/", views.my_detail, name="my_detail"),
    path("my/filings/<int:pk>/cancel/", views.my_cancel, name="my_cancel"),
]

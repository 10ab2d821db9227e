from django.urls import path

from tests.plugin_app import views

app_name = "plugin_app"
urlpatterns = [
    path("", views.greetings, name="greetings"),
    path("public/", views.public_greeting, name="public_greeting"),
]

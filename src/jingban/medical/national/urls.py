"""The interface's one route, at ``JINGBAN_HOSPITAL_INTERFACE_PATH``."""

from django.conf import settings
from django.urls import path

from jingban.medical.national.views import call_service

app_name = "national"
urlpatterns = [path(settings.HOSPITAL_INTERFACE_PATH, call_service, name="call_service")]

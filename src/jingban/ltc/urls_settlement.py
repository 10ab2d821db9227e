"""The settlement part's routes (joined into ``urls``, namespace ``ltc``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

"""Notifications: an inbox per user, filled by the reminder job from every app's sources."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "jingban.notices"
    label = "notices"
    verbose_name = _("Notices")

"""Enrollment and contributions (参保与缴费)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "jingban.enrollment"
    label = "enrollment"
    verbose_name = _("Enrollment and contributions")

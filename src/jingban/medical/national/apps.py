"""The national hospital interface, an app of its own inside ``jingban.medical`` (its message log,
gateway credentials and sign-ins are its own tables)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalInterfaceConfig(AppConfig):
    name = "jingban.medical.national"
    label = "medical_national"
    verbose_name = _("National hospital interface")

"""Designated institutions (定点机构): their profiles, designations, agreements with their
checks, and whether they may serve."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "jingban.providers"
    label = "providers"
    verbose_name = _("Designated institutions")

"""Public pages under /public/: the index of what the apps offer to anyone, and policy explanations
generated from the packs in force."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "jingban.public"
    label = "public"
    verbose_name = _("Public pages")

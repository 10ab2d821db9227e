"""Medical settlement (医疗结算): batch adjudication of claim files for now; claims, their
review and payment later."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MedicalConfig(AppConfig):
    name = "jingban.medical"
    label = "medical"
    verbose_name = _("Medical settlement")

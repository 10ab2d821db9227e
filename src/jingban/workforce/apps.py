"""The people of the service network: caregivers (护理员), assessors and assessment experts, and the
recusal-aware assessor draw."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "jingban.workforce"
    label = "workforce"
    verbose_name = _("Caregivers and assessors")

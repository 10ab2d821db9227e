"""Long-term care insurance (长期护理保险), the whole case: application, disability assessment to
the national standard, public notice, decision, care plans, service records, monthly
settlement and dynamic re-assessment."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtcConfig(AppConfig):
    name = "jingban.ltc"
    label = "ltc"
    verbose_name = _("Long-term care")

"""The citizens' desk: complaints (投诉) and reports of fund fraud (举报), routed, answered on a
deadline and tracked."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "jingban.desk"
    label = "desk"
    verbose_name = _("Complaints and reports")

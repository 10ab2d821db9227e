"""Accident insurance for people aged 60 and over (安康关爱-style): group enrollment through the
ageing office or a community, premiums and accidental-injury claims."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccidentConfig(AppConfig):
    name = "jingban.accident"
    label = "accident"
    verbose_name = _("Elderly accident insurance")

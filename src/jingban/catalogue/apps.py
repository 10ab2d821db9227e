"""The medical catalogue (医保目录): drugs, consumables and medical services with their class,
first-pay rate, price limit and the visit types they are covered for, in versions with effective
dates; the classification of a bill's fee details through it; and the chronic and special
outpatient diseases (门诊慢特病) registered per person."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "jingban.catalogue"
    label = "catalogue"
    verbose_name = _("Medical catalogue")

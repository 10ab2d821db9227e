"""Supplementary insurance products (惠民保): the product catalogue, enrollment and premiums, and
claims stacked on direct settlements and reimbursements."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplementaryConfig(AppConfig):
    name = "jingban.supplementary"
    label = "supplementary"
    verbose_name = _("Supplementary insurance")

"""Co-insurance (联合承保): the insurers who underwrite a product together with their shares, the
split of every premium and claim to the fen, and each insurer's monthly statement."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoinsuranceConfig(AppConfig):
    name = "jingban.coinsurance"
    label = "coinsurance"
    verbose_name = _("Co-insurance")

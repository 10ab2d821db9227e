"""Cross-region filing (异地就医备案): long-term and temporary filings of insured persons for
treatment outside their pooling area, and the decision of a settlement's cross-region rule."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "jingban.filing"
    label = "filing"
    verbose_name = _("Cross-region filing")

"""What co-insurance brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="coinsurance")

"""What the long-term care app brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="ltc")

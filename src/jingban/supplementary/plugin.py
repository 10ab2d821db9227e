"""What supplementary insurance brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="supplementary")

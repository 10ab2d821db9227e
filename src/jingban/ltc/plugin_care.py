"""What the care part of long-term care declares (joined into ``plugin.PLUGIN``)."""

from jingban.core.plugins import AppPlugin

PART = AppPlugin(app="ltc")

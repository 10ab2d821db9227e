"""What elderly accident insurance brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="accident")

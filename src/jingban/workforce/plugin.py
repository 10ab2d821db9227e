"""What the workforce app brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="workforce")

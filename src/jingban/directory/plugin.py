"""What the directory app brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="directory")

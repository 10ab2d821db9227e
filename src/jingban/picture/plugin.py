"""What the person's whole picture brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="picture")

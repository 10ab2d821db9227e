"""What manual reimbursement brings to the platform."""

from jingban.core.plugins import AppPlugin

PLUGIN = AppPlugin(app="reimburse")

"""Manual reimbursement (手工报销): applications with materials, the review queue, decisions settled
through the medical engine, and payment to the person's bank account."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReimburseConfig(AppConfig):
    name = "jingban.reimburse"
    label = "reimburse"
    verbose_name = _("Manual reimbursement")

"""What manual reimbursement brings to the platform: the review queue and the applications for
staff, the insured person's own applications (for themself or as an agent), the API under
/api/v1/reimbursements, the pack family ``reimbursement``, and the manual settlement through
medical's engine (``medical/services/manual.py``)."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    NavEntry,
    ObjectType,
    Routes,
)
from jingban.core.roles import Role

STAFF = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="reimburse",
    capabilities=(
        Capability("reimburse.reimbursement.view", _("View manual reimbursements"), STAFF),
        Capability(
            "reimburse.reimbursement.record",
            _("Take manual reimbursement applications at a service window"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "reimburse.reimbursement.review",
            _("Review manual reimbursements: ask for materials, approve, reject"),
            {Role.REVIEWER, Role.ADMIN},
        ),
        Capability(
            "reimburse.reimbursement.pay",
            _("Record the payment of manual reimbursements"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "reimburse.own.apply",
            _("Apply for manual reimbursement, for oneself or as an agent"),
            {Role.INSURED},
        ),
    ),
    navigation=(
        NavEntry(_("Manual reimbursements"), "reimburse:list", "reimburse.reimbursement.view", 330),
        NavEntry(_("My reimbursements"), "reimburse:my_list", "reimburse.own.apply", 330),
    ),
    actions=(
        ActionCode("reimburse.reimbursement.applied", _("applied for a manual reimbursement")),
        ActionCode(
            "reimburse.reimbursement.more_requested", _("asked for more reimbursement materials")
        ),
        ActionCode(
            "reimburse.reimbursement.resubmitted", _("handed in more reimbursement materials")
        ),
        ActionCode("reimburse.reimbursement.approved", _("approved a manual reimbursement")),
        ActionCode("reimburse.reimbursement.rejected", _("rejected a manual reimbursement")),
        ActionCode("reimburse.reimbursement.withdrawn", _("withdrew a manual reimbursement")),
        ActionCode("reimburse.reimbursement.paid", _("recorded a reimbursement's payment")),
        ActionCode(
            "reimburse.reimbursement.decision_downloaded",
            _("downloaded a reimbursement decision"),
        ),
    ),
    object_types=(
        ObjectType(
            "reimburse.reimbursement",
            _("manual reimbursement"),
            url_name="reimburse:detail",
            capability="reimburse.reimbursement.view",
            model="reimburse.Reimbursement",
        ),
    ),
    urls=Routes("", "jingban.reimburse.urls"),
    api_routers=(ApiRouter("/reimbursements", "jingban.reimburse.api:router"),),
    demo="jingban.reimburse.demo:build",
    extra={
        "person_picture": ("jingban.reimburse.picture:section",),
        "file_owners": {"reimburse.reimbursement": "jingban.reimburse.queries:visible"},
        # Reasons are free text that may name a person: the action log stores them encrypted.
        "personal_fields": {
            "reimburse.reimbursement": {"request_reason": "text", "reject_reason": "text"}
        },
    },
)

"""What the intake part of long-term care declares (joined into ``plugin.PLUGIN``): the case's
capabilities (viewing is shared by every part), the navigation entry 长期护理, the home panels
of the operator and the assessor, the action codes of application, acceptance, dispatch,
scoring and review, and the case as an object of the action log."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import ActionCode, AppPlugin, Capability, HomePanel, NavEntry, ObjectType
from jingban.core.roles import Role

VIEW = "ltc.case.view"
INTAKE = "ltc.case.intake"
ACCEPT = "ltc.case.accept"
SCORE = "ltc.assessment.score"
REVIEW = "ltc.assessment.review"
APPLY = "ltc.case.apply"

PART = AppPlugin(
    app="ltc",
    capabilities=(
        Capability(
            VIEW,
            _("View long-term care cases (assessors: the cases drawn to them)"),
            {
                Role.OPERATOR,
                Role.REVIEWER,
                Role.ASSESSOR,
                Role.AUDITOR,
                Role.SUPERVISOR,
                Role.ADMIN,
            },
        ),
        Capability(INTAKE, _("Record long-term care applications"), {Role.OPERATOR, Role.ADMIN}),
        Capability(
            ACCEPT,
            _("Accept or refuse long-term care applications and dispatch assessors"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(SCORE, _("Enter the scores of an assessment drawn to one"), {Role.ASSESSOR}),
        Capability(
            REVIEW, _("Review assessment conclusions (assessment experts)"), {Role.ASSESSOR}
        ),
        Capability(
            APPLY,
            _("Apply for a long-term care assessment online (oneself or as an agent)"),
            {Role.INSURED},
        ),
    ),
    navigation=(NavEntry(_("Long-term care"), "ltc:case_list", VIEW, order=450),),
    home_panels=(
        HomePanel(
            "ltc.waiting",
            "ltc/intake/_home_waiting.html",
            "jingban.ltc.panels_intake:waiting",
            ACCEPT,
            order=230,
        ),
        HomePanel(
            "ltc.my_assessments",
            "ltc/intake/_home_assessments.html",
            "jingban.ltc.panels_intake:my_assessments",
            SCORE,
            order=231,
        ),
    ),
    actions=(
        ActionCode("ltc.case.applied", _("recorded a long-term care application")),
        ActionCode("ltc.case.accepted", _("accepted a long-term care application")),
        ActionCode("ltc.material.added", _("added a material to a long-term care application")),
        ActionCode("ltc.case.refused", _("refused a long-term care application")),
        ActionCode("ltc.case.withdrawn", _("withdrew a long-term care application")),
        ActionCode("ltc.case.dispatched", _("drew assessors for a long-term care case")),
        ActionCode("ltc.assessment.submitted", _("submitted the scores of an assessment")),
        ActionCode("ltc.assessment.reviewed", _("reviewed an assessment conclusion")),
    ),
    object_types=(
        ObjectType(
            "ltc.case",
            _("long-term care case"),
            url_name="ltc:case_detail",
            capability=VIEW,
            model="ltc.Case",
        ),
    ),
    reminders=("jingban.ltc.reminders_intake:due",),
    extra={
        "file_owners": {"ltc.case": "jingban.ltc.files_intake:visible"},
        # The demo's named applicants (``demo_intake.PEOPLE``), registered beside the city.
        "demo_persons": 7,
    },
)

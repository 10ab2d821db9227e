"""What the care part of long-term care declares (joined into ``plugin.PLUGIN``): care plans,
caregivers' visits (check-in/out), institutions' bed-days and hospital stays."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import ActionCode, AppPlugin, Capability, HomePanel, NavEntry, ObjectType
from jingban.core.roles import Role

PART = AppPlugin(
    app="ltc",
    capabilities=(
        Capability(
            "ltc.care_plan.view",
            _("View long-term care plans"),
            {
                Role.OPERATOR,
                Role.REVIEWER,
                Role.AUDITOR,
                Role.SUPERVISOR,
                Role.INSTITUTION_STAFF,
                Role.ADMIN,
            },
        ),
        Capability(
            "ltc.care_plan.edit",
            _("Open and change long-term care plans"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability("ltc.visit.record", _("Check in and out of home care visits"), {Role.CAREGIVER}),
        Capability(
            "ltc.visit.view",
            _("View home care visits"),
            {
                Role.OPERATOR,
                Role.REVIEWER,
                Role.AUDITOR,
                Role.SUPERVISOR,
                Role.INSTITUTION_STAFF,
                Role.CAREGIVER,
                Role.ADMIN,
            },
        ),
        Capability(
            "ltc.bedday.report",
            _("Report bed-days and hospital stays of an institution's beneficiaries"),
            {Role.INSTITUTION_STAFF},
        ),
    ),
    navigation=(
        NavEntry(_("Care plans"), "ltc:care_plan_list", "ltc.care_plan.view", 620),
        NavEntry(_("Today's visits"), "ltc:care_today", "ltc.visit.record", 610),
        NavEntry(_("Service visits"), "ltc:visit_list", "ltc.visit.view", 630),
        NavEntry(_("Bed-days"), "ltc:bed_days", "ltc.bedday.report", 640),
        NavEntry(_("Hospital stays"), "ltc:hospital_stays", "ltc.bedday.report", 650),
    ),
    home_panels=(
        HomePanel(
            "ltc.care_today",
            "ltc/care/_home_today.html",
            "jingban.ltc.panels_care:today_visits",
            "ltc.visit.record",
            order=150,
        ),
        HomePanel(
            "ltc.bed_days_due",
            "ltc/care/_home_bed_days.html",
            "jingban.ltc.panels_care:bed_days_due",
            "ltc.bedday.report",
            order=150,
        ),
    ),
    actions=(
        ActionCode("ltc.care_plan.created", _("opened a long-term care plan")),
        ActionCode("ltc.care_plan.changed", _("changed a long-term care plan")),
        ActionCode("ltc.visit.checked_in", _("checked in at a home care visit")),
        ActionCode("ltc.visit.checked_out", _("checked out of a home care visit")),
        ActionCode("ltc.bed_day.reported", _("reported bed-days")),
        ActionCode("ltc.hospital_stay.recorded", _("recorded a hospital stay")),
        ActionCode(
            "ltc.hospital_stay.removed",
            _("removed a hospital stay whose medical settlement was cancelled"),
        ),
    ),
    object_types=(
        ObjectType(
            "ltc.care_plan",
            _("long-term care plan"),
            url_name="ltc:care_plan_detail",
            capability="ltc.care_plan.view",
            model="ltc.CarePlan",
        ),
        ObjectType(
            "ltc.visit",
            _("home care visit"),
            url_name="ltc:visit_detail",
            capability="ltc.visit.view",
            model="ltc.Visit",
        ),
        ObjectType("ltc.bed_day", _("bed-day report")),
        ObjectType("ltc.hospital_stay", _("hospital stay"), model="ltc.HospitalStay"),
    ),
    extra={
        "file_owners": {"ltc.visit": "jingban.ltc.queries_care:visit_region"},
        # An inpatient settlement's stay pauses institutional days (medical.hooks).
        "medical_inpatient_settled": "jingban.ltc.hooks_medical:record_settled_stay",
        # Cancelling that settlement removes the stay (medical.hooks.inpatient_cancelled).
        "medical_inpatient_cancelled": "jingban.ltc.hooks_medical:remove_settled_stay",
    },
)

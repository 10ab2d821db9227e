"""What the workforce app brings: caregivers, assessors and experts, their recusal links, and the
logged, replayable assessor draw."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    AppPlugin,
    Capability,
    NavEntry,
    ObjectType,
    Routes,
    SynthGenerator,
)
from jingban.core.roles import Role

_STAFF_VIEWERS = {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}

PLUGIN = AppPlugin(
    app="workforce",
    capabilities=(
        # Institution staff see their own institution's caregivers, a caregiver their own record
        # (workforce/queries.py).
        Capability(
            "workforce.caregiver.view",
            _("View caregivers"),
            _STAFF_VIEWERS | {Role.INSTITUTION_STAFF, Role.CAREGIVER},
        ),
        Capability(
            "workforce.caregiver.edit",
            _("Register and edit caregivers (institution staff: their own institution's)"),
            {Role.OPERATOR, Role.ADMIN, Role.INSTITUTION_STAFF},
        ),
        Capability(
            "workforce.assessor.view",
            _("View assessors and assessment experts"),
            _STAFF_VIEWERS | {Role.ASSESSOR},
        ),
        Capability(
            "workforce.assessor.edit",
            _("Register assessors and record their recusal links"),
            {Role.OPERATOR, Role.ADMIN},
        ),
        Capability(
            "workforce.document.reveal",
            _("Show caregivers' and assessors' full document numbers (logged)"),
            {Role.OPERATOR, Role.REVIEWER, Role.AUDITOR},
        ),
        Capability(
            "workforce.draw.run",
            _("Draw assessors for an assessment"),
            {Role.OPERATOR, Role.ASSESSOR, Role.ADMIN},
        ),
        Capability(
            "workforce.draw.view",
            _("View and replay assessor draws"),
            _STAFF_VIEWERS | {Role.ASSESSOR},
        ),
    ),
    navigation=(
        NavEntry(
            _("Caregivers"), "workforce:caregiver_list", "workforce.caregiver.view", order=420
        ),
        NavEntry(_("Assessors"), "workforce:assessor_list", "workforce.assessor.view", order=430),
        NavEntry(_("Assessor draws"), "workforce:draw_list", "workforce.draw.view", order=440),
    ),
    actions=(
        ActionCode("workforce.caregiver.registered", _("registered a caregiver")),
        ActionCode("workforce.caregiver.updated", _("changed a caregiver's record")),
        ActionCode("workforce.assessor.registered", _("registered an assessor")),
        ActionCode("workforce.assessor.updated", _("changed an assessor's record")),
        ActionCode("workforce.qualification.added", _("recorded a qualification")),
        ActionCode("workforce.affiliation.added", _("recorded an assessor's recusal link")),
        ActionCode(
            "workforce.document_revealed",
            _("showed a caregiver's or an assessor's full document number"),
        ),
        ActionCode("workforce.draw.made", _("drew assessors for an assessment")),
        ActionCode("workforce.draw.replayed", _("replayed an assessor draw")),
    ),
    urls=Routes("workforce/", "jingban.workforce.urls"),
    object_types=(
        ObjectType(
            "workforce.caregiver",
            _("caregiver"),
            url_name="workforce:caregiver_detail",
            capability="workforce.caregiver.view",
            model="workforce.Caregiver",
        ),
        ObjectType(
            "workforce.assessor",
            _("assessor"),
            url_name="workforce:assessor_detail",
            capability="workforce.assessor.view",
            model="workforce.Assessor",
            models=("workforce.Qualification", "workforce.Affiliation"),
        ),
        ObjectType(
            "workforce.draw",
            _("assessor draw"),
            url_name="workforce:draw_detail",
            capability="workforce.draw.view",
            model="workforce.Draw",
        ),
    ),
    synth=SynthGenerator("workforce", "jingban.workforce.synth:generate", after=("registry",)),
    demo="jingban.workforce.demo:build",
    # Personal data in the action log's before/after, encrypted by core (ADR 0007).
    extra={
        "personal_fields": {
            "workforce.caregiver": {
                "name": "name",
                "document_number": "document",
                "phone": "phone",
            },
            "workforce.assessor": {
                "name": "name",
                "document_number": "document",
                "phone": "phone",
            },
        },
    },
)

"""The providers app's part of the demo world: 康宁护理院 under rectification with an open order
(so kangning has work), the level 3 hospital in force, a second Suzhou care institution (whose
objects kangning must never see), Nanjing's hospital, a checklist and Suzhou's outcome rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from jingban.core.models import Organisation, Region, Scheme, User
from jingban.core.services import reference
from jingban.providers import services
from jingban.providers.models import (
    Agreement,
    CareForm,
    CheckKind,
    Designation,
    Institution,
    InstitutionKind,
    Outcome,
)

CHECKLIST_ITEMS = [
    ("服务协议履行与制度建设", 20),
    ("护理服务质量与记录", 30),
    ("医保基金使用规范", 30),
    ("人员配备与培训", 20),
]

# code, kind, schemes × care forms, agreement end state
INSTITUTIONS = [
    (
        "SZ-HOSP-1",
        InstitutionKind.HOSPITAL_3,
        [
            ("resident_medical", CareForm.INPATIENT),
            ("employee_medical", CareForm.INPATIENT),
            ("resident_medical", CareForm.OUTPATIENT),
        ],
    ),
    (
        "SZ-CARE-KN",
        InstitutionKind.NURSING_HOSPITAL,
        [("ltc", CareForm.INSTITUTIONAL), ("ltc", CareForm.HOME)],
    ),
    ("SZ-CARE-AK", InstitutionKind.CARE_HOME, [("ltc", CareForm.INSTITUTIONAL)]),
    ("NJ-HOSP-1", InstitutionKind.HOSPITAL_2, [("resident_medical", CareForm.INPATIENT)]),
]


def build(admin: User, users: Mapping[str, User]) -> None:
    if Institution.objects.filter(organisation__code="SZ-CARE-KN").exists():
        return
    with transaction.atomic():
        _build(admin)


def _build(admin: User) -> None:
    today = timezone.localdate()
    if not Organisation.objects.filter(code="SZ-CARE-AK").exists():
        reference.create_organisation(
            code="SZ-CARE-AK",
            name="安康养老院",
            kind="care_institution",
            region=Region.objects.get(code="320506"),
            acting_user=admin,
        )
    suzhou = Region.objects.get(code="320500")
    for min_score, below, outcome, days, deposit in (
        (90, None, Outcome.PASS, None, 100),
        (80, 90, Outcome.WARNING, None, 80),
        (60, 80, Outcome.RECTIFICATION, 20, 50),
        (0, 60, Outcome.SUSPENSION, None, 0),
    ):
        for kind in (CheckKind.EVALUATION, CheckKind.ASSESSMENT):
            services.save_outcome_rule(
                None,
                region=suzhou,
                check_kind=kind,
                min_score=min_score,
                below_score=below,
                outcome=outcome,
                rectification_days=days,
                deposit_return_percent=deposit if kind == CheckKind.EVALUATION else None,
                acting_user=admin,
            )
    items = [services.ItemInput(text, weight) for text, weight in CHECKLIST_ITEMS]
    evaluation = services.save_checklist(
        None,
        code="SZ-LTC-EVAL",
        name="长期护理保险定点机构年度考核表",
        check_kind=CheckKind.EVALUATION,
        total=100,
        pass_mark=80,
        items=items,
        acting_user=admin,
    )
    services.save_checklist(
        None,
        code="SZ-ACCEPT",
        name="定点机构验收检查表",
        check_kind=CheckKind.ACCEPTANCE,
        total=100,
        pass_mark=80,
        items=items,
        acting_user=admin,
    )
    schemes = {s.code: s for s in Scheme.objects.all()}
    start = dt.date(today.year - 1, 1, 1)
    end = dt.date(today.year + 1, 12, 31)
    for serial, (code, fine_kind, designations) in enumerate(INSTITUTIONS, start=1):
        organisation = Organisation.objects.get(code=code)
        institution = Institution.objects.create(
            organisation=organisation,
            kind=fine_kind,
            ltc_zone=fine_kind != InstitutionKind.HOSPITAL_3 and code.startswith("SZ-CARE"),
            ltc_beds=120 if code == "SZ-CARE-KN" else (60 if code == "SZ-CARE-AK" else 0),
            ltc_beds_occupied=96 if code == "SZ-CARE-KN" else 0,
            ltc_nurses=18 if code == "SZ-CARE-KN" else 0,
            ltc_caregivers=40 if code == "SZ-CARE-KN" else 0,
            ltc_doctors=4 if code == "SZ-CARE-KN" else 0,
        )
        institution.service_area.set([organisation.region])
        Designation.objects.bulk_create(
            Designation(
                institution=institution,
                scheme=schemes[scheme],
                care_form=form,
                valid_from=start,
                valid_until=end,
            )
            for scheme, form in designations
            if scheme in schemes
        )
        agreement = services.apply_for_agreement(
            institution,
            number=f"定协〔{start.year}〕{serial:03d}号",
            applied_on=start - dt.timedelta(days=60),
            valid_from=start,
            valid_until=end,
            deposit_fen=5_000_000 if code.startswith("SZ-CARE") else 0,
            acting_user=admin,
        )
        _accept(agreement, admin)
        if code == "SZ-CARE-KN":
            services.record_check(
                agreement,
                evaluation,
                checked_on=today - dt.timedelta(days=7),
                scores=[
                    services.ItemScore(item.pk, score, note)
                    for item, (score, note) in zip(
                        evaluation.items.all(),
                        [(16, ""), (20, "护理记录不完整"), (22, "有串换项目"), (14, "培训不足")],
                        strict=True,
                    )
                ],
                note="护理记录不完整，存在串换收费项目，请限期整改。",
                acting_user=admin,
            )
        if code == "SZ-CARE-AK":
            services.order_rectification(
                agreement,
                issued_on=today - dt.timedelta(days=3),
                working_days=15,
                requirements="消防设施检查不合格，请整改。",
                acting_user=admin,
            )


def _accept(agreement: Agreement, admin: User) -> None:
    """Accepted and in force from the period's start (the acceptance check is on record)."""
    from jingban.providers.models import AgreementEvent, AgreementState, EventKind

    AgreementEvent.objects.bulk_create(
        [
            AgreementEvent(
                agreement=agreement,
                kind=EventKind.ACCEPTANCE,
                effective_on=agreement.valid_from - dt.timedelta(days=20),
                state_before=AgreementState.APPLIED,
                state_after=AgreementState.ACCEPTED,
                actor=admin,
            ),
            AgreementEvent(
                agreement=agreement,
                kind=EventKind.TAKE_EFFECT,
                effective_on=agreement.valid_from,
                state_before=AgreementState.ACCEPTED,
                state_after=AgreementState.IN_FORCE,
                actor=admin,
            ),
        ]
    )
    agreement.state = AgreementState.IN_FORCE
    agreement.save(update_fields=["state"])

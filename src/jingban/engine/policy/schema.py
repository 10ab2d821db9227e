"""The typed shape of a policy pack (政策包): a common header and one rules model per scheme
family, as a pydantic union discriminated by ``family`` (docs/adr/0006-pack-schema-union.md).

A new family (long-term care in step 7) is a new module under ``families/`` whose model extends
``PackHeader`` with ``family: Literal[Family.X]``, added to ``PackRules`` and ``FAMILY_SECTIONS``;
no other family changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from jingban.engine.policy.families.accident import AccidentRules
from jingban.engine.policy.families.contribution import ContributionRules, ContributionTier
from jingban.engine.policy.families.desk import DeskRules
from jingban.engine.policy.families.filing import FilingRules
from jingban.engine.policy.families.ltc import LtcAssessmentRules, LtcRules
from jingban.engine.policy.families.medical import (
    AssistanceRule,
    Band,
    Benefit,
    CapPool,
    ConditionRule,
    Contributions,
    CriticalIllness,
    CrossRegionRule,
    Deductible,
    MedicalAssistance,
    MedicalRules,
    ReliefTilt,
)
from jingban.engine.policy.families.reimbursement import ReimbursementRules
from jingban.engine.policy.families.supplementary import (
    Supplementary,
    SupplementaryPart,
    SupplementaryRules,
)
from jingban.engine.policy.header import (
    LAYOUT_1,
    LAYOUT_2,
    LAYOUTS,
    Effective,
    Family,
    Money,
    PackHeader,
    PackKind,
    Ratio,
    Source,
    Text,
)

# Every pack: the family's model, chosen by the ``family`` key.
PackRules = Annotated[
    MedicalRules
    | SupplementaryRules
    | ContributionRules
    | DeskRules
    | LtcAssessmentRules
    | LtcRules
    | FilingRules
    | AccidentRules
    | ReimbursementRules,
    Field(discriminator="family"),
]
PACK_RULES: TypeAdapter[Any] = TypeAdapter(PackRules)

FAMILY_MODELS: Mapping[Family, type[PackHeader]] = {
    Family.MEDICAL: MedicalRules,
    Family.SUPPLEMENTARY: SupplementaryRules,
    Family.CONTRIBUTION: ContributionRules,
    Family.DESK: DeskRules,
    Family.LTC_ASSESSMENT: LtcAssessmentRules,
    Family.LTC: LtcRules,
    Family.FILING: FilingRules,
    Family.ACCIDENT: AccidentRules,
    Family.REIMBURSEMENT: ReimbursementRules,
}

# The top-level keys each family adds to the header: a key of another family is named as such.
# Layout 1's ``contributions`` inside a medical pack is not listed: it belongs to the
# contribution family now.
FAMILY_SECTIONS: Mapping[Family, frozenset[str]] = {
    family: frozenset(model.model_fields) - frozenset(PackHeader.model_fields) - {"family"}
    for family, model in FAMILY_MODELS.items()
}
FAMILY_SECTIONS = {
    **FAMILY_SECTIONS,
    Family.MEDICAL: FAMILY_SECTIONS[Family.MEDICAL] - {"contributions"},
    Family.CONTRIBUTION: FAMILY_SECTIONS[Family.CONTRIBUTION] | {"contributions"},
}

__all__ = [
    "FAMILY_MODELS",
    "FAMILY_SECTIONS",
    "LAYOUTS",
    "LAYOUT_1",
    "LAYOUT_2",
    "PACK_RULES",
    "AccidentRules",
    "AssistanceRule",
    "Band",
    "Benefit",
    "CapPool",
    "ConditionRule",
    "ContributionRules",
    "ContributionTier",
    "Contributions",
    "CriticalIllness",
    "CrossRegionRule",
    "Deductible",
    "DeskRules",
    "Effective",
    "Family",
    "FilingRules",
    "LtcAssessmentRules",
    "LtcRules",
    "MedicalAssistance",
    "MedicalRules",
    "Money",
    "PackHeader",
    "PackKind",
    "PackRules",
    "Ratio",
    "ReliefTilt",
    "Source",
    "Supplementary",
    "SupplementaryPart",
    "SupplementaryRules",
    "Text",
]

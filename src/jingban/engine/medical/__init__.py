"""The reference medical adjudication engine: plain Python, no Django, no database.

``adjudicate(claim, packs, year_to_date)`` settles one claim through basic insurance, critical
illness insurance, medical assistance and any supplementary products; ``batch`` settles files.
"""

from jingban.engine.medical.batch import (
    BatchResult,
    Outcome,
    PackSetError,
    Refusal,
    settle_claims,
)
from jingban.engine.medical.cascade import Adjudication, ClaimRejected, adjudicate
from jingban.engine.medical.claim import Claim, ClaimInvalid, YearToDate
from jingban.engine.medical.explain import LAYER_LABELS, LAYERS, Line, Texts

__all__ = [
    "LAYERS",
    "LAYER_LABELS",
    "Adjudication",
    "BatchResult",
    "Claim",
    "ClaimInvalid",
    "ClaimRejected",
    "Line",
    "Outcome",
    "PackSetError",
    "Refusal",
    "Texts",
    "YearToDate",
    "adjudicate",
    "settle_claims",
]

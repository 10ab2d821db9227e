"""Acts on the action log itself: recording that a viewer was shown personal data from it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from jingban.core.actionlog import log_action
from jingban.core.models import User


@transaction.atomic
def record_personal_data_shown(entry_ids: Sequence[int], *, acting_user: User) -> None:
    """Log that ``acting_user`` was shown the decrypted personal data of these action-log rows.

    Unmasked personal data is only shown to a viewer with the reveal capability, and each such
    view is logged, on the action log's pages as on a person's page. Ids only: this row must not
    itself hold what it records was shown.
    """
    log_action(
        acting_user=acting_user,
        action="core.action_log.personal_data_shown",
        object_type="core.action_log",
        region_path=acting_user.region.path if acting_user.region_id else "",  # type: ignore[union-attr]
        after={"entries": list(entry_ids)},
    )

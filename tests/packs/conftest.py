"""Pack texts for the tests of stored policy pack versions: the shipped sample resident pack at
another version, with figures changed, or broken on purpose.

The demo world records every shipped version: ``sample-resident-2025`` @1 (layout 1) and @2 (the
same figures in the layout of schema 2), so a new version here is @3 or above. The texts are
made from @2, so a comparison with the previous approved version shows only what changed."""

from __future__ import annotations

import pytest

from jingban.core.models import User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.engine.policy import SHIPPED_DIR
from jingban.packs.services import bump_version_line
from tests.personas import Personas

PACK_ID = "sample-resident-2025"
SHIPPED_VERSION = 2  # the latest shipped version of PACK_ID
SHIPPED_TEXT = (SHIPPED_DIR / f"{PACK_ID}.v{SHIPPED_VERSION}.yaml").read_text(encoding="utf-8")
SHIPPED_V1_TEXT = (SHIPPED_DIR / f"{PACK_ID}.yaml").read_text(encoding="utf-8")
# The annual cap of outpatient pooling: 150 yuan in the shipped pack.
OUTPATIENT_CAP = ("    amount: 150\n", "    amount: 180\n")


def pack_text(version: int, *changes: tuple[str, str]) -> str:
    """The latest shipped sample pack at ``version``, with each (old, new) text replaced once."""
    text = bump_version_line(SHIPPED_TEXT, version)
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, start: str) -> int:
    """The number (1-based) of the first line that begins with ``start``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.fixture
def admin2(personas: Personas) -> User:
    """A second administrator: an admin may approve another admin's draft."""
    return create_account(
        username="admin2", password="admin2-pass-1", role=Role.ADMIN, acting_user=None
    )

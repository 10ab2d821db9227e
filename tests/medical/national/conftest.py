from __future__ import annotations

import pytest

from tests.medical.national.helpers import Hospital, hospital


@pytest.fixture
def sz_hospital(personas) -> Hospital:
    """Staff of 苏州市示例第一人民医院 (SZ-HOSP-1, level 3, region 320505)."""
    return hospital("SZ-HOSP-1", "his_sz")


@pytest.fixture
def nj_hospital(personas) -> Hospital:
    """Staff of 南京市示例医院 (NJ-HOSP-1)."""
    return hospital("NJ-HOSP-1", "his_nj")

"""Where a filing goes: a province, a city or a county by its six-digit administrative code
(行政区划代码, the interface's admdvs), and what it covers.

The regions table holds only the demo's places; a destination anywhere in the country is named
by its province (the code's first two digits) when the table does not know it."""

from __future__ import annotations

import re

from jingban.core.models import Region

# The provinces of the mainland (GB/T 2260), where the national platform settles across regions.
PROVINCES = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
}

_CODE = re.compile(r"^\d{6}$")


def is_code(code: str) -> bool:
    """A six-digit code of a mainland province, city or county."""
    return bool(_CODE.match(code)) and code[:2] in PROVINCES


def covered_prefix(destination: str) -> str:
    """The prefix a treatment place's code has when ``destination`` covers it: a province
    (320000) covers its two digits, a city (320100) its four, a county all six."""
    if destination.endswith("0000"):
        return destination[:2]
    if destination.endswith("00"):
        return destination[:4]
    return destination


def covers(destination: str, treatment_area: str) -> bool:
    return treatment_area.startswith(covered_prefix(destination))


def name_of(code: str) -> str:
    """The place's name: the regions table's, else its province's with the code."""
    known = Region.objects.filter(code=code).values_list("name", flat=True).first()
    if known:
        return str(known)
    province = PROVINCES.get(code[:2], "")
    if code.endswith("0000"):
        return province
    return f"{province}（{code}）" if province else code

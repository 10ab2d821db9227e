"""Calling the hospital interface in tests: hospital accounts of the demo world's hospitals,
their bearer tokens, and envelopes."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.test import Client

from jingban.core.models import Organisation, Region, User
from jingban.core.roles import Role
from jingban.core.services import accounts

URL = "/" + settings.HOSPITAL_INTERFACE_PATH
_sequence = itertools.count(1)


@dataclass
class Hospital:
    """A hospital staff account with a token, and a client that speaks the envelope."""

    user: User
    token: str
    code: str

    def envelope(self, infno: str, payload: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "infno": infno,
            "msgid": msgid(self.code),
            "mdtrtarea_admvs": "320505",
            "insuplc_admdvs": "320500",
            "recer_sys_code": "HIS",
            "dev_no": "",
            "dev_safe_info": "",
            "cainfo": "",
            "signtype": "",
            "infver": "V1.0",
            "opter_type": "1",
            "opter": "0001",
            "opter_name": "收费员",
            "inf_time": "2026-03-02 09:00:00",
            "fixmedins_code": self.code,
            "fixmedins_name": "",
            "sign_no": "",
            "input": payload,
        }
        body.update(overrides)
        return body

    def post(
        self, body: Any, *, client: Client | None = None, decimals: bool = False, **headers: str
    ) -> dict[str, Any]:
        """Send ``body`` (an envelope, or raw bytes); the answer, its amounts as floats or, with
        ``decimals``, as they were written (``Decimal("12.30")``)."""
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        response = (client or Client()).post(
            URL,
            raw,
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}", **headers},
        )
        assert response.status_code == 200, response.content
        answer: dict[str, Any] = json.loads(
            response.content, parse_float=Decimal if decimals else float
        )
        return answer

    def call(self, infno: str, payload: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        return self.post(self.envelope(infno, payload, **overrides))


def msgid(code: str) -> str:
    """institution code + yyyyMMddHHmmss + a sequence, as hospital systems make them."""
    return f"{code.replace('-', '')}20260302090000{next(_sequence):04d}"


def hospital(code: str, username: str) -> Hospital:
    organisation = Organisation.objects.get(code=code)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = accounts.create_account(
            username=username,
            password="hospital-test-pass",
            role=Role.INSTITUTION_STAFF,
            display_name=f"{organisation.name}收费处",
            region=Region.objects.get(pk=organisation.region_id),
            organisation=organisation,
            schemes=[],
            acting_user=None,
        )
    token = accounts.issue_api_token(user, name="his", acting_user=None)
    return Hospital(user=user, token=token, code=code)

"""The endpoint: authentication (bearer token, gateway signature), the envelope's checks, the
institution, unknown transactions, 9001 sign-in and the message log (the same msgid answers
the first answer and does nothing twice)."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from jingban.core.services.accounts import issue_api_token
from jingban.medical.national.auth import issue_credential, secret_for, sign
from jingban.medical.national.models import GatewayCredential, InterfaceMessage, SignIn
from tests.medical.national.helpers import URL, Hospital

SIGN_IN = {"signIn": {"opter_no": "0001", "mac": "00-16-EA-AE-3C-40", "ip": "10.0.0.8"}}


def _refused(answer: dict, fragment: str) -> None:
    assert answer["infcode"] < 0, answer
    assert fragment in answer["err_msg"], answer["err_msg"]
    assert answer["output"] == {}


def test_sign_in_answers_a_sign_no(sz_hospital: Hospital) -> None:
    answer = sz_hospital.call("9001", SIGN_IN)
    assert answer["infcode"] == 0, answer
    sign_no = answer["output"]["signinoutb"]["sign_no"]
    assert SignIn.objects.get(sign_no=sign_no).opter_no == "0001"
    assert answer["err_msg"] is None
    assert len(answer["refmsg_time"]) == 17 and len(answer["respond_time"]) == 17


def test_without_credentials_nothing_is_done(sz_hospital: Hospital) -> None:
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    answer = json.loads(Client().post(URL, body, content_type="application/json").content)
    _refused(answer, "需要身份认证")
    bad = json.loads(
        Client()
        .post(URL, body, content_type="application/json", headers={"Authorization": "Bearer nope"})
        .content
    )
    _refused(bad, "访问令牌无效或已过期")
    assert not SignIn.objects.exists()


def test_an_account_that_is_not_hospital_staff_is_refused(personas, sz_hospital: Hospital) -> None:
    wang = Hospital(
        user=personas.user("wang"),
        token=issue_api_token(personas.user("wang"), name="x", acting_user=None),
        code="SZ-HOSP-1",
    )
    _refused(wang.call("9001", SIGN_IN), "此账号不能使用医院接口")


def test_wrong_fixmedins_code(sz_hospital: Hospital) -> None:
    answer = sz_hospital.call("9001", SIGN_IN, fixmedins_code="NJ-HOSP-1")
    _refused(answer, "fixmedins_code NJ-HOSP-1 不是本账号所属的定点机构")
    assert answer["infcode"] == -2
    assert not SignIn.objects.exists()


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"infno": None}, "字段 infno：必填"),
        ({"infno": "9999"}, "本接口不支持交易 9999"),
        ({"msgid": None}, "字段 msgid：必填"),
        ({"input": "x"}, "字段 input：必须是JSON对象"),
        ({"input": {}}, "字段 input.signIn：必填"),
        ({"input": {"signIn": {"mac": "x"}}}, "字段 opter_no：必填"),
    ],
)
def test_envelope_problems_are_business_errors(
    sz_hospital: Hospital, change: dict, fragment: str
) -> None:
    answer = sz_hospital.post({**sz_hospital.envelope("9001", SIGN_IN), **change})
    _refused(answer, fragment)
    assert answer["infcode"] == -2
    assert not SignIn.objects.exists()


def test_a_body_that_is_not_json(sz_hospital: Hospital) -> None:
    _refused(sz_hospital.post(b"{infno: 9001"), "请求报文不是有效的JSON")
    _refused(sz_hospital.post([1, 2]), "字段 infno：请求报文必须是JSON对象")


def test_only_post(sz_hospital: Hospital) -> None:
    response = Client().get(URL)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json() == {"infcode": -1, "err_msg": "本接口只接受 POST 请求。"}


def test_the_same_msgid_returns_the_first_answer_and_does_nothing_twice(
    sz_hospital: Hospital,
) -> None:
    body = sz_hospital.envelope("9001", SIGN_IN)
    first = sz_hospital.post(body)
    again = sz_hospital.post(body)
    assert again == first
    assert SignIn.objects.count() == 1
    message = InterfaceMessage.objects.get(msgid=body["msgid"])
    assert message.infno == "9001" and message.infcode == 0
    assert "sign_no" not in message.answer  # stored encrypted
    # the same msgid for another transaction is refused, and changes nothing
    other = sz_hospital.post({**body, "infno": "2202", "input": {"data": {}}})
    _refused(other, "已用于交易 9001")
    assert SignIn.objects.count() == 1


def test_a_business_error_is_the_answer_to_that_msgid_too(sz_hospital: Hospital) -> None:
    body = sz_hospital.envelope("9001", {"signIn": {}})
    first = sz_hospital.post(body)
    assert first["infcode"] == -2
    assert sz_hospital.post({**body, "input": SIGN_IN}) == first
    assert not SignIn.objects.exists()


def test_msgids_are_per_institution(sz_hospital: Hospital, nj_hospital: Hospital) -> None:
    body = sz_hospital.envelope("9001", SIGN_IN)
    assert sz_hospital.post(body)["infcode"] == 0
    assert nj_hospital.post({**body, "fixmedins_code": "NJ-HOSP-1"})["infcode"] == 0
    assert SignIn.objects.count() == 2


# The gateway signature ----------------------------------------------------------------------


def _signed(hospital: Hospital, secret: str, paasid: str, body: bytes, **change: str) -> dict:
    timestamp = change.pop("timestamp", str(int(time.time())))
    nonce = change.pop("nonce", "n0nce-" + str(time.monotonic_ns()))
    headers = {
        "x-tif-paasid": paasid,
        "x-tif-timestamp": timestamp,
        "x-tif-nonce": nonce,
        "x-tif-signature": change.pop("signature", sign(secret, timestamp, nonce, body)),
    }
    response = Client().post(URL, body, content_type="application/json", headers=headers)
    return json.loads(response.content)


def test_gateway_signature(sz_hospital: Hospital) -> None:
    paasid, secret = issue_credential(sz_hospital.user, acting_user=None)
    assert secret == secret_for(paasid, 1)
    assert (
        not GatewayCredential.objects.filter(paasid=paasid)
        .values("paasid")
        .filter(paasid=secret)
        .exists()
    )
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    assert _signed(sz_hospital, secret, paasid, body)["infcode"] == 0


def test_bad_signatures_are_refused(sz_hospital: Hospital) -> None:
    paasid, secret = issue_credential(sz_hospital.user, acting_user=None)
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    _refused(_signed(sz_hospital, "not-the-secret", paasid, body), "网关签名无效")
    _refused(_signed(sz_hospital, secret, "unknown-paasid", body), "网关签名无效")
    tampered = body.replace(b"0001", b"0002")
    ts = str(int(time.time()))
    _refused(
        _signed(
            sz_hospital,
            secret,
            paasid,
            tampered,
            timestamp=ts,
            nonce="abcdefgh1",
            signature=sign(secret, ts, "abcdefgh1", body),
        ),
        "网关签名无效",
    )
    _refused(
        _signed(sz_hospital, secret, paasid, body, timestamp=str(int(time.time()) - 3600)),
        "时间戳超出允许的时间范围",
    )
    _refused(_signed(sz_hospital, secret, paasid, body, nonce="x"), "网关签名请求头不完整")
    assert not SignIn.objects.exists()


def test_a_replayed_signed_request_is_refused(sz_hospital: Hospital) -> None:
    paasid, secret = issue_credential(sz_hospital.user, acting_user=None)
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    ts = str(int(time.time()))
    assert (
        _signed(sz_hospital, secret, paasid, body, timestamp=ts, nonce="replay-1")["infcode"] == 0
    )
    _refused(_signed(sz_hospital, secret, paasid, body, timestamp=ts, nonce="replay-1"), "重放")
    assert SignIn.objects.count() == 1


def test_a_renewed_secret_replaces_the_old_one(sz_hospital: Hospital) -> None:
    paasid, old = issue_credential(sz_hospital.user, acting_user=None)
    same, new = issue_credential(sz_hospital.user, acting_user=None)
    assert same == paasid and new != old
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    _refused(_signed(sz_hospital, old, paasid, body), "网关签名无效")
    assert _signed(sz_hospital, new, paasid, body)["infcode"] == 0


def test_a_browser_session_is_not_enough(personas, sz_hospital: Hospital) -> None:
    """A signed-in session (even of the hospital's own staff) is no credential here, and the
    endpoint needs no CSRF token: it is for hospital systems, not browsers."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(sz_hospital.user)
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    answer = json.loads(client.post(URL, body, content_type="application/json").content)
    _refused(answer, "需要身份认证")
    with_token = client.post(
        URL,
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {sz_hospital.token}"},
    )
    assert with_token.status_code == 200 and json.loads(with_token.content)["infcode"] == 0


def test_revoked_and_expired_tokens_are_refused(sz_hospital: Hospital) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from jingban.core.models import ApiToken
    from jingban.core.services.accounts import token_digest

    token = ApiToken.objects.get(digest=token_digest(sz_hospital.token))
    assert sz_hospital.call("9001", SIGN_IN)["infcode"] == 0
    token.refresh_from_db()
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    _refused(sz_hospital.call("9001", SIGN_IN), "访问令牌无效或已过期")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    _refused(sz_hospital.call("9001", SIGN_IN), "访问令牌无效或已过期")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=None)
    sz_hospital.user.is_active = False
    sz_hospital.user.save(update_fields=["is_active"])
    _refused(sz_hospital.call("9001", SIGN_IN), "访问令牌无效或已过期")
    assert SignIn.objects.count() == 1


def test_the_gateway_command_issues_and_revokes(sz_hospital: Hospital) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("gateway", sz_hospital.user.username, stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    paasid, secret = lines["x-tif-paasid"], lines["secret"]
    body = json.dumps(sz_hospital.envelope("9001", SIGN_IN)).encode()
    assert _signed(sz_hospital, secret, paasid, body)["infcode"] == 0
    call_command("gateway", sz_hospital.user.username, "--revoke", stdout=StringIO())
    _refused(_signed(sz_hospital, secret, paasid, body), "网关签名无效")
    with pytest.raises(CommandError):
        call_command("gateway", sz_hospital.user.username, "--revoke", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("gateway", "wang", stdout=StringIO())  # not hospital staff


def test_a_body_too_large_is_refused_in_the_envelope(sz_hospital: Hospital, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = sz_hospital.envelope("9001", {**SIGN_IN, "padding": "x" * 2000})
    _refused(sz_hospital.post(body), "请求报文过大")
    assert not SignIn.objects.exists()

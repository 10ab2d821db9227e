"""Sign-in throttling (growing delays, no lockout), the client address behind proxies, and the
sign-in events in the action log."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, RequestFactory
from django.urls import reverse

from jingban.core import network
from jingban.core.models import ActionLog
from jingban.core.signin import (
    ACCOUNT_CAP,
    ADDRESS_CAP,
    BASE_DELAY,
    FREE_FAILURES,
    delay_after,
    username_key,
)
from tests.personas import Personas

LOGIN = "/login/"


def _try(client: Client, username: str, password: str, address: str = "198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _age_failures(seconds: int) -> None:
    """Move every recorded failure ``seconds`` into the past (instead of sleeping)."""
    for failure in AccessFailureLog.objects.all():
        AccessFailureLog.objects.filter(pk=failure.pk).update(
            attempt_time=failure.attempt_time - dt.timedelta(seconds=seconds)
        )


def test_the_sixth_wrong_password_in_a_minute_from_one_address_is_delayed_and_logged(
    personas: Personas,
) -> None:
    client = Client()
    for _ in range(FREE_FAILURES):
        response = _try(client, "wang", "wrong-password")
        assert response.status_code == 200  # the form again, with its error
    sixth = _try(client, "wang", "wrong-password")
    assert sixth.status_code == 429
    assert int(sixth["Retry-After"]) == BASE_DELAY
    assert "登录失败次数过多，请 5 秒后再试。" in sixth.content.decode()

    failed = ActionLog.objects.filter(action="core.signin.failed")
    assert failed.count() == FREE_FAILURES
    assert {row.object_id for row in failed} == {str(personas.user("wang").pk)}
    throttled = ActionLog.objects.get(action="core.signin.throttled")
    assert throttled.after["address"] == "198.51.100.7"
    assert throttled.after["wait_seconds"] == BASE_DELAY
    assert throttled.after["by"] == "address"
    # The attempted user name and the password are nowhere in clear.
    for row in ActionLog.objects.filter(action__startswith="core.signin"):
        assert "wrong-password" not in str(row.after) and "wang" not in str(row.after)
    assert not AccessFailureLog.objects.filter(username="wang").exists()
    assert all("wrong-password" not in a.post_data for a in AccessAttempt.objects.all())


def test_while_delayed_even_the_right_password_waits_and_waiting_lets_the_owner_in(
    personas: Personas,
) -> None:
    client = Client()
    for _ in range(FREE_FAILURES):
        _try(client, "wang", "wrong-password")
    refused = _try(client, "wang", personas.world.passwords["wang"])
    assert refused.status_code == 429
    # A refused attempt is not a failure: it does not make the wait longer.
    assert AccessFailureLog.objects.count() == FREE_FAILURES
    _age_failures(BASE_DELAY + 1)
    password = personas.world.passwords["wang"]
    signed_in = _try(client, "wang", password)
    assert signed_in.status_code == 302
    assert ActionLog.objects.filter(action="core.signin.succeeded").count() == 1


def test_delays_grow_with_each_failure_up_to_a_cap() -> None:
    assert [delay_after(n, ADDRESS_CAP) for n in range(FREE_FAILURES)] == [0] * FREE_FAILURES
    grown = [delay_after(FREE_FAILURES + k, ADDRESS_CAP) for k in range(9)]
    assert grown == [5, 10, 20, 40, 80, 160, 320, 640, 900]
    assert delay_after(10_000, ACCOUNT_CAP) == ACCOUNT_CAP == 60


def test_the_next_failure_after_a_delay_waits_twice_as_long(personas: Personas) -> None:
    client = Client()
    for _ in range(FREE_FAILURES):
        _try(client, "sun", "nope-nope")
    _age_failures(BASE_DELAY + 1)
    assert _try(client, "sun", "nope-nope").status_code == 200  # the 6th failure, counted
    again = _try(client, "sun", "nope-nope")
    assert again.status_code == 429
    assert int(again["Retry-After"]) == 2 * BASE_DELAY


def test_guessing_from_many_addresses_slows_the_account_briefly_but_not_at_its_own_desk(
    personas: Personas,
) -> None:
    desk = "203.0.113.10"
    password = personas.world.passwords["li"]
    assert _try(Client(), "li", password, desk).status_code == 302  # li's usual address
    for n in range(FREE_FAILURES):
        _try(Client(), "li", "guess", f"192.0.2.{n + 1}")
    elsewhere = _try(Client(), "li", password, "192.0.2.200")
    assert elsewhere.status_code == 429
    assert int(elsewhere["Retry-After"]) <= ACCOUNT_CAP
    assert ActionLog.objects.get(action="core.signin.throttled").after["by"] == "account"
    assert _try(Client(), "li", password, desk).status_code == 302


def test_unknown_user_names_are_throttled_and_kept_only_as_a_digest(db) -> None:
    client = Client()
    for _ in range(FREE_FAILURES):
        _try(client, "MyPassw0rd!", "x")
    assert _try(client, "MyPassw0rd!", "x").status_code == 429
    rows = ActionLog.objects.filter(action__startswith="core.signin")
    assert {row.object_id for row in rows} == {""}
    assert all(row.after["username_key"] == username_key("MyPassw0rd!") for row in rows)
    assert "MyPassw0rd" not in str([row.after for row in rows])


def test_sign_out_is_logged(personas: Personas) -> None:
    client = personas.client("zhao")
    response = client.post(reverse("core:logout"), REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    row = ActionLog.objects.get(action="core.signout")
    assert row.actor == personas.user("zhao") and row.after == {"address": "198.51.100.9"}


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ([], "198.51.100.1", "1.2.3.4", "198.51.100.1"),  # no proxy trusted: the peer
        (["10.0.0.0/8"], "198.51.100.1", "1.2.3.4", "198.51.100.1"),  # peer is not a proxy
        (["10.0.0.0/8"], "10.0.0.5", "1.2.3.4", "1.2.3.4"),
        (["10.0.0.0/8"], "10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),  # forged left
        (["10.0.0.0/8"], "10.0.0.5", "", "10.0.0.5"),
        (["10.0.0.0/8"], "10.0.0.5", "not-an-address", "10.0.0.5"),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8::2, 2400:cb00::1", "2400:cb00::1"),
    ],
)
def test_the_client_address_believes_only_trusted_proxies(
    settings, trusted: list[str], peer: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXIES = trusted
    network.trusted_networks.cache_clear()
    try:
        request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
        assert network.client_address(request) == expected
    finally:
        network.trusted_networks.cache_clear()


def test_throttling_counts_the_forwarded_client_behind_a_trusted_proxy(
    personas: Personas, settings
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    network.trusted_networks.cache_clear()
    try:
        for _ in range(FREE_FAILURES):
            Client().post(
                LOGIN,
                {"username": "sun", "password": "bad"},
                REMOTE_ADDR="10.0.0.5",
                HTTP_X_FORWARDED_FOR="198.51.100.77",
            )
        other = Client().post(
            LOGIN,
            {"username": "zhao", "password": "bad"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.78",
        )
        assert other.status_code == 200  # another client behind the same proxy is not slowed
        assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {
            "198.51.100.77",
            "198.51.100.78",
        }
    finally:
        network.trusted_networks.cache_clear()

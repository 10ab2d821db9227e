"""The hospital interface's route in the authorization matrix. It is not a page: it answers
every caller HTTP 200 with the envelope, and refuses (``infcode`` −2) whoever does not bring a
hospital account's bearer token or gateway signature — a signed-in browser session included
(``test_endpoint.py::test_a_browser_session_is_not_enough``). The medical app's matrix
(``tests/medical/matrix.py``) adds these routes to its own."""

from __future__ import annotations

from tests.authz import EVERYONE, Route

PAGES = {"national:call_service": Route(EVERYONE, method="post", ok=200)}

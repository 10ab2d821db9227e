"""The hospital interface's route in the authorization matrix. It is no page: it takes only
POST (a GET answers 405 to everyone, signed in or not, and the page walks skip it), and a POST is
answered HTTP 200 with the envelope, refusing (``infcode`` −2) whoever does not bring a hospital
account's bearer token or gateway signature — a signed-in browser session included. Who may do
what through it is tested in ``test_endpoint.py`` (credentials, capability, institution) and in
the transaction tests (scoping of 5203 and the rest). The medical app's matrix
(``tests/medical/matrix.py``) adds these routes to its own."""

from __future__ import annotations

from tests.authz import EVERYONE, Route

PAGES = {"national:call_service": Route(EVERYONE, ok=405)}

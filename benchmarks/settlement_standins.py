"""Stand-ins for the other parts' contracts (coverage, catalogue, filing) inside the server
under test, for ``benchmarks/settlement_load.py --stand-ins`` on a branch where those parts are
not merged yet: installed through ``JINGBAN_EXTRA_APPS=settlement_standins.StandinsConfig``, it
puts the test suite's fakes (``tests/medical/fakes.py``) into ``jingban.medical.ports``. The
figures are then the interface's, the settlement service's and the engine's, without the real
coverage, classification and filing lookups."""

from __future__ import annotations

from django.apps import AppConfig


class StandinsConfig(AppConfig):
    name = "settlement_standins"
    label = "settlement_standins"

    def ready(self) -> None:
        from tests.medical.fakes import FakePorts

        from jingban.medical import ports

        fake = FakePorts()
        for name in (
            "coverage",
            "year_use",
            "fee_line",
            "classify",
            "require_registration",
            "cross_region",
        ):
            setattr(ports, name, getattr(fake, name))

"""The medical tests' fixtures (the demo hospital, its account, the fakes of the other parts)."""

from tests.medical.conftest import fake_ports, hospital, renmin

__all__ = ["fake_ports", "hospital", "renmin"]

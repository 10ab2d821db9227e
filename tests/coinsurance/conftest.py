from tests.coinsurance.helpers import provider

__all__ = ["provider"]

"""The demo world: see ``world`` (the accounts, organisations and persons) and ``apps``."""

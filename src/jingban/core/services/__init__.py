"""Core state changes. Every function takes ``acting_user``, runs in one transaction and writes the
action log. Split by concept: reference data, accounts, calendar."""

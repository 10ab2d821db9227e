"""Serving the web app from the `jingban serve` and `jingban demo` commands."""

from __future__ import annotations

from django.core.management import call_command


def serve(host: str, port: int) -> None:
    """Django's server in one process without auto-reload, so the command that started the
    embedded database is the one that stops it."""
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)

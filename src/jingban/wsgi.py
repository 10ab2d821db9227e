"""WSGI entry point (`jingban serve` runs it under Granian; any WSGI server can)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingban.settings")

# What every response says in `Server:`. A WSGI server adds its own name (and Django's
# development server its version and Python's) unless the application sends one; naming the
# product and version only helps someone match the host against a list of known flaws.
SERVER_HEADER = "jingban"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def neutral_server_header(app: WSGIApp) -> WSGIApp:
    """``app`` with its `Server:` header replaced by ``SERVER_HEADER``."""

    def wrapped(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            headers = [(k, v) for k, v in headers if k.lower() != "server"]
            headers.append(("Server", SERVER_HEADER))
            return start_response(status, headers, *exc_info)

        return app(environ, start)

    return wrapped


application = neutral_server_header(get_wsgi_application())

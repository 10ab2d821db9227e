"""What a browser would send for a form of a page: every named input, checked box and selected
option, in document order (the structured pack form's hidden fields carry its structure)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.pairs.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._selected = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.pairs.append((self._select, value))
                self._selected = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._selected and self._first_option is not None:
                self.pairs.append((self._select, self._first_option))
            self._select = None
        if tag == "form":
            self.inside = False


def form_pairs(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.pairs


def as_post(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The pairs as the test client's POST data (a list per name)."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


def replace(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """The pairs with the single value of ``name`` replaced (it must be there once)."""
    assert sum(1 for n, _ in pairs if n == name) == 1, name
    return [(n, value if n == name else v) for n, v in pairs]

"""A named query as one standalone SPARQL text: its parameters' values written into it."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Identifier

__all__ = ["standalone"]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_HEADER = re.compile(r"^\s*#\+.*\n?", re.MULTILINE)


def standalone(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` without its ``#+`` header, with ``bindings`` as a VALUES row at the start of
    its WHERE group, so that it runs as it is in the editor (or any SPARQL endpoint)."""
    body = _HEADER.sub("", text).strip() + "\n"
    if not bindings:
        return body
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    match = _WHERE.search(body)
    if match is None:
        return body
    row = f"\n  VALUES ({names}) {{ ({values}) }}"
    return body[: match.end()] + row + body[match.end() :]

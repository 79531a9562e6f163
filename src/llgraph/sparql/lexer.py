"""SPARQL 1.1's terminals, exactly as the grammar defines them: a query text as tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["LexError", "Token", "expand_codepoints", "tokens"]

# The terminals of the SPARQL 1.1 grammar (section 19.8), written as regular expressions.
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"\\[tbnrf\\\"']"
_PLX = rf"%{_HEX}{_HEX}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (
    rf"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
    rf"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)
_VARNAME = rf"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_EXPONENT = r"[eE][+-]?[0-9]+"

#: Token kinds, tried in this order at each place (the grammar's longest match where
#: two terminals can start alike: long strings before short, numbers before '.').
_TERMINALS = [
    ("ws", r"[ \t\r\n]+"),
    ("comment", r"\#[^\r\n]*"),
    ("iri", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"),
    ("string", rf"'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"),
    ("string", rf'"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'),
    ("string", rf"'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"),
    ("string", rf'"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"'),
    ("var", rf"[?$]{_VARNAME}"),
    ("bnode", rf"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("lang", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
    ("pname", rf"(?P<prefix>{_PN_PREFIX})?:(?P<local>{_PN_LOCAL})?"),
    (
        "number",
        rf"[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}"
        r"|[0-9]*\.[0-9]+|[0-9]+",
    ),
    ("word", r"[A-Za-z][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*/|^!=<>+\-?~]"),
]
_SCANNER = re.compile(
    "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_TERMINALS))
)
_KINDS = {f"{kind}{i}": kind for i, (kind, _) in enumerate(_TERMINALS)}
_CODEPOINT = re.compile(rf"\\u({_HEX}{{4}})|\\U({_HEX}{{8}})")


@dataclass(frozen=True, slots=True)
class Token:
    """One terminal: its kind (``word``, ``iri``, ``pname``, ...), text and offset.

    For a ``pname``, ``prefix`` is the part before the colon (``""`` for ``:x``).
    """

    kind: str
    text: str
    start: int
    prefix: str = ""


class LexError(ValueError):
    """A character no SPARQL terminal can start with (``offset`` into the text)."""

    def __init__(self, text: str, offset: int) -> None:
        shown = text[offset : offset + 12]
        super().__init__(f"no SPARQL token starts at {shown!r}")
        self.offset = offset


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` without white space and comments; :class:`LexError` at the
    first character that starts no terminal (an engine refuses such a text too)."""
    end = 0
    for match in _SCANNER.finditer(text):
        if match.start() != end:
            raise LexError(text, end)
        end = match.end()
        kind = _KINDS[match.lastgroup or ""]
        if kind in ("ws", "comment"):
            continue
        prefix = (match.group("prefix") or "") if kind == "pname" else ""
        yield Token(kind, match.group(), match.start(), prefix)
    if end != len(text):
        raise LexError(text, end)


def expand_codepoints(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced, as SPARQL 1.1
    (section 19.2) says an engine does before parsing (rdflib does; Oxigraph only in
    strings and IRIs)."""

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match[0]

    return _CODEPOINT.sub(char, text)

"""Content negotiation: the one reader of HTTP Accept and Accept-Encoding headers (RFC 9110).

Every answer that depends on ``Accept`` (the SPARQL endpoint's formats, the REST
representations, linked data, HTML pages for browsers) chooses through this module.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["accept_ranges", "accepts_gzip", "preferred", "prefers_html", "quality"]

#: Media types of HTML pages.
HTML_TYPES = ("text/html", "application/xhtml+xml")


def accept_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values, in header order.

    A q-value that is not a number counts as 0 (not acceptable).
    """
    ranges = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media.lower(), q))
    return ranges


def _match(media: str, ranges: list[tuple[str, float]]) -> tuple[float, int, int]:
    """The (q-value, specificity, -position) of the most specific range matching ``media``.

    Specificity: 2 for the type itself, 1 for ``type/*``, 0 for ``*/*``; q is -1 when no
    range matches. Of equally specific ranges the first in the header counts.
    """
    best = (-1.0, -1, 0)
    major = media.split("/")[0]
    for i, (accepted, q) in enumerate(ranges):
        rank = 2 if accepted == media else 1 if accepted == f"{major}/*" else 0
        if (rank or accepted == "*/*") and rank > best[1]:
            best = (q, rank, -i)
    return best


def quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value the most specific matching range gives ``media`` (-1: no match)."""
    return _match(media, ranges)[0]


def preferred(accept: str, offered: Mapping[str, str], default: str) -> str:
    """The key of ``offered`` (key → media type) that ``accept`` prefers, else ``default``.

    The highest q-value wins; on a tie the more specific range, then the one listed first
    in the header, then ``default``, then the order of ``offered``. ``*/*`` and ``type/*``
    match; nothing acceptable (or no header) gives ``default``.
    """
    ranges = accept_ranges(accept)
    scored = [
        (*_match(media, ranges), key == default, -i, key)
        for i, (key, media) in enumerate(offered.items())
    ]
    acceptable = [s for s in scored if s[0] > 0]
    return max(acceptable)[-1] if acceptable else default


def prefers_html(accept: str) -> bool:
    """Whether ``accept`` prefers HTML: ``text/html`` listed with a q-value no other listed
    type (wildcards aside) beats. Browsers send that; curl, httpx and SPARQL clients do not."""
    ranges = accept_ranges(accept)
    html = max((q for media, q in ranges if media in HTML_TYPES), default=0.0)
    others = (q for media, q in ranges if media not in HTML_TYPES and "*" not in media)
    return html > 0 and html >= max(others, default=0.0)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3): ``gzip`` or
    ``x-gzip`` with a q-value above 0, else ``*`` with one; ``gzip;q=0`` refuses it."""
    codings = dict(accept_ranges(accept_encoding))
    for name in ("gzip", "x-gzip"):
        if name in codings:
            return codings[name] > 0
    return codings.get("*", 0.0) > 0

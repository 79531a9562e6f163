"""A SPARQL server's cap on answer sizes: found by asking for a known number of rows."""

from __future__ import annotations

import logging
from collections.abc import Callable

from llgraph.errors import LLGraphError, ResultTooLarge

__all__ = ["MIN_PROBE", "RowCap", "cut_message", "probe_query"]

log = logging.getLogger(__name__)

#: The fewest rows a probe asks for (a few kilobytes of CSV).
MIN_PROBE = 1000

#: A probe: asked for ``n`` rows, the rows that came and the cap the server declared (if any).
Probe = Callable[[int], tuple[int, int | None]]


def cut_message(size: int, cap: int, unit: str = "rows") -> str:
    """What to tell a user whose answer of ``size`` rows (or triples) met a cap of ``cap``."""
    return (
        f"the SPARQL server's answer ({size:,} {unit}) reached its result size "
        f"limit ({cap:,}), so it may be cut: raise that limit on the server (Virtuoso: "
        "ResultSetMaxRows in the [SPARQL] section of virtuoso.ini), or narrow the query"
    )


def probe_query(rows: int) -> str:
    """A SELECT of exactly ``rows`` rows that reads no data: a cross product of digits."""
    digits = 1
    while 10**digits < rows:
        digits += 1
    values = " ".join(f"VALUES ?d{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(digits))
    return f"SELECT ?d0 WHERE {{ {values} }} LIMIT {rows}"


class RowCap:
    """What is known of one server's cap on the rows of a SELECT or triples of a CONSTRUCT.

    Servers may cut a long answer at a configured size, some without a word (Virtuoso's
    ``ResultSetMaxRows`` cuts a CONSTRUCT silently, a SELECT with only an
    ``X-SPARQL-MaxRows`` header). An answer of ``n`` rows or triples is trusted once the
    server delivered more than ``n`` rows of a probe (:func:`probe_query`); each probe
    asks for at least twice the last, so all probes cost at most twice the largest answer.
    """

    def __init__(self) -> None:
        self.cap: int | None = None
        self.uncut = 0
        self._probe_failed = False

    def declared(self, cap: int) -> None:
        """The server said it cut an answer at ``cap`` rows (e.g. ``X-SPARQL-MaxRows``)."""
        self.cap = cap if self.cap is None else min(self.cap, cap)

    def check(self, size: int, probe: Probe, unit: str = "rows") -> None:
        """Raise :class:`ResultTooLarge` when an answer of ``size`` ``unit`` may have been cut."""
        if size < self.uncut or self._probe_failed:
            return
        if self.cap is None:
            asked = max(size + 1, 2 * self.uncut, MIN_PROBE)
            try:
                came, declared = probe(asked)
            except LLGraphError as exc:  # an odd server: answer, but say it is unchecked
                self._probe_failed = True
                log.warning("cannot check the server's result size limit: %s", exc)
                return
            if declared is None and came >= asked:
                self.uncut = asked
                return
            self.declared(min(came, declared if declared is not None else came))
        assert self.cap is not None
        if size >= self.cap:
            raise ResultTooLarge(cut_message(size, self.cap, unit))

"""AppState: the typed state of the web app (settings, store, named queries, query pool, caches)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from llgraph.centrality import CentralityResult
from llgraph.config import Settings
from llgraph.queries import NamedQuery, load_catalogue
from llgraph.sparql import QueryPool
from llgraph.store import Store

__all__ = ["AppState", "NetworkKey"]

#: A scored projection's key in the network cache: data version, projection, level.
NetworkKey = tuple[str, str, str]


@dataclass
class AppState:
    """What the routes of one app share; ``create_app`` builds it from what it is given.

    Two members are made on first use, under this state's own lock: the query pool (its
    workers are forked from the process that serves, after ``llgraph serve`` forked its
    HTTP workers) and, when the app was given none, the named-query catalogue.
    """

    settings: Settings
    store: Store
    given_catalogue: Mapping[str, NamedQuery] | None = None
    #: Scored projections of ``web/routes/network.py``, least recently computed first.
    network_cache: OrderedDict[NetworkKey, CentralityResult] = field(default_factory=OrderedDict)
    query_pool: QueryPool | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def catalogue(self) -> Mapping[str, NamedQuery]:
        """The named queries: those the app was given, else read from settings.queries_dir."""
        with self._lock:
            if self.given_catalogue is None:
                self.given_catalogue = load_catalogue(self.settings.queries_dir)
            return self.given_catalogue

    def pool(self) -> QueryPool:
        """The query worker pool, forked now if this process has none yet."""
        with self._lock:
            if self.query_pool is None:
                self.query_pool = QueryPool(
                    self.store,
                    timeout=self.settings.query_timeout,
                    limit=self.settings.result_limit,
                    max_workers=self.settings.query_workers,
                    per_client=self.settings.client_queries,
                )
            return self.query_pool

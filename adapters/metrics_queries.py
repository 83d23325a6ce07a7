"""climaguru_queries{type,state}: the stored weather queries by type and state, at scrape time.

Read from the database (one GROUP BY, cached for `ttl` seconds) rather than counted by each
worker: the database is what every worker and every instance share, a query's state changes
after it is counted (pendiente -> completada) and retention deletes old ones, and nothing in
the use cases has to know about metrics. The number is the same whichever instance answers,
so aggregate it across instances with max(), not sum().
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from prometheus_client.core import GaugeMetricFamily, Metric

from domain.model.queries import QueryStatus, QueryType

log = logging.getLogger("climaguru.metrics")

NAME = "climaguru_queries"
HELP = "Consultas guardadas en la base de datos, por tipo y estado"

# A callable returning (tipo_consulta, estado, count) rows: the wire codes of the database.
CountQueries = Callable[[], Iterable[tuple[str, str, int]]]


class StoredQueriesCollector:
    """A prometheus_client collector over `count`; a failing database yields no samples."""

    def __init__(
        self, count: CountQueries, ttl: float = 15.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._count, self._ttl, self._clock = count, ttl, clock
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._counts: dict[tuple[str, str], int] | None = None

    def describe(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(NAME, HELP, labels=["type", "state"])  # no database at register

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(NAME, HELP, labels=["type", "state"])
        counts = self._current()
        if counts is not None:
            for (kind, state), n in sorted(counts.items()):
                family.add_metric([kind, state], n)
        yield family

    def _current(self) -> dict[tuple[str, str], int] | None:
        with self._lock:  # one database read per ttl, however many scrapes arrive
            now = self._clock()
            if self._read_at is None or now - self._read_at >= self._ttl:
                self._counts, self._read_at = self._read(), now
            return self._counts

    def _read(self) -> dict[tuple[str, str], int] | None:
        counts = {(t.value, s.value): 0 for t in QueryType for s in QueryStatus}
        try:
            for kind, state, n in self._count():
                counts[(str(kind), str(state))] = int(n)
        except Exception as exc:  # a scrape must still answer while the database is down
            log.warning(
                "metricas_consultas_no_disponibles", extra={"fields": {"error": type(exc).__name__}}
            )
            return None
        return counts

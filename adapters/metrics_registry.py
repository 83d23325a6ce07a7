"""The Prometheus metric objects of one app, and their exposition (text or OpenMetrics).

Imported only by the composition root and the HTTP adapter, after gunicorn has set
PROMETHEUS_MULTIPROC_DIR: prometheus_client chooses multiprocess mode when it is imported.
"""

from __future__ import annotations

import prometheus_client
from prometheus_client import CollectorRegistry, Counter, Histogram, values
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)
PROVIDER_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)


class Metrics:
    """The metric objects of one app and how to expose them."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        prometheus_client.disable_created_metrics()  # the same series with or without workers
        self.registry = r = registry or CollectorRegistry()
        self._scraped: list[Collector] = []  # read at scrape time, not from the workers' files
        self.requests = Counter(
            "climaguru_http_requests", "Peticiones HTTP respondidas, por plantilla de ruta",
            ["route", "method", "status"], registry=r,
        )  # fmt: skip
        self.request_seconds = Histogram(
            "climaguru_http_request_duration_seconds", "Duración de las peticiones HTTP",
            ["route", "method"], buckets=REQUEST_BUCKETS, registry=r,
        )  # fmt: skip
        self.provider_calls = Counter(
            "climaguru_provider_calls", "Llamadas a proveedores, por resultado (ok o motivo)",
            ["provider", "outcome"], registry=r,
        )  # fmt: skip
        self.provider_seconds = Histogram(
            "climaguru_provider_call_duration_seconds", "Duración de las llamadas a proveedores",
            ["provider"], buckets=PROVIDER_BUCKETS, registry=r,
        )  # fmt: skip
        self.cache_lookups = Counter(
            "climaguru_provider_cache_lookups", "Consultas a la caché de proveedores (hit/miss)",
            ["provider", "result"], registry=r,
        )  # fmt: skip
        self.quota_units = Counter(
            "climaguru_quota_units_spent", "Unidades de cuota de claves de usuario gastadas",
            ["provider"], registry=r,
        )  # fmt: skip
        self.database_unavailable = Counter(
            "climaguru_database_unavailable_responses",
            "Respuestas 503 base_de_datos_no_disponible", registry=r,
        )  # fmt: skip

    def add_scraped(self, collector: Collector) -> None:
        """A collector that computes its samples at scrape time (e.g. from the database)."""
        self.registry.register(collector)
        self._scraped.append(collector)

    def render(self, accept: str | None) -> tuple[bytes, str]:
        """The exposition (text or OpenMetrics, as `accept` asks) and its content type."""
        encoder, content_type = choose_encoder(accept or "")
        if not multiprocess():
            return encoder(self.registry), content_type
        registry = CollectorRegistry()  # per scrape, as prometheus_client documents
        MultiProcessCollector(registry)
        for collector in self._scraped:
            registry.register(collector)
        return encoder(registry), content_type


def multiprocess() -> bool:
    """Whether prometheus_client writes values to PROMETHEUS_MULTIPROC_DIR (chosen at import)."""
    return bool(getattr(values.ValueClass, "_multiprocess", False))

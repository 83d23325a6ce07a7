"""Reading a /metrics answer in tests: samples keyed by name and labels."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    """Every sample of a text exposition, {(name, sorted label pairs): value}."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def series(samples: Samples, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every sample of one name, {sorted label pairs: value}."""
    return {labels: v for (n, labels), v in samples.items() if n == name}


def requests_by(samples: Samples) -> dict[tuple[str, str, str], float]:
    """climaguru_http_requests_total as {(route, method, status): count}."""
    found = {}
    for labels, v in series(samples, "climaguru_http_requests_total").items():
        d = dict(labels)
        found[(d["route"], d["method"], d["status"])] = v
    return found


def label_values(samples: Samples) -> set[str]:
    return {v for (_, labels), _ in samples.items() for _, v in labels}


def label_names(samples: Samples) -> set[str]:
    return {k for (_, labels), _ in samples.items() for k, _ in labels}

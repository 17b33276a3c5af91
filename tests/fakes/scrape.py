"""Reading numbers back out of a Prometheus text exposition."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(exposition: bytes | str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample, keyed by (sample name, its labels)."""
    text = exposition.decode() if isinstance(exposition, bytes) else exposition
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(exposition: bytes | str, name: str, **labels: str) -> float:
    """One sample's value; 0 when it is absent (a counter not yet incremented)."""
    return samples(exposition).get((name, frozenset(labels.items())), 0.0)

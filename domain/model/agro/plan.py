"""Which variables a series query shows, combines and asks providers for, farm variables included.

- shown: the asked variables a step can have (an hourly step has no day's ET0, degree days or
  frost risk: those go to the daily summary);
- combined: shown, plus what an hourly daily summary reads (temperature, humidity, wind, dew
  point, ITH), combined per step and dropped from the steps afterwards;
- fetched: combined, plus the inputs of every derived variable, asked of the providers and
  dropped from their readings once derived (domain.model.agro.derive).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
from attrs import frozen

from domain.model.agro.daily_summary import SUMMARY_INPUTS
from domain.model.agro.derive import fetch_variables
from domain.model.queries import SeriesPoint
from domain.model.variables import DAILY_ONLY_NAMES

# Asking for any of these in an hourly series brings its daily summary (resumen_diario).
SUMMARY_TRIGGERS = frozenset({"ith", "ith_ajustado", "et0", "grados_dia", "riesgo_helada"})


@frozen
class SeriesPlan:
    """What a series query shows per step, combines per step and fetches."""

    shown: tuple[str, ...]
    combined: tuple[str, ...]
    fetched: tuple[str, ...]
    daily_summary: bool


def plan_series(variables: Sequence[str], hourly: bool, alerts: bool = False) -> SeriesPlan:
    """The plan for the asked variables at a granularity (daily: everything per step).

    `alerts` (forecasts): whatever was asked, also combine what the alerts read: the ITH and,
    daily, the frost risk; hourly, the daily summary's inputs (frost comes from the farm day).
    """
    if not hourly:
        extra = ("ith", "riesgo_helada") if alerts else ()
        combined = tuple(dict.fromkeys(tuple(variables) + extra))
        return SeriesPlan(tuple(variables), combined, fetch_variables(combined), False)
    shown = tuple(v for v in variables if v not in DAILY_ONLY_NAMES)
    summary = any(v in SUMMARY_TRIGGERS for v in variables)
    combined = tuple(dict.fromkeys(shown + (SUMMARY_INPUTS if summary or alerts else ())))
    return SeriesPlan(shown, combined, fetch_variables(combined), summary)


def consensus_values(points: Sequence[SeriesPoint]) -> dict:
    """instant -> variable -> consensus value: what a daily summary reads."""
    return {p.instant: {n: v.value for n, v in p.consensus.items()} for p in points}


def shown_only(points: Sequence[SeriesPoint], shown: Sequence[str]) -> list[SeriesPoint]:
    """The points without the variables combined only for the daily summary."""
    keep = set(shown)
    if all(set(p.consensus) <= keep for p in points):
        return list(points)
    return [
        attrs.evolve(
            p,
            consensus=_only(p.consensus, keep),
            by_provider={s: _only(v, keep) for s, v in p.by_provider.items()},
            origins=_only(p.origins, keep),
        )
        for p in points
    ]


def _only(values: Mapping, keep: set[str]) -> dict:
    return {k: v for k, v in values.items() if k in keep}

"""Pieces every forecast adapter shares: the days asked, the horizon, the model's provenance.

One policy for all of them:
- a forecast covers local days from today (in the requested zone, by the adapter's clock),
  today included; `days` < 1 is ERROR "rango_invalido"; more days than the provider serves
  are cut at its horizon (the domain lists the rest as `fuera_de_horizonte`), never refused;
- a granularity the provider has no horizon for is ERROR "no_soportado", before any call;
- a cache hit reuses the answer built from the same stored response for the same inputs
  (`parsed`: the key names every input of the parse; each caller gets its own copy);
- every value carries provenance {"tipo": "modelo", "modelo": ..., "emitido_en": ...}, the
  last two only when the provider states them; `meta["horizonte"]` declares the horizon.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from attrs import frozen

from adapters.providers import toolkit
from adapters.providers.parsed_answers import Parse
from domain.model.consensus import Reason
from domain.model.horizon import Horizon
from domain.model.readings import Capabilities, DataKind, Granularity, ProviderAnswer, Reading
from ports.providers import ProviderUnavailable


@frozen
class Window:
    """The local dates a forecast call asks for: first (today) .. last, `days` of them."""

    zone: tzinfo
    first: date
    last: date
    days: int

    def holds(self, instant: datetime) -> bool:
        return self.first <= instant.astimezone(self.zone).date() <= self.last


def horizon_of(capabilities: Capabilities, granularity: Granularity) -> Horizon:
    """The declared horizon of one granularity; none: ERROR no_soportado (no network)."""
    hourly = granularity is Granularity.HOURLY
    found = capabilities.forecast_hourly if hourly else capabilities.forecast_daily
    if found is None:
        raise ProviderUnavailable(Reason.ERROR, toolkit.NOT_SUPPORTED)
    return found


def window(now: datetime, timezone: str, days: int, max_days: int) -> Window:
    """Today .. today + min(days, max_days) - 1 in `timezone` (unknown zone: ERROR)."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ProviderUnavailable(Reason.ERROR, "rango_invalido")
    zone = toolkit.zone(timezone)
    today = now.astimezone(zone).date()
    asked = min(days, max_days)
    return Window(zone, today, today + timedelta(days=asked - 1), asked)


def provenance(
    values: Mapping[str, float | None], model: str | None, issued: str | None
) -> dict[str, dict[str, object]]:
    """Per variable with a value: a model's value, with its name and issue time when known."""
    info: dict[str, object] = {"tipo": DataKind.MODEL.value}
    if model:
        info["modelo"] = model
    if issued:
        info["emitido_en"] = issued
    # One origin for all of a reading's values (they share it): never changed in place, and a
    # consensus step freezes it once per reading rather than once per variable.
    return {name: info for name, value in values.items() if value is not None}


def reading(
    instant: datetime, values: Mapping[str, float | None], model: str | None, issued: str | None
) -> Reading:
    return Reading(instant, dict(values), provenance(values, model, issued))


def horizon_meta(capabilities: Capabilities) -> dict[str, Any]:
    """The declared horizons as stored provenance: {"horaria": {"cantidad", "unidad"}, ...}."""
    out: dict[str, Any] = {}
    for name, horizon in (
        (Granularity.HOURLY.value, capabilities.forecast_hourly),
        (Granularity.DAILY.value, capabilities.forecast_daily),
    ):
        if horizon is not None:
            out[name] = {"cantidad": horizon.amount, "unidad": horizon.unit.value}
    return out


def sorted_unique(readings: Iterable[Reading]) -> tuple[Reading, ...]:
    """Readings in time order, one per instant (the first one given wins)."""
    found: dict[datetime, Reading] = {}
    for item in readings:
        found.setdefault(item.instant, item)
    return tuple(found[k] for k in sorted(found))


def parsed(key: Hashable, build: Callable[..., ProviderAnswer]) -> Parse:
    """A forecast's parse for ProviderHttp: `key` names every input `build` reads but the body
    (today's window, granularity, variables, the call's parameters, provider and capabilities)."""
    return Parse(key, build, handed_out)


def items(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Request parameters as part of a key."""
    return tuple(sorted((k, str(v)) for k, v in params.items()))


def handed_out(answer: ProviderAnswer) -> ProviderAnswer:
    """A kept answer for one caller: its own readings' mappings and meta (origins shared by
    several values stay shared within the copy), so no request changes another's."""
    origins: dict[int, dict[str, object]] = {}

    def origin(info: Mapping[str, object]) -> dict[str, object]:
        found = origins.get(id(info))
        if found is None:
            found = origins[id(info)] = dict(info)
        return found

    readings = tuple(
        Reading(
            r.instant,
            dict(r.values),
            {name: origin(info) for name, info in r.provenance.items()},
            dict(r.missing_reasons),
        )
        for r in answer.readings
    )
    return ProviderAnswer(answer.provider, answer.kind, readings, _copied(answer.meta))


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value

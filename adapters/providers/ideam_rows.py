"""IDEAM observation rows: strict parsing, one sensor per station, bucketing.

- Every SODA value is a string, parsed strictly: only a plain decimal literal is a number; "",
  "NaN", "1_000", "n/a" make the row unusable (skipped), never 0.
- `fechaobservacion` is a floating Colombian wall time ("2026-04-05T23:59:00.000"): read as
  America/Bogota (UTC-5, no DST), it becomes an aware datetime.
- Units: the row's `unidadmedida` when it has one ("hPA", "GN" are known), else the dataset's
  documented unit; an unknown unit makes the row unusable, never guessed.
- Re-published rows (same station, sensor and time) are dropped (the first is kept); a station
  reporting through two sensors (0240 and 0257 GPRS) gives the first documented one's rows.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from attrs import frozen

from adapters.providers import toolkit
from domain.model import units
from domain.model.consensus import circular_mean

BOGOTA = ZoneInfo("America/Bogota")
ALIASES = {"avg": "media", "min": "minimo", "max": "maximo", "sum": "suma"}  # SoQL columns
_CODE = re.compile(r"\d{1,10}")


def parse_floating(raw: Any) -> datetime | None:
    """A floating Bogotá wall time -> aware datetime (an explicit offset, if any, is kept)."""
    try:
        moment = datetime.fromisoformat(raw.strip()) if isinstance(raw, str) else None
    except ValueError:
        return None
    return moment.replace(tzinfo=BOGOTA) if moment and moment.tzinfo is None else moment


def floating(moment: datetime) -> str:
    """An aware instant as the floating Bogotá literal SoQL compares `fechaobservacion` with."""
    return moment.astimezone(BOGOTA).strftime("%Y-%m-%dT%H:%M:%S")


def station_code(raw: Any) -> str | None:
    """The 10-digit zero-padded code that joins the catalogue (8 digits) and the data tables."""
    code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    return code.zfill(10) if _CODE.fullmatch(code) else None


@frozen
class Dataset:
    """One SODA dataset: documented sensors (preferred first), unit, SoQL history aggregates."""

    id: str
    sensors: tuple[str, ...]
    unit: str
    aggregates: tuple[str, ...]  # () = raw rows, combined here


@frozen
class Obs:
    """One row (raw, or a server aggregate) in canonical units; `at` is aware."""

    station: str
    sensor: str
    at: datetime
    stats: Mapping[str, float]  # avg, min, max, sum, vector (raw rows only), n (row count)


Series = dict[str, list[Obs]]  # station code -> the rows of its one sensor


def _canonical(value: float | None, declared: Any, ds: Dataset) -> float | None:
    unit = declared.strip() if isinstance(declared, str) and declared.strip() else ds.unit
    target = units.canonical_unit(ds.unit)
    if value is None or not units.is_known_unit(unit) or units.canonical_unit(unit) != target:
        return None
    return units.convert(value, unit, target)


def parse_raw(row: Mapping[str, Any], ds: Dataset) -> Obs | None:
    """An observation row; None when its station, time, number or unit is unusable."""
    code, at = station_code(row.get("codigoestacion")), parse_floating(row.get("fechaobservacion"))
    value = _canonical(
        toolkit.number(row.get("valorobservado"), text=True), row.get("unidadmedida"), ds
    )
    if code is None or at is None or value is None:
        return None
    stats = dict.fromkeys(("avg", "min", "max", "sum", "vector"), value) | {"n": 1.0}
    return Obs(code, str(row.get("codigosensor") or ""), at, stats)


def parse_aggregate(row: Mapping[str, Any], ds: Dataset) -> Obs | None:
    """A server-aggregated row (`periodo`, media/minimo/maximo/suma, n)."""
    code, at = station_code(row.get("codigoestacion")), parse_floating(row.get("periodo"))
    stats = {
        fn: value
        for fn in ds.aggregates
        if (
            value := _canonical(
                toolkit.number(row.get(ALIASES[fn]), text=True), row.get("unidadmedida"), ds
            )
        )
        is not None
    }
    if code is None or at is None or not stats:
        return None
    count = toolkit.number(row.get("n"), text=True)
    stats["n"] = count if count is not None and count >= 1 else 1.0
    return Obs(code, str(row.get("codigosensor") or ""), at, stats)


def series(rows: Iterable[Obs], ds: Dataset) -> Series:
    """Rows by station without re-published duplicates, from one sensor per station."""
    seen: set[tuple[str, str, datetime]] = set()
    by_sensor: dict[str, dict[str, list[Obs]]] = defaultdict(lambda: defaultdict(list))
    for obs in rows:
        if (key := (obs.station, obs.sensor, obs.at)) not in seen:
            seen.add(key)
            by_sensor[obs.station][obs.sensor].append(obs)

    def rank(sensor: str) -> tuple[int, str]:
        known = sensor in ds.sensors
        return (ds.sensors.index(sensor) if known else len(ds.sensors), sensor)

    return {code: sensors[min(sensors, key=rank)] for code, sensors in by_sensor.items()}


def bucketed(
    rows: Iterable[Obs], bucket: Callable[[datetime], datetime], circular: bool
) -> dict[datetime, dict[str, float]]:
    """Rows grouped by `bucket(at)`: sums added, means weighted by n, extremes kept; for a
    direction the mean of unit vectors (absent when they cancel out)."""
    groups: dict[datetime, list[Obs]] = defaultdict(list)
    for obs in rows:
        groups[bucket(obs.at)].append(obs)
    return {key: _combine(group, circular) for key, group in groups.items()}


def _combine(group: list[Obs], circular: bool) -> dict[str, float]:
    if len(group) == 1 and not circular:
        return dict(group[0].stats)
    n = math.fsum(o.stats["n"] for o in group)
    if circular:
        angle = circular_mean(o.stats["vector"] for o in group if "vector" in o.stats)
        return {"n": n} if angle is None else {"n": n, "vector": angle}
    out = {"n": n}
    if all("sum" in o.stats for o in group):
        out["sum"] = math.fsum(o.stats["sum"] for o in group)
    if all("avg" in o.stats for o in group):
        out["avg"] = math.fsum(o.stats["avg"] * o.stats["n"] for o in group) / n
    for key, pick in (("min", min), ("max", max)):
        if all(key in o.stats for o in group):
            out[key] = pick(o.stats[key] for o in group)
    return out

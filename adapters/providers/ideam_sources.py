"""IDEAM's datasets, which one holds each variable, and how a station's statistic becomes a value.

Pressure is station pressure: only stations with a known elevation h qualify; it is reduced to
sea level (hypsometric): p0 = p·(1 − 0.0065·h/(T + 0.0065·h + 273.15))^−5.257, T the same
station's temperature (°C) then, else the standard atmosphere's 15 − 0.0065·h.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any

from adapters.log_context import submit_in_context
from adapters.providers.call_log import extend_call_log, start_call_log, take_call_log
from adapters.providers.http_client import redact
from adapters.providers.ideam_catalog import Nearby
from adapters.providers.ideam_rows import ALIASES, Dataset, Obs, Series, series
from domain.model.consensus import Reason
from ports.providers import ProviderUnavailable

TEMPERATURE_MATCH = timedelta(minutes=30)  # a current pressure uses a temperature this close
COLUMNS = "codigoestacion,codigosensor,fechaobservacion,valorobservado,unidadmedida"
PRESSURE_METHOD = "p0 = p·(1 − 0.0065·h/(T + 0.0065·h + 273.15))^−5.257"

TEMPERATURE = Dataset("sbwg-7ju4", ("0068", "0071"), "°C", ("avg", "min", "max"))
HUMIDITY = Dataset("uext-mhny", (), "%", ("avg",))
PRESSURE = Dataset("62tk-nxj5", ("0255", "0258"), "hPa", ("avg",))
WIND_SPEED = Dataset("sgfv-3yp8", ("0103",), "m/s", ("avg",))
WIND_DIRECTION = Dataset("kiw7-v9ta", ("0104",), "GN", ())  # raw rows, vector mean here
PRECIPITATION = Dataset("s54a-sgyg", ("0240", "0257"), "mm", ("sum",))
SOURCES: Mapping[str, tuple[Dataset, str]] = {  # variable -> (dataset, statistic)
    "temperatura": (TEMPERATURE, "avg"),
    "temperatura_min": (TEMPERATURE, "min"),
    "temperatura_max": (TEMPERATURE, "max"),
    "humedad_relativa": (HUMIDITY, "avg"),
    "presion_atmosferica": (PRESSURE, "avg"),
    "velocidad_viento": (WIND_SPEED, "avg"),
    "direccion_viento": (WIND_DIRECTION, "vector"),
    "precipitacion": (PRECIPITATION, "sum"),
}
CURRENT_VARIABLES = tuple(v for v in SOURCES if v not in ("temperatura_min", "temperatura_max"))
_Buckets = dict[datetime, dict[str, float]]
Fetched = tuple[dict[str, Series], dict[str, ProviderUnavailable], dict[str, Any]]


def sea_level_pressure(p_hpa: float, elevation_m: float, temperature_c: float | None) -> float:
    """Hypsometric reduction of station pressure to sea level (module docstring)."""
    t = 15.0 - 0.0065 * elevation_m if temperature_c is None else temperature_c
    return p_hpa * (1 - 0.0065 * elevation_m / (t + 0.0065 * elevation_m + 273.15)) ** -5.257


def qualified(variable: str, nearby: list[Nearby]) -> list[Nearby]:
    """Pressure needs the station's elevation to be reduced; other variables take any station."""
    if variable != "presion_atmosferica":
        return nearby
    return [n for n in nearby if n.station.elevation_m is not None]


def temperature_near(temps: Series, near: Nearby, at: datetime) -> float | None:
    """The station's temperature observed closest to `at`, within TEMPERATURE_MATCH."""
    rows = [o for o in temps.get(near.station.code, ()) if abs(o.at - at) <= TEMPERATURE_MATCH]
    return min(rows, key=lambda o: abs(o.at - at)).stats["avg"] if rows else None


def choose(
    variable: str,
    buckets: Mapping[str, Mapping[str, _Buckets]],
    nearby: list[Nearby],
    temps: Mapping[str, _Buckets],
    start: date,
    end: date,
) -> tuple[Nearby, dict[datetime, tuple[float, dict[str, object]]]] | None:
    """The nearest station with any value in [start, end], and its values per bucket."""
    by_station = buckets.get(SOURCES[variable][0].id, {})
    for near in qualified(variable, nearby):
        points = {}
        for key, stats in by_station.get(near.station.code, {}).items():
            t = temps.get(near.station.code, {}).get(key, {}).get("avg")
            value, extra = value_of(variable, stats, near, t)
            if value is not None and start <= key.date() <= end:
                points[key] = (value, extra)
        if points:
            return near, points
    return None


def value_of(
    variable: str, stats: Mapping[str, float], near: Nearby, temperature_c: float | None
) -> tuple[float | None, dict[str, object]]:
    """The variable's statistic; pressure reduced to sea level with the station's temperature."""
    value = stats.get(SOURCES[variable][1])
    h = near.station.elevation_m
    if variable != "presion_atmosferica" or value is None or h is None:
        return value, {}
    extra = {"altitud_estacion_m": h, "presion_estacion_hpa": value}
    extra["temperatura_reduccion_c"] = temperature_c
    return sea_level_pressure(value, h, temperature_c), extra


def failure_reasons(
    wanted: Sequence[str], failed: Mapping[str, ProviderUnavailable]
) -> dict[str, str]:
    return {v: failed[ds.id].reason.value for v in wanted if (ds := SOURCES[v][0]).id in failed}


def history_params(ds: Dataset, where: str, trunc: str) -> Callable[[int, int], dict[str, Any]]:
    """Raw rows for wind direction; otherwise deduplicate, then aggregate, on the server."""
    if not ds.aggregates:
        order = "fechaobservacion,codigoestacion,codigosensor,:id"
        return lambda limit, offset: {
            "$select": COLUMNS, "$where": where, "$order": order, "$limit": limit, "$offset": offset
        }  # fmt: skip
    keys = "codigoestacion, codigosensor, unidadmedida"
    stats = ", ".join(f"{fn}(valor) AS {ALIASES[fn]}" for fn in ds.aggregates)
    query = (
        f"SELECT {keys}, fechaobservacion, max(valorobservado::number) AS valor WHERE {where} "
        f"GROUP BY {keys}, fechaobservacion |> SELECT {keys}, {trunc}(fechaobservacion) AS periodo,"
        f" {stats}, count(*) AS n GROUP BY {keys}, periodo ORDER BY {keys}, periodo"
    )
    return lambda limit, offset: {"$query": f"{query} LIMIT {limit} OFFSET {offset}"}


def fetch_all(
    names: Sequence[str],
    fetch: Callable[[Dataset], tuple[dict[str, Any], list[Obs]]],
) -> Fetched:
    """Rows of each needed dataset (temperature too when pressure is to be reduced)."""
    datasets = {SOURCES[v][0].id: SOURCES[v][0] for v in names}
    if "presion_atmosferica" in names:
        datasets.setdefault(TEMPERATURE.id, TEMPERATURE)
    found: dict[str, Series] = {}
    failed: dict[str, ProviderUnavailable] = {}
    queries: dict[str, Any] = {}

    def one(ds: Dataset) -> tuple[Any, ProviderUnavailable | None, list[bool]]:
        start_call_log()  # cache use of this dataset's requests, handed to the caller
        try:
            return fetch(ds), None, take_call_log()
        except ProviderUnavailable as exc:
            return None, exc, take_call_log()

    # The datasets are independent: ask them all at once, so a call costs about one
    # request's latency (not six) and a silent upstream costs one timeout, not six.
    with ThreadPoolExecutor(len(datasets), thread_name_prefix="ideam") as pool:
        futures = [submit_in_context(pool, one, ds) for ds in datasets.values()]  # request id
        results = list(zip(datasets.values(), [f.result() for f in futures], strict=True))
    for ds, (fetched, error, cached) in results:
        extend_call_log(cached)
        if error is not None:
            if error.reason is Reason.CLAVE_INVALIDA:
                raise error
            failed[ds.id] = error
            continue
        params, rows = fetched
        found[ds.id], queries[ds.id] = series(rows, ds), redact(params)
    if all(SOURCES[v][0].id in failed for v in names):
        raise next(iter(failed.values()))
    return found, failed, queries

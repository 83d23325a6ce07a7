"""Meteoblue package sections (`data_1h`, `data_day`) as rows in canonical units.

Units: those the response declares in `units` win; an unknown one ("2char") gives None. Times:
unix s or ms per `units.time`, or local "YYYY-MM-DD hh:mm". Daily stamps are not local midnight
(Minsk sample: 03:00Z = 06:00 local): a day is the date of the nearest local midnight.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from adapters.providers import toolkit
from domain.model import units, weather_codes
from domain.model.variables import VARIABLES


def rows_of(body, section, fields, names, where, *, daily):
    """(instant, or local date when daily; values) per timestep, in canonical units."""
    data, declared = body[section], body.get("units") or {}
    time_unit = str(declared.get("time", ""))
    where = where or _offset(body.get("metadata") or {})
    columns: dict[str, list[float | None]] = {}
    for name, field, unit_key, asked in fields:
        if name in names and isinstance(data.get(field), list):
            unit = str(declared.get(unit_key, asked)) if unit_key else asked
            known = units.is_known_unit(unit)
            target = VARIABLES[name].unit
            columns[name] = [_convert(v, unit, target) if known else None for v in data[field]]
    if "descripcion_clima" in names and isinstance(data.get("pictocode"), list):
        to_wmo = (  # daily pictocodes are 1-17, hourly ones 1-35
            weather_codes.from_meteoblue_daily_pictocode
            if daily
            else weather_codes.from_meteoblue_pictocode
        )
        columns["descripcion_clima"] = [toolkit.weather_code(p, to_wmo) for p in data["pictocode"]]
    rows = []
    for i, raw in enumerate(data["time"]):
        when = day_of(raw, time_unit, where) if daily else instant_of(raw, time_unit, where)
        if when is not None:
            rows.append((when, {n: col[i] if i < len(col) else None for n, col in columns.items()}))
    return rows


def instant_of(raw: Any, time_unit: str, where: tzinfo) -> datetime | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        unit = time_unit.lower()
        millis = "milli" in unit or ("second" not in unit and raw > 1e11)
        return datetime.fromtimestamp(raw / 1000 if millis else raw, UTC)
    if isinstance(raw, str):
        try:
            parsed = datetime.fromisoformat(raw.strip())
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=where)
    return None


def day_of(raw: Any, time_unit: str, where: tzinfo) -> date | None:
    if isinstance(raw, str):
        instant = instant_of(raw, time_unit, where)
        return instant.date() if instant else None  # the local date as labelled
    instant = instant_of(raw, time_unit, where)
    return (instant.astimezone(where) + timedelta(hours=12)).date() if instant else None


def _convert(value: Any, unit: str, target: str) -> float | None:
    found = toolkit.number(value)
    return None if found is None else units.convert(found, unit, target)


def _offset(metadata: Mapping[str, Any]) -> tzinfo:
    hours = toolkit.number(metadata.get("utc_timeoffset"))
    if hours is not None and abs(hours) < 24:
        return timezone(timedelta(hours=hours))
    return UTC

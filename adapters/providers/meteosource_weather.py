"""Meteosource items: fields and units (metric), times, and weather texts / icons as WMO codes.

PROVIDERS.md does not describe the icon numbers, so the `weather` / `icon` text decides; the icon
number (Meteosource's list 1-36; the samples confirm 2-7, 10-13, 28-30) is the fallback.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from adapters.providers import toolkit
from adapters.providers.http_client import redact
from domain.model import units
from domain.model.consensus import Reason
from domain.model.variables import VARIABLES
from ports.providers import ProviderUnavailable

# `weather` text -> WMO. "possible" counts as light; a rain-snow mix as light snow (as in
# weather_codes' Meteoblue table); hail as a thunderstorm with hail (it comes from convection).
_WMO_BY_TEXT = {
    text: code
    for code, texts in (
        (0, "sunny clear"), (1, "mostly_sunny mostly_clear"), (2, "partly_sunny partly_clear"),
        (3, "mostly_cloudy cloudy overcast overcast_with_low_clouds overcast_w_low_clds"),
        (45, "fog"), (61, "light_rain psbl_rain possible_rain"), (63, "rain"), (80, "rain_shower"),
        (95, "tstorm thunderstorm tstorm_shower local_thunderstorms"),
        (71, "light_snow psbl_snow possible_snow rain_and_snow psbl_rain_and_snow"),
        (71, "possible_rain_and_snow"), (73, "snow"), (85, "snow_shower"),
        (66, "psbl_fr_rain possible_freezing_rain"), (67, "freezing_rain fr_rain"), (96, "hail"),
    )
    for text in texts.split()
}  # fmt: skip
_ICONS = (  # icon number -> `weather` text; night icons (26-36) share the day's meaning
    "", "not_available", "sunny", "mostly_sunny", "partly_sunny", "mostly_cloudy", "cloudy",
    "overcast", "overcast_with_low_clouds", "fog", "light_rain", "rain", "possible_rain",
    "rain_shower", "thunderstorm", "local_thunderstorms", "light_snow", "snow", "possible_snow",
    "snow_shower", "rain_and_snow", "possible_rain_and_snow", "rain_and_snow", "freezing_rain",
    "possible_freezing_rain", "hail", "clear", "mostly_clear", "partly_clear", "mostly_cloudy",
    "cloudy", "overcast_with_low_clouds", "rain_shower", "local_thunderstorms", "snow_shower",
    "rain_and_snow", "possible_freezing_rain",
)  # fmt: skip


def weather_code_of(item: dict[str, Any]) -> float | None:
    """The WMO code of an item: its `weather` / `icon` text, else its icon number."""
    texts = [t for t in (item.get("weather"), item.get("icon")) if isinstance(t, str)]
    numbers = [n for n in (item.get("icon_num"), item.get("icon")) if toolkit.number(n) is not None]
    texts += [_ICONS[int(n)] for n in numbers if float(n).is_integer() and 0 < n < len(_ICONS)]
    for text in texts:
        key = text.strip().lower().replace(" ", "_").replace("-", "_").removesuffix("_night")
        if key in _WMO_BY_TEXT:
            return float(_WMO_BY_TEXT[key])
    return None


# `units=metric` (PROVIDERS.md 4.2): the only system asked for and understood
METRIC = {"temp": "C", "speed": "m/s", "depth": "mm", "hpa": "hPa", "dist": "km"}
METRIC |= {"%": "%", "°": "°", "": "", "irr": "W/m²"}
# (catalogue name, path in an item, quantity); a number where the path nests is taken as is
FIELDS = (
    ("temperatura", ("temperature",), "temp"),
    ("sensacion_termica", ("feels_like",), "temp"),
    ("humedad_relativa", ("humidity",), "%"),
    ("presion_atmosferica", ("pressure",), "hpa"),  # sea level (PROVIDERS.md 7.2)
    ("velocidad_viento", ("wind", "speed"), "speed"),
    ("direccion_viento", ("wind", "angle"), "°"),
    ("rafaga_viento", ("wind", "gusts"), "speed"),
    ("precipitacion", ("precipitation", "total"), "depth"),
    ("nubosidad", ("cloud_cover", "total"), "%"),
    ("visibilidad", ("visibility",), "dist"),
    ("indice_uv", ("uv_index",), ""),
    ("punto_de_rocio", ("dew_point",), "temp"),  # reported: used as is (issue 14)
    ("radiacion_solar", ("irradiance",), "irr"),  # W/m² (PROVIDERS.md 4.2), when present
)
HOURLY_VARIABLES = frozenset(name for name, *_ in FIELDS) | {"descripcion_clima"}


def check_metric(body: dict[str, Any]) -> None:
    if body.get("units", "metric") != "metric":
        raise ProviderUnavailable(Reason.ERROR, "unidades_desconocidas")


def values_of(item: dict[str, Any], names: frozenset[str]) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for name, path, quantity in FIELDS:
        if name in names:
            node: Any = item
            for key in path:
                node = node.get(key) if isinstance(node, dict) else node
            found, target = toolkit.number(node), VARIABLES[name].unit
            values[name] = None if found is None else units.convert(found, METRIC[quantity], target)
    if "descripcion_clima" in names:
        values["descripcion_clima"] = weather_code_of(item)
    return values


def meta_of(path: str, params: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return {
        "endpoint": path,
        "params": redact(params),
        "unidades": body.get("units"),
        "elevacion": body.get("elevation"),
        "coordenadas": [coordinate(body.get("lat")), coordinate(body.get("lon"))],
    }


def coordinate(raw: Any) -> float | None:
    """The response's "51.50853N" / "0.12574W" strings as signed degrees."""
    hemisphere = raw[-1:].upper() if isinstance(raw, str) else ""
    sign = {"N": 1, "E": 1, "S": -1, "W": -1}.get(hemisphere)
    return sign * float(raw[:-1]) if sign and raw[:-1].replace(".", "", 1).isdigit() else None


def time_of(raw: Any, where: tzinfo) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else parsed.replace(tzinfo=where)

"""WMO weather codes (Open-Meteo's subset) in Spanish, their categories, and provider mappings."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from attrs import frozen

from domain.errors import ValidationError


class WeatherCategory(StrEnum):
    """Coarse sky condition used for majority voting, declared from least to most severe."""

    DESPEJADO = "despejado"
    NUBES = "nubes"
    NIEBLA = "niebla"
    LLOVIZNA = "llovizna"
    LLUVIA = "lluvia"
    CHUBASCOS = "chubascos"
    NIEVE = "nieve"
    TORMENTA = "tormenta"

    @property
    def severity(self) -> int:
        """Rank used to break ties: higher is more severe (declaration order)."""
        return list(WeatherCategory).index(self)


@frozen
class WeatherCode:
    """One WMO interpretation code with its Spanish description and category."""

    code: int
    description: str
    category: WeatherCategory


_C = WeatherCategory
WMO_CODES: Mapping[int, WeatherCode] = MappingProxyType(
    {
        code: WeatherCode(code, text, category)
        for code, text, category in (
            (0, "Despejado", _C.DESPEJADO),
            (1, "Mayormente despejado", _C.DESPEJADO),
            (2, "Parcialmente nublado", _C.NUBES),
            (3, "Nublado", _C.NUBES),
            (45, "Niebla", _C.NIEBLA),
            (48, "Niebla con escarcha", _C.NIEBLA),
            (51, "Llovizna ligera", _C.LLOVIZNA),
            (53, "Llovizna moderada", _C.LLOVIZNA),
            (55, "Llovizna densa", _C.LLOVIZNA),
            (56, "Llovizna helada ligera", _C.LLOVIZNA),
            (57, "Llovizna helada densa", _C.LLOVIZNA),
            (61, "Lluvia ligera", _C.LLUVIA),
            (63, "Lluvia moderada", _C.LLUVIA),
            (65, "Lluvia fuerte", _C.LLUVIA),
            (66, "Lluvia helada ligera", _C.LLUVIA),
            (67, "Lluvia helada fuerte", _C.LLUVIA),
            (71, "Nevada ligera", _C.NIEVE),
            (73, "Nevada moderada", _C.NIEVE),
            (75, "Nevada fuerte", _C.NIEVE),
            (77, "Granos de nieve", _C.NIEVE),
            (80, "Chubascos ligeros", _C.CHUBASCOS),
            (81, "Chubascos moderados", _C.CHUBASCOS),
            (82, "Chubascos violentos", _C.CHUBASCOS),
            # Snow showers vote as snow: the snow is what matters to the person reading it.
            (85, "Chubascos de nieve ligeros", _C.NIEVE),
            (86, "Chubascos de nieve fuertes", _C.NIEVE),
            (95, "Tormenta", _C.TORMENTA),
            (96, "Tormenta con granizo ligero", _C.TORMENTA),
            (99, "Tormenta con granizo fuerte", _C.TORMENTA),
        )
    }
)


def is_known(code: object) -> bool:
    """True for an int (or integral float) that is one of the WMO codes above."""
    if code.__class__ is float:  # the usual case (the checks below, without building int | float)
        return code.is_integer() and int(code) in WMO_CODES  # type: ignore[attr-defined]
    if isinstance(code, bool) or not isinstance(code, int | float):
        return False
    return float(code).is_integer() and int(code) in WMO_CODES


def lookup(code: int) -> WeatherCode:
    """The WeatherCode for `code`; ValidationError if it is not one of Open-Meteo's codes."""
    if not is_known(code):
        raise ValidationError(
            f"código de tiempo WMO desconocido: {code!r}",
            details={"descripcion_clima": f"{code!r} no es un código WMO"},
        )
    return WMO_CODES[int(code)]


def describe(code: int) -> str:
    """Spanish text for a WMO code, e.g. 61 -> "Lluvia ligera"."""
    return lookup(code).description


def category_of(code: int) -> WeatherCategory:
    """Voting category for a WMO code, e.g. 81 -> CHUBASCOS."""
    return lookup(code).category


# OpenWeatherMap condition ids (https://openweathermap.org/weather-conditions). All 2xx become 95:
# OWM never reports hail, which is what 96/99 add. Obscurations (smoke, haze, dust, sand, ash)
# have no code in Open-Meteo's subset and fall to fog (45): reduced visibility is what they share.
_OWM: Mapping[int, int] = MappingProxyType(
    {
        300: 51, 301: 53, 302: 55, 310: 51, 311: 53, 312: 55, 313: 80, 314: 81, 321: 80,
        500: 61, 501: 63, 502: 65, 503: 65, 504: 65, 511: 66, 520: 80, 521: 81, 522: 82, 531: 81,
        600: 71, 601: 73, 602: 75, 611: 71, 612: 85, 613: 85, 615: 71, 616: 73,
        620: 85, 621: 85, 622: 86,
        701: 45, 711: 45, 721: 45, 731: 45, 741: 45, 751: 45, 761: 45, 762: 45,
        771: 95, 781: 99,  # squalls come with convective storms; a tornado is the worst we have
        800: 0, 801: 1, 802: 2, 803: 2, 804: 3,
    }
)  # fmt: skip
# Unlisted ids inside a known group fall back to the group's typical code.
_OWM_GROUP: Mapping[int, int] = {2: 95, 3: 53, 5: 63, 6: 73, 7: 45, 8: 3}


def from_openweathermap(condition_id: int) -> int:
    """WMO code for an OpenWeatherMap `weather[].id` (200-804); best effort, see table above."""
    if condition_id in _OWM:
        return _OWM[condition_id]
    if isinstance(condition_id, int) and not isinstance(condition_id, bool):
        fallback = _OWM_GROUP.get(condition_id // 100)
        if fallback is not None:
            return fallback
    raise ValidationError(
        f"condición de OpenWeatherMap desconocida: {condition_id!r}",
        details={"descripcion_clima": f"{condition_id!r} no es un id de OpenWeatherMap"},
    )


# Meteoblue hourly / detailed pictocodes 1-35 (docs.meteoblue.com "pictograms"). Haze (13-15)
# is a clear-sky pictogram, so 1; a rain-snow mix has no code in the subset and counts as light
# snow; thunderstorms without hail are 95 (27-30, including thunder-snow 29).
_PICTO_HOURLY: Mapping[int, int] = MappingProxyType(
    {
        1: 0, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 2, 11: 2, 12: 2,
        13: 1, 14: 1, 15: 1, 16: 45, 17: 45, 18: 45, 19: 3, 20: 3, 21: 3, 22: 3,
        23: 63, 24: 73, 25: 65, 26: 75, 27: 95, 28: 95, 29: 95, 30: 95,
        31: 80, 32: 85, 33: 61, 34: 71, 35: 71,
    }
)  # fmt: skip
# Meteoblue daily pictocodes 1-17 (also `data_current.pictocode`); "occasional" means light.
_PICTO_DAILY: Mapping[int, int] = MappingProxyType(
    {
        1: 0, 2: 1, 3: 2, 4: 3, 5: 45, 6: 63, 7: 80, 8: 95, 9: 73, 10: 85, 11: 71,
        12: 61, 13: 71, 14: 63, 15: 73, 16: 61, 17: 71,
    }
)  # fmt: skip


def _from_pictocode(table: Mapping[int, int], pictocode: int, kind: str) -> int:
    if pictocode in table and not isinstance(pictocode, bool):
        return table[pictocode]
    raise ValidationError(
        f"pictocode {kind} de Meteoblue desconocido: {pictocode!r}",
        details={"descripcion_clima": f"{pictocode!r} no es un pictocode {kind}"},
    )


def from_meteoblue_pictocode(pictocode: int) -> int:
    """WMO code for an hourly `pictocode` or a `pictocode_detailed` (1-35)."""
    return _from_pictocode(_PICTO_HOURLY, pictocode, "horario")


def from_meteoblue_daily_pictocode(pictocode: int) -> int:
    """WMO code for a daily `pictocode` or `data_current.pictocode` (1-17)."""
    return _from_pictocode(_PICTO_DAILY, pictocode, "diario")

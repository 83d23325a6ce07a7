"""Meteosource weather texts and icon numbers as WMO codes.

PROVIDERS.md does not describe the icon numbers, so the `weather` / `icon` text decides; the icon
number (Meteosource's list 1-36; the samples confirm 2-7, 10-13, 28-30) is the fallback.
"""

from __future__ import annotations

from typing import Any

from adapters.providers import toolkit

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

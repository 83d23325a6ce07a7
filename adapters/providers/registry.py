"""Every weather provider registered once: its settings, its constructor, whether it needs a key.

The adapter class gives the name (`name`) and what it can answer (`capabilities`, which may
depend on an option such as Meteosource's tier); its entry here says which origins it talks to
(one ProviderHttp each, passed positionally), which settings become constructor keywords, and
which settings hold the system key. The composition root reads this table and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from attrs import frozen

from adapters.providers.http_client import ProviderHttp
from adapters.providers.ideam import IdeamProvider
from adapters.providers.meteoblue import MeteoblueProvider
from adapters.providers.meteosource import MeteosourceProvider
from adapters.providers.open_meteo import OpenMeteoProvider
from adapters.providers.openweathermap import OpenWeatherMapProvider
from adapters.providers.siata import SiataProvider
from ports.providers import WeatherProvider


@frozen
class Origin:
    """A setting holding an upstream origin (scheme://host[:port]) and the real one."""

    setting: str
    default: str


@frozen
class Option:
    """A setting passed to the constructor as `keyword`. A float default makes it a number
    (0 < x < 600); otherwise it is text, and unset or blank gives the default."""

    setting: str
    keyword: str
    default: float | str | None = None


@frozen
class SystemKey:
    """The settings holding the system key (and secret) used when a user has none."""

    key: str
    secret: str | None = None


@frozen
class ProviderSpec:
    """One provider: adapter class, origins, options and, when it needs one, its system key."""

    adapter: Callable[..., WeatherProvider]
    origins: tuple[Origin, ...]
    options: tuple[Option, ...] = ()
    system_key: SystemKey | None = None

    @property
    def name(self) -> str:
        return str(self.adapter.name)  # type: ignore[attr-defined]

    def build(
        self, http: Callable[[Origin], ProviderHttp], options: Mapping[str, Any]
    ) -> WeatherProvider:
        """The adapter with one ProviderHttp per origin and the parsed options."""
        return self.adapter(*(http(origin) for origin in self.origins), **options)


MAX_AGE = Option("OBSERVATION_MAX_AGE_HOURS", "max_age_hours", 3.0)  # observed providers

PROVIDERS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        OpenMeteoProvider,
        (
            Origin("OPENMETEO_FORECAST_URL", "https://api.open-meteo.com"),
            Origin("OPENMETEO_ARCHIVE_URL", "https://archive-api.open-meteo.com"),
        ),
        # History days before today also asked to the forecast API (ERA5 lags 2-5 days).
        (Option("ARCHIVE_DELAY_DAYS", "archive_delay_days", 5.0),),
    ),
    ProviderSpec(
        OpenWeatherMapProvider,
        (Origin("OPENWEATHER_BASE_URL", "https://api.openweathermap.org"),),
        system_key=SystemKey("OPENWEATHER_API_KEY"),
    ),
    ProviderSpec(
        MeteoblueProvider,
        (Origin("METEOBLUE_BASE_URL", "https://my.meteoblue.com"),),
        system_key=SystemKey("METEOBLUE_API_KEY", "METEOBLUE_API_SECRET"),
    ),
    ProviderSpec(
        MeteosourceProvider,
        (Origin("METEOSOURCE_BASE_URL", "https://www.meteosource.com"),),
        (Option("METEOSOURCE_TIER", "tier", "free"),),
        SystemKey("METEOSOURCE_API_KEY"),
    ),
    ProviderSpec(
        IdeamProvider,
        (Origin("IDEAM_BASE_URL", "https://www.datos.gov.co"),),
        (
            Option("IDEAM_APP_TOKEN", "app_token"),
            Option("IDEAM_RADIUS_KM", "radius_km", 25.0),
            MAX_AGE,
        ),
    ),
    ProviderSpec(
        SiataProvider,
        (Origin("SIATA_BASE_URL", "https://siata.gov.co"),),
        (Option("SIATA_RADIUS_KM", "radius_km", 10.0), MAX_AGE),
    ),
)
# Not a weather provider: city names -> points, for queries that give a city.
GEOCODING = Origin("OPENMETEO_GEOCODING_URL", "https://geocoding-api.open-meteo.com")


def names() -> tuple[str, ...]:
    """The registered providers, in the default order."""
    return tuple(spec.name for spec in PROVIDERS)


def spec_of(name: str) -> ProviderSpec:
    """The entry of one registered provider (KeyError for an unknown name)."""
    return {spec.name: spec for spec in PROVIDERS}[name]


def setting_names() -> tuple[str, ...]:
    """Every setting the table declares (origins, options, system keys), each once."""
    found: dict[str, None] = dict.fromkeys(o.setting for s in PROVIDERS for o in s.origins)
    found[GEOCODING.setting] = None
    found |= dict.fromkeys(o.setting for s in PROVIDERS for o in s.options)
    keys = (s.system_key for s in PROVIDERS if s.system_key is not None)
    found |= dict.fromkeys(name for key in keys for name in (key.key, key.secret) if name)
    return tuple(found)

"""Which registered providers forecast, how far, and the shared forecast rules (forecast_kit)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from adapters.providers import forecast_kit
from climaguru.providers_wiring import build_providers
from climaguru.settings import load_settings
from domain.model.consensus import Reason
from domain.model.horizon import Horizon, HorizonUnit
from domain.model.readings import Capabilities, Granularity
from ports.providers import ProviderUnavailable

DAYS, HOURS = HorizonUnit.DAYS, HorizonUnit.HOURS


def _built(**values: str):
    settings = load_settings(
        {"CLIMAGURU_ENV": "testing", "PROVIDER_CACHE": "none", **values}, env_file=None
    )
    return build_providers(settings.providers)


def test_each_provider_declares_its_forecast_horizon():
    built = _built()
    horizons = {
        name: (p.capabilities.forecast_hourly, p.capabilities.forecast_daily)
        for name, p in built.items()
    }
    assert horizons == {
        "open_meteo": (Horizon(16, DAYS), Horizon(16, DAYS)),
        "openweathermap": (Horizon(48, HOURS), Horizon(8, DAYS)),
        "meteoblue": (Horizon(7, DAYS), Horizon(7, DAYS)),
        "meteosource": (Horizon(24, HOURS), Horizon(7, DAYS)),  # the default free tier
        "ideam": (None, None),  # stations observe; they do not forecast
        "siata": (None, None),
    }
    for name, provider in built.items():
        assert provider.capabilities.forecasts == hasattr(provider, "forecast"), name
        assert ("probabilidad_precipitacion" in provider.capabilities.variables) == (
            provider.capabilities.forecasts
        ), name


def test_the_archive_delay_is_a_setting():
    assert _built()["open_meteo"]._delay.days == 5
    assert _built(ARCHIVE_DELAY_DAYS="3")["open_meteo"]._delay.days == 3


def test_window_counts_local_days_from_today():
    now = datetime(2026, 3, 1, 3, tzinfo=UTC)  # still 28 February in Bogotá
    span = forecast_kit.window(now, "America/Bogota", 20, 16)
    assert (span.first, span.last, span.days) == (date(2026, 2, 28), date(2026, 3, 15), 16)
    assert span.holds(datetime(2026, 3, 15, 23, tzinfo=ZoneInfo("America/Bogota")))
    assert not span.holds(datetime(2026, 3, 16, 5, tzinfo=UTC))


@pytest.mark.parametrize("days", [0, -1, True, 2.5])
def test_window_refuses_what_is_not_a_count_of_days(days):
    with pytest.raises(ProviderUnavailable) as info:
        forecast_kit.window(datetime(2026, 3, 1, tzinfo=UTC), "UTC", days, 16)
    assert (info.value.reason, info.value.code) == (Reason.ERROR, "rango_invalido")


def test_a_granularity_without_horizon_is_not_supported():
    caps = Capabilities(True, False, False, frozenset(), False, forecast_daily=Horizon(7, DAYS))
    assert forecast_kit.horizon_of(caps, Granularity.DAILY) == Horizon(7, DAYS)
    with pytest.raises(ProviderUnavailable) as info:
        forecast_kit.horizon_of(caps, Granularity.HOURLY)
    assert info.value.code == "no_soportado"


def test_provenance_only_for_values_and_only_what_is_stated():
    stated = forecast_kit.provenance({"a": 1.0, "b": None}, "best_match", "2026-03-01T00:00:00Z")
    assert stated == {
        "a": {"tipo": "modelo", "modelo": "best_match", "emitido_en": "2026-03-01T00:00:00Z"}
    }
    assert forecast_kit.provenance({"a": 0.0}, None, None) == {"a": {"tipo": "modelo"}}

"""The provider registry: one entry per provider, and the settings built from it."""

from __future__ import annotations

from adapters.providers import registry
from adapters.providers.http_client import ProviderHttp
from climaguru.provider_settings import DEFAULT_ORIGINS, PROVIDER_NAMES
from climaguru.providers_wiring import build_providers, system_credentials
from climaguru.settings import load_settings


def _settings(**values: str):
    return load_settings({"CLIMAGURU_ENV": "testing", **values}, env_file=None).providers


def test_six_providers_each_registered_once_in_the_default_order():
    assert registry.names() == PROVIDER_NAMES == (
        "open_meteo", "openweathermap", "meteoblue", "meteosource", "ideam", "siata",
    )  # fmt: skip
    settings = registry.setting_names()
    assert len(settings) == len(set(settings))
    assert set(DEFAULT_ORIGINS) <= set(settings)


def test_an_entry_builds_its_adapter_with_one_http_per_origin_and_its_options():
    spec = registry.spec_of("ideam")
    seen = []

    def http(origin: registry.Origin) -> ProviderHttp:
        seen.append(origin.setting)
        return ProviderHttp("ideam", "http://127.0.0.1:9", timeout=1.0)

    provider = spec.build(http, {"radius_km": 7.0, "max_age_hours": 2.0})
    assert seen == ["IDEAM_BASE_URL"]
    assert provider.name == "ideam" and provider.radius_km == 7.0
    assert provider.freshness.max_age_hours == 2.0


def test_the_providers_with_a_system_key_are_the_ones_that_need_one():
    built = build_providers(_settings(PROVIDER_CACHE="none"))
    assert list(built) == list(PROVIDER_NAMES)
    for name, provider in built.items():
        spec = registry.spec_of(name)
        assert provider.name == name
        assert provider.capabilities.needs_key == (spec.system_key is not None)


def test_settings_reach_the_constructors_and_the_system_keys():
    settings = _settings(
        PROVIDER_CACHE="none",
        PROVIDERS_ENABLED="siata,meteosource,ideam",
        METEOSOURCE_TIER="flexi",
        METEOSOURCE_API_KEY="ms-key",
        METEOBLUE_API_KEY="mb-key",
        METEOBLUE_API_SECRET="mb-secret",
        IDEAM_RADIUS_KM="30",
        SIATA_RADIUS_KM="5",
        OBSERVATION_MAX_AGE_HOURS="2",
    )
    built = build_providers(settings)
    assert list(built) == ["siata", "meteosource", "ideam"]
    assert built["meteosource"].tier == "flexi" and built["meteosource"].capabilities.history_daily
    assert (built["ideam"].radius_km, built["siata"].radius_km) == (30.0, 5.0)
    assert built["siata"].freshness.max_age_hours == built["ideam"].freshness.max_age_hours == 2.0
    keys = system_credentials(settings)
    assert {n: (c.api_key, c.api_secret) for n, c in keys.items()} == {
        "meteoblue": ("mb-key", "mb-secret"),
        "meteosource": ("ms-key", None),
    }
    assert "mb-key" not in repr(settings) and "ms-key" not in repr(settings)


def test_defaults_when_nothing_is_set():
    settings = _settings()
    assert settings.options["ideam"] == {"app_token": None, "radius_km": 25.0, "max_age_hours": 3.0}
    assert settings.options["siata"] == {"radius_km": 10.0, "max_age_hours": 3.0}
    assert settings.options["meteosource"] == {"tier": "free"}
    assert system_credentials(settings) == {}

"""A forecast answered from the provider cache reuses what was built from the same stored answer
(adapters/providers/parsed_answers.py): the same answer as a fresh parse, its own copy for each
caller, and a new parse whenever an input or the stored answer changes."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

import pytest

from adapters.providers.http_client import ProviderHttp, make_session
from adapters.providers.meteosource import MeteosourceProvider
from adapters.providers.open_meteo import OpenMeteoProvider
from domain.model.readings import Credentials, Granularity
from tests.integration.providers import test_meteosource_forecast as ms
from tests.integration.providers import test_open_meteo_forecast as om

DAYS, SAMARA = 7, "Europe/Samara"
KEY = "CLAVE-ms-parse-1"


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """The provider each decoded JSON body came from (a kept parse decodes nothing)."""
    seen: list[str] = []
    real = ProviderHttp._decode

    def counted(self, response, error_check):
        seen.append(self.provider)
        return real(self, response, error_check)

    monkeypatch.setattr(ProviderHttp, "_decode", counted)
    return seen


def _cached(tmp_path, httpserver, prefix: str, name: str) -> ProviderHttp:
    options = {"backend": "sqlite", "cache_name": str(tmp_path / f"{name}.sqlite")}
    return ProviderHttp(
        name, httpserver.url_for(prefix), timeout=2.0, session=make_session(options)
    )


def open_meteo(tmp_path, httpserver, clock, cached: bool = True) -> OpenMeteoProvider:
    if cached:
        forecast = _cached(tmp_path, httpserver, "/fc", "open_meteo")
    else:
        forecast = ProviderHttp("open_meteo", httpserver.url_for("/fc"), timeout=2.0)
    archive = ProviderHttp("open_meteo", httpserver.url_for("/ar"), timeout=2.0)
    return OpenMeteoProvider(forecast, archive, clock=clock)


def meteosource(tmp_path, httpserver, cached: bool = True) -> MeteosourceProvider:
    http = (
        _cached(tmp_path, httpserver, "/", "meteosource")
        if cached
        else ProviderHttp("meteosource", httpserver.url_for("/"), timeout=2.0)
    )
    return MeteosourceProvider(http, tier="flexi", clock=lambda: ms.NOW)


def _samara(provider, names=om.NAMES):
    return provider.forecast(om.SAMARA, DAYS, Granularity.DAILY, SAMARA, names, None)


def test_a_cache_hit_gives_the_fresh_parse_without_decoding_again(tmp_path, httpserver, decodes):
    om.serve(httpserver, om.FORECAST, om.sample(om.DAILY_SAMPLE))
    fresh = _samara(open_meteo(tmp_path, httpserver, lambda: om.SAMARA_NOW, cached=False))
    provider = open_meteo(tmp_path, httpserver, lambda: om.SAMARA_NOW)
    answers = [_samara(provider) for _ in range(4)]
    assert all(a == fresh for a in answers) and len(fresh.readings) == DAYS
    # fresh, then the network, then the first hit (parsed and kept); the rest decode nothing
    assert decodes == ["open_meteo"] * 3
    assert len(om.queries(httpserver, om.FORECAST)) == 2


def test_each_caller_gets_its_own_copy(tmp_path, httpserver):
    om.serve(httpserver, om.FORECAST, om.sample(om.DAILY_SAMPLE))
    provider = open_meteo(tmp_path, httpserver, lambda: om.SAMARA_NOW)
    first, _ = _samara(provider), _samara(provider)
    kept, mine = _samara(provider), _samara(provider)
    assert mine == kept and mine.readings[0] is not kept.readings[0]
    mine.readings[0].values["temperatura_max"] = -99.0  # type: ignore[index]
    next(iter(mine.readings[0].provenance.values()))["tipo"] = "cambiado"  # type: ignore[index]
    mine.meta["params"]["daily"] = "cambiado"
    assert _samara(provider) == kept == first


def test_another_day_or_other_variables_parse_again(tmp_path, httpserver, decodes):
    """The next local day asks the very same URL (same stored answer): its window differs, so
    its parse must; other variables are another request."""
    om.serve(httpserver, om.FORECAST, om.sample(om.DAILY_SAMPLE))
    now = [om.SAMARA_NOW]
    provider = open_meteo(tmp_path, httpserver, lambda: now[0])
    today = [_samara(provider) for _ in range(3)][-1]
    now[0] = om.SAMARA_NOW + timedelta(days=1)
    tomorrow = _samara(provider)
    fresh = _samara(open_meteo(tmp_path, httpserver, lambda: now[0], cached=False))
    assert tomorrow == fresh != today
    assert [r.instant for r in tomorrow.readings] == [r.instant for r in today.readings][1:]
    assert len(om.queries(httpserver, om.FORECAST)) == 2  # tomorrow was a cache hit
    decodes.clear()
    fewer = _samara(provider, om.NAMES[:2])
    assert set(fewer.readings[0].values) == set(om.NAMES[:2]) and decodes == ["open_meteo"]


def test_hourly_and_daily_from_one_stored_answer_never_share_a_parse(tmp_path, httpserver):
    """Meteosource answers both granularities in one call (one URL, one stored answer)."""
    ms.serve(httpserver, "flexi", ms.POINT.read_bytes())
    creds = Credentials(KEY, charge=lambda: True)
    provider, plain = meteosource(tmp_path, httpserver), meteosource(tmp_path, httpserver, False)
    for granularity, names in ((Granularity.HOURLY, ms.HOURLY), (Granularity.DAILY, ms.DAILY)):
        fresh = plain.forecast(ms.LONDON, 2, granularity, "UTC", names, Credentials(KEY))
        for _ in range(3):
            got = provider.forecast(ms.LONDON, 2, granularity, "UTC", names, creds)
            assert got == fresh
    calls = [r for r, _ in httpserver.log if r.path.endswith("/point")]
    assert len(calls) == 2 + 1  # the uncached provider twice, the cached one once


def test_a_refreshed_stored_answer_is_parsed_again(tmp_path, httpserver, decodes):
    body = json.loads(om.sample(om.DAILY_SAMPLE))
    om.serve(httpserver, om.FORECAST, json.dumps(body).encode())
    provider = open_meteo(tmp_path, httpserver, lambda: om.SAMARA_NOW)
    provider.forecast_ttl = 1
    old = [_samara(provider) for _ in range(3)][-1]
    body["daily"]["temperature_2m_max"] = [v + 1 for v in body["daily"]["temperature_2m_max"]]
    httpserver.clear()
    om.serve(httpserver, om.FORECAST, json.dumps(body).encode())
    time.sleep(1.2)
    decodes.clear()
    new = _samara(provider)
    first, again = old.readings[0].values, new.readings[0].values
    assert again["temperatura_max"] == pytest.approx(first["temperatura_max"] + 1)
    assert decodes == ["open_meteo"] and [_samara(provider) for _ in range(2)] == [new, new]
    assert new.readings[0].instant == datetime(2026, 9, 15, tzinfo=om.SAMARA_ZONE)

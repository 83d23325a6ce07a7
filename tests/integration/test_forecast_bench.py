"""bench/fanout/forecast.py keeps measuring what issue 13 asks: its four constructed upstreams
are read by the real adapters, every one answers, and `n_fuentes` falls at each horizon."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from falcon import testing

from climaguru.app import create_app
from climaguru.container import use_memory
from tests.conftest import app_env, container_of
from tests.e2e.loopback import serving
from tests.unit.http.helpers import bearer, register

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fanout"


def _bench():
    sys.path.insert(0, str(BENCH.parent))
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("forecast_bench", BENCH / "forecast.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def _ask_within_one_hour(bench, origin: str, tmp_path: Path, body: dict):
    """The forecast, asked again (on a fresh app and cache) when the hour turned while asking:
    the app issues at hour H, but an upstream answering after H+1 starts its steps an hour
    later, and the steps checked below would then miss a source at the top of any hour."""
    for attempt in range(3):
        before = _hour()
        env = app_env(CLIMAGURU_DATA_DIR=str(tmp_path / str(attempt)), PROVIDER_CACHE="memory")
        container = container_of({**env, **bench.settings(origin)})
        use_memory(container)
        client = testing.TestClient(create_app(container))
        auth = bearer(register(client, "bench.pronostico")["access_token"])
        answer = client.simulate_post(bench.PATH, json=body, headers=auth)
        if _hour() == before:
            return answer
    raise AssertionError("the hour turned during each of three forecasts")


def test_the_four_forecasters_answer_and_sources_fall_at_their_horizons(tmp_path):
    bench = _bench()
    with serving(bench.upstream(0.0)) as origin:
        # Eight local days: the window then always reaches past Meteosource's 155 hours, whatever
        # the hour of the run (seven days from a Bogotá afternoon end before it), and past
        # Meteoblue's seven days.
        body = {"latitud": 8.75, "longitud": -75.88, "dias": 8}
        answer = _ask_within_one_hour(bench, origin, tmp_path, body)
    assert answer.status_code == 201, answer.json
    doc = answer.json
    assert {n: doc["proveedores"][n]["estado"] for n in bench.PROVIDERS} == dict.fromkeys(
        bench.PROVIDERS, "ok"
    )
    by_step = {
        datetime.fromisoformat(p["instante"]): set(p["consenso"]["temperatura"]["fuentes"])
        for p in doc["serie"]
    }
    issued = datetime.fromisoformat(doc["pronostico"]["emitido_en"]).astimezone(UTC)
    hour = issued.replace(minute=0, second=0, microsecond=0)
    # One Call's 48 hourly steps start at the current hour, Meteosource's 155 at the next one.
    assert by_step[hour + timedelta(hours=1)] == set(bench.PROVIDERS)
    assert "openweathermap" in by_step[hour + timedelta(hours=47)]
    assert "openweathermap" not in by_step[hour + timedelta(hours=48)]
    # Meteosource's paid horizon: 155 hours from the hour of issue, the last step ending there.
    assert "meteosource" in by_step[hour + timedelta(hours=154)]
    assert "meteosource" not in by_step[hour + timedelta(hours=155)]
    # Meteoblue's seven local days (from local midnight), then Open-Meteo alone on the eighth.
    last = max(by_step)
    assert by_step[last] == {"open_meteo"}
    with_meteoblue = max(t for t, names in by_step.items() if "meteoblue" in names)
    assert last - with_meteoblue == timedelta(hours=24)

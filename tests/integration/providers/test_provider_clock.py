"""The container's clock is the providers' "now" too: a fixed clock fixes what they ask.

The golden session (a fixed clock on 2026-03-01) asks Open-Meteo for 1953 hours in Amsterdam;
the dates it sends depend on whether "today" is in CET or CEST. With the providers on the
real clock, the recorded request held only from November to March.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from dependency_injector import providers

from domain.model.readings import Granularity, TimeRange
from tests.conftest import FakeClock, app_env, container_of, open_meteo_at
from tests.integration.providers.test_open_meteo import ENSCHEDE, HISTORICAL, sample


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (datetime(2030, 1, 15, 12, tzinfo=UTC), "1953-01-31", "1953-02-01"),  # CET, as in 1953
        (datetime(2030, 7, 15, 12, tzinfo=UTC), "1953-01-30", "1953-02-02"),  # CEST: widened
    ],
)
def test_open_meteo_asks_the_dates_of_the_containers_today(
    httpserver, tmp_path, today, first, last
):
    env = app_env(CLIMAGURU_DATA_DIR=str(tmp_path), PROVIDER_CACHE="none")
    container = container_of({**env, **open_meteo_at(httpserver.url_for("").rstrip("/"))})
    container.clock.override(providers.Object(FakeClock(today)))
    httpserver.expect_request("/v1/archive").respond_with_data(
        sample(HISTORICAL), content_type="application/json"
    )
    hours = TimeRange(date(1953, 1, 31), date(1953, 2, 1), Granularity.HOURLY, "Europe/Amsterdam")
    container.weather_providers()["open_meteo"].history(ENSCHEDE, hours, ["temperatura"], None)
    (request, _), *_ = httpserver.log
    assert (request.args["start_date"], request.args["end_date"]) == (first, last)

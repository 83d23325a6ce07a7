"""The port's `forecast` written once for every adapter that forecasts (see forecast_kit)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from domain.model.location import Location
from domain.model.readings import Credentials, Granularity, ProviderAnswer


class Forecasting:
    """Base of the forecasting adapters: `_forecast_call` names the module's forecast function
    and the arguments that go before the ask; the provider's name goes last."""

    name: str
    # Seconds a forecast answer is reused from the provider cache (FORECAST_CACHE_TTL); set
    # by the composition root. The cache key is the upstream request, so what differs in the
    # call (days, block, variables, zone) never shares an answer; a hit charges no quota.
    forecast_ttl: int = 1800

    def _forecast_call(
        self, granularity: Granularity
    ) -> tuple[Callable[..., ProviderAnswer], tuple[Any, ...]]:
        raise NotImplementedError

    def forecast(
        self,
        location: Location,
        days: int,
        granularity: Granularity,
        timezone: str,
        variables: Sequence[str],
        credentials: Credentials | None,
    ) -> ProviderAnswer:
        run, before = self._forecast_call(granularity)
        asked = (location, days, granularity, timezone, variables, credentials)
        return run(*before, *asked, self.name, ttl=self.forecast_ttl)

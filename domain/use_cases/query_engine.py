"""What current and historical queries share: location, credentials, fan-out, life cycle."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs
from attrs import frozen

from domain.errors import NoReadings, NotFound, QuotaExceeded, ValidationError
from domain.model.activity import ActivityEntry
from domain.model.api_keys import ApiKey, quota_day, seconds_until_next_quota_day
from domain.model.consensus import Reason
from domain.model.location import Location
from domain.model.permissions import Principal
from domain.model.queries import ExportFormat, ProviderOutcome, QueryStatus, QueryType, WeatherQuery
from domain.model.readings import Credentials, GeoCandidate, Granularity, ProviderAnswer
from ports.clock import Clock
from ports.providers import FanOut, Geocoder, ProviderUnavailable, WeatherProvider
from ports.repositories import UnitOfWork
from ports.security import SecretBox


@frozen
class QueryLimits:
    """Configurable limits: range per granularity, overall deadline, inline series size."""

    max_days_hourly: int = 366
    max_days_daily: int = 7305
    deadline: float = 20.0
    inline_series: int = 200
    quota_timezone: str = "America/Bogota"

    def max_days(self, granularity: Granularity) -> int:
        return self.max_days_hourly if granularity is Granularity.HOURLY else self.max_days_daily


@frozen
class LocationRequest:
    """The location fields of a query body, unvalidated."""

    city: object = None
    latitude: object = None
    longitude: object = None
    country: object = None


@frozen
class ResolvedLocation:
    """Where the query is about, and the geocoding choice when a city was looked up."""

    location: Location
    chosen: GeoCandidate | None = None
    alternatives: tuple[GeoCandidate, ...] = ()


@frozen
class QueryEngine:
    """Collaborators and steps every query use case needs."""

    uow: Callable[[], UnitOfWork]
    providers: Mapping[str, WeatherProvider]
    geocoder: Geocoder
    fan_out: FanOut
    secret_box: SecretBox
    system_credentials: Mapping[str, Credentials]
    clock: Clock
    timer: Callable[[], float]
    limits: QueryLimits

    def resolve_location(self, req: LocationRequest, user_id: int) -> ResolvedLocation:
        """Coordinates win; a city alone is geocoded; nothing → the default favourite city."""
        if req.latitude is None and req.longitude is None and req.city is None:
            with self.uow() as uow:
                favorite = uow.favorites.default_for(user_id)
            if favorite is not None:
                return ResolvedLocation(favorite.location)
        if req.latitude is not None or req.longitude is not None:
            if req.latitude is None or req.longitude is None:
                raise ValidationError(
                    "latitud y longitud van juntas", details={"latitud": "incompleta"}
                )
            return ResolvedLocation(Location(req.latitude, req.longitude, req.city))
        if req.city is None:
            raise ValidationError(
                "indique ciudad o latitud y longitud (o marque una ciudad favorita por defecto)",
                details={"ciudad": "obligatoria"},
            )
        if not isinstance(req.city, str) or not req.city.strip() or len(req.city) > 100:
            raise ValidationError("ciudad no es válida", details={"ciudad": "formato_invalido"})
        country = req.country if isinstance(req.country, str) and len(req.country) == 2 else None
        try:
            found = self.geocoder.search(req.city.strip(), country=country, limit=5)
        except ProviderUnavailable:
            raise NoReadings("el servicio de geocodificación no respondió; reintente") from None
        if not found:
            raise NotFound(
                f"no se encontró la ciudad '{req.city.strip()}'", code="ciudad_no_encontrada"
            )
        best = found[0]
        location = Location(best.latitude, best.longitude, best.name, elevation=best.elevation)
        return ResolvedLocation(location, best, tuple(found[1:]))

    def start(
        self,
        principal: Principal,
        query_type: QueryType,
        where: ResolvedLocation,
        export_format: ExportFormat,
        parameters: Mapping[str, Any],
        client_ip: str | None,
        dates: tuple[date, date] | None = None,
    ) -> WeatherQuery:
        """Store the query as pendiente, then mark it procesando (two commits)."""
        query = WeatherQuery(
            id=None,
            user_id=principal.user_id,
            query_type=query_type,
            location=where.location,
            export_format=export_format,
            parameters=dict(parameters),
            status=QueryStatus.PENDING,
            created_at=self.clock(),
            start_date=dates[0] if dates else None,
            end_date=dates[1] if dates else None,
            client_ip=client_ip,
        )
        with self.uow() as uow:
            query = uow.queries.add(query)
            uow.activity.add(
                ActivityEntry(
                    action=f"consulta_{query_type.value}",
                    user_id=principal.user_id,
                    occurred_at=query.created_at,
                    ip=client_ip,
                    detail={"consulta_id": query.id, "ciudad": where.location.city},
                )
            )
            uow.commit()
        query.status = QueryStatus.PROCESSING
        with self.uow() as uow:
            uow.queries.update(query)
            uow.commit()
        return query

    def ask(
        self,
        user_id: int,
        names: Sequence[str],
        call: Callable[[WeatherProvider, Credentials | None], ProviderAnswer],
    ) -> dict[str, ProviderOutcome]:
        """Ask every named provider at once with the right credentials; never raises."""
        outcomes: dict[str, ProviderOutcome] = {}
        calls = {}
        keyed = [n for n in names if self.providers[n].capabilities.needs_key]
        found = self.credentials_for(user_id, keyed) if keyed else {}
        for name in names:
            provider = self.providers[name]
            credentials = None
            if provider.capabilities.needs_key:
                credentials = found.get(name)
                if credentials is None:
                    outcomes[name] = ProviderOutcome(
                        name, reason=Reason.SIN_CLAVE, code="sin_clave"
                    )
                    continue
            calls[name] = _bind(call, provider, credentials)
        for name, result in self.fan_out(calls, self.limits.deadline).items():
            outcomes[name] = _outcome(name, result)
        return {name: outcomes[name] for name in names}

    def credentials_for(self, user_id: int, names: Sequence[str]) -> dict[str, Credentials]:
        """Per provider: the user's active key, else the system key; absent when neither."""
        with self.uow() as uow:
            keys = {n: uow.api_keys.active_for(user_id, n) for n in names}
        found: dict[str, Credentials] = {}
        for name in names:
            key = keys[name]
            credentials = self._decrypted(key) if key is not None and key.id is not None else None
            credentials = credentials or self.system_credentials.get(name)
            if credentials is not None:
                found[name] = credentials
        return found

    def _decrypted(self, key: ApiKey) -> Credentials | None:
        try:
            api_key = self.secret_box.decrypt(key.key_ciphertext)
            secret = (
                self.secret_box.decrypt(key.secret_ciphertext) if key.secret_ciphertext else None
            )
        except ValueError:
            return None  # encrypted under a key no longer configured: fall back to the system key
        assert key.id is not None
        return Credentials(api_key, secret, "usuario", key.id, charge=self._charger(key.id))

    def _charger(self, key_id: int) -> Callable[[], bool]:
        def charge() -> bool:
            now = self.clock()
            with self.uow() as uow:
                ok = uow.api_keys.try_consume(
                    key_id, quota_day(now, self.limits.quota_timezone), now
                )
                uow.commit()
            return ok

        return charge

    def finish(self, query: WeatherQuery, started: float, answers: Mapping[str, Any]) -> None:
        query.provider_answers = dict(answers)
        query.response_ms = round((self.timer() - started) * 1000)
        query.completed_at = self.clock()

    def fail(
        self, query: WeatherQuery, started: float, answers: Mapping[str, Any], code: str
    ) -> None:
        """Store the query as error with a code (never exception text) and raise NoReadings."""
        self.finish(query, started, answers)
        query.status = QueryStatus.ERROR
        query.error_code = code
        with self.uow() as uow:
            uow.queries.update(query)
            uow.activity.add(
                ActivityEntry(
                    action="consulta_error",
                    user_id=query.user_id,
                    occurred_at=self.clock(),
                    ip=query.client_ip,
                    detail={"consulta_id": query.id, "codigo": code},
                )
            )
            uow.commit()
        reasons = {a.get("motivo") for a in answers.values()}
        if reasons == {Reason.SIN_CLAVE}:
            # Nobody was asked: retrying cannot help, so this is the client's 400, not a 502.
            raise ValidationError(
                "ninguno de los proveedores pedidos tiene una clave activa; "
                "guarde una en /api/api-keys o pida otros proveedores",
                details={"proveedores": "sin_clave"},
            )
        if Reason.CUOTA_AGOTADA in reasons and reasons <= {Reason.CUOTA_AGOTADA, Reason.SIN_CLAVE}:
            # Only spent quotas stood in the way: 429 until they reset at local midnight.
            raise QuotaExceeded(
                "las claves de los proveedores pedidos agotaron su cuota diaria",
                retry_after=seconds_until_next_quota_day(self.clock(), self.limits.quota_timezone),
                details={"proveedores": "cuota_agotada"},
            )
        raise NoReadings("ningún proveedor respondió; reintente en un momento", retry_after=30)

    def abandon(self, query: WeatherQuery, started: float) -> None:
        """An unexpected failure: keep the row, marked error_interno, and let the error rise.

        The stored row decides (not the object in memory, which may say completada while its
        commit failed); nothing already completed or failed is overwritten.
        """
        with self.uow() as uow:
            stored = uow.queries.get(query.id) if query.id is not None else None
            if stored is None or stored.status in (QueryStatus.COMPLETED, QueryStatus.ERROR):
                return
            stored.status = QueryStatus.ERROR
            stored.error_code = "error_interno"
            stored.response_ms = round((self.timer() - started) * 1000)
            stored.completed_at = self.clock()
            uow.queries.update(stored)
            uow.commit()


def _bind(call, provider, credentials):
    return lambda: call(provider, credentials)


def _finite(values: Mapping[str, Any]) -> dict[str, Any]:
    """A provider's 1e999 or NaN is missing, not a number to store or show."""
    return {
        k: v if not isinstance(v, float) or math.isfinite(v) else None for k, v in values.items()
    }


def _outcome(name: str, result: ProviderAnswer | ProviderUnavailable) -> ProviderOutcome:
    if isinstance(result, ProviderUnavailable):
        meta = {
            key: getattr(result, key)
            for key in ("latency_ms", "cache")
            if getattr(result, key, None) is not None
        }
        return ProviderOutcome(name, reason=result.reason, code=result.code, meta=meta)
    readings = tuple(attrs.evolve(r, values=_finite(r.values)) for r in result.readings)
    return ProviderOutcome(name, kind=result.kind.value, readings=readings, meta=dict(result.meta))


def outcome_summary(outcome: ProviderOutcome) -> dict[str, Any]:
    """What respuesta_api keeps of one provider: status, kind, provenance (no keys)."""
    if not outcome.ok:
        summary = {"estado": "error", "motivo": str(outcome.reason), "codigo": outcome.code}
        if "latency_ms" in outcome.meta:
            summary["latencia_ms"] = outcome.meta["latency_ms"]
        if "cache" in outcome.meta:
            summary["cache"] = outcome.meta["cache"]
        return summary
    return {
        "estado": "ok",
        "tipo": outcome.kind,
        "n_lecturas": len(outcome.readings),
        "meta": dict(outcome.meta),
    }

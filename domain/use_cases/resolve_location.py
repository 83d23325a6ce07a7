"""Where a query is about: coordinates, a geocoded city, or the default favourite city."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import NoReadings, NotFound, ValidationError
from domain.model.location import Location
from domain.model.readings import GeoCandidate
from ports.providers import Geocoder, ProviderUnavailable
from ports.repositories import UnitOfWork


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
class ResolveLocation:
    """Coordinates win; a city alone is geocoded; nothing → the default favourite city."""

    uow: Callable[[], UnitOfWork]
    geocoder: Geocoder

    def __call__(self, req: LocationRequest, user_id: int) -> ResolvedLocation:
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
        return self._geocode(req)

    def _geocode(self, req: LocationRequest) -> ResolvedLocation:
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

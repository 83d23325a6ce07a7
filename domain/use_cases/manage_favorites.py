"""Favourite cities: list, add, change, remove; one default per user, switched atomically."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import NotFound, ValidationError
from domain.model.favorites import Favorite
from domain.model.location import Location
from domain.model.paging import NOT_GIVEN
from domain.model.permissions import Permission, Principal, require
from ports.clock import Clock
from ports.repositories import UnitOfWork


def _name(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw.strip()) > 100:
        raise ValidationError(
            "nombre_ciudad es obligatorio (hasta 100 caracteres)",
            details={"nombre_ciudad": "invalido"},
        )
    return raw.strip()


def _country(raw: object) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw.strip()) > 50:
        raise ValidationError(
            "pais debe ser texto de hasta 50 caracteres", details={"pais": "invalido"}
        )
    return raw.strip() or None


def _flag(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValidationError(
            "es_default debe ser true o false", details={"es_default": "invalido"}
        )
    return raw


@frozen
class FavoriteCommand:
    """POST / PATCH body of a favourite; absent PATCH fields stay as they are."""

    principal: Principal
    name: object = NOT_GIVEN
    latitude: object = NOT_GIVEN
    longitude: object = NOT_GIVEN
    country: object = NOT_GIVEN
    is_default: object = NOT_GIVEN


@frozen
class ManageFavorites:
    """Everyone may keep favourites; each user sees only their own (others' ids → 404)."""

    uow: Callable[[], UnitOfWork]
    clock: Clock

    def list(self, principal: Principal) -> list[Favorite]:
        require(principal, Permission.MANAGE_OWN_FAVORITES)
        with self.uow() as uow:
            return uow.favorites.list_for_user(principal.user_id)

    def create(self, cmd: FavoriteCommand) -> Favorite:
        require(cmd.principal, Permission.MANAGE_OWN_FAVORITES)
        if cmd.latitude is NOT_GIVEN or cmd.longitude is NOT_GIVEN:
            raise ValidationError(
                "latitud y longitud son obligatorias", details={"latitud": "obligatoria"}
            )
        name = _name(None if cmd.name is NOT_GIVEN else cmd.name)
        favorite = Favorite(
            id=None,
            user_id=cmd.principal.user_id,
            name=name,
            location=Location(cmd.latitude, cmd.longitude, name),
            is_default=False if cmd.is_default is NOT_GIVEN else _flag(cmd.is_default),
            created_at=self.clock(),
            country=None if cmd.country is NOT_GIVEN else _country(cmd.country),
        )
        with self.uow() as uow:
            uow.users.get(favorite.user_id, for_update=True)  # one default switch at a time
            if favorite.is_default:
                uow.favorites.clear_default(favorite.user_id)
            favorite = uow.favorites.add(favorite)
            uow.commit()
        return favorite

    def update(self, cmd: FavoriteCommand, favorite_id: int) -> Favorite:
        require(cmd.principal, Permission.MANAGE_OWN_FAVORITES)
        with self.uow() as uow:
            uow.users.get(cmd.principal.user_id, for_update=True)  # one default switch at a time
            favorite = self._own(uow, cmd.principal, favorite_id)
            if cmd.name is not NOT_GIVEN:
                favorite.name = _name(cmd.name)
            if cmd.country is not NOT_GIVEN:
                favorite.country = _country(cmd.country)
            lat = favorite.location.latitude if cmd.latitude is NOT_GIVEN else cmd.latitude
            lon = favorite.location.longitude if cmd.longitude is NOT_GIVEN else cmd.longitude
            favorite.location = Location(lat, lon, favorite.name)
            if cmd.is_default is not NOT_GIVEN:
                favorite.is_default = _flag(cmd.is_default)
                if favorite.is_default:
                    uow.favorites.clear_default(favorite.user_id)
            uow.favorites.update(favorite)
            uow.commit()
        return favorite

    def delete(self, principal: Principal, favorite_id: int) -> None:
        require(principal, Permission.MANAGE_OWN_FAVORITES)
        with self.uow() as uow:
            self._own(uow, principal, favorite_id)
            uow.favorites.delete(favorite_id)
            uow.commit()

    @staticmethod
    def _own(uow: UnitOfWork, principal: Principal, favorite_id: int) -> Favorite:
        favorite = uow.favorites.get(favorite_id)
        if favorite is None or favorite.user_id != principal.user_id:
            raise NotFound("la ciudad favorita no existe", code="favorita_no_encontrada")
        return favorite

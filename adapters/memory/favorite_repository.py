"""ciudades_favoritas in memory."""

from __future__ import annotations

import copy

from adapters.memory.store import StoreBacked
from domain.errors import Conflict
from domain.model.favorites import Favorite


class InMemoryFavoriteRepository(StoreBacked):
    """ciudades_favoritas in a dict."""

    def _clash(self, favorite: Favorite) -> bool:
        return any(
            f.user_id == favorite.user_id
            and f.id != favorite.id
            and round(f.location.latitude, 8) == round(favorite.location.latitude, 8)
            and round(f.location.longitude, 8) == round(favorite.location.longitude, 8)
            for f in self._s.favorites.values()
        )

    def add(self, favorite: Favorite) -> Favorite:
        if self._clash(favorite):
            raise Conflict(
                "ya tiene una ciudad favorita en esas coordenadas",
                details={"latitud": "duplicada", "longitud": "duplicada"},
            )
        return self._insert(self._s.favorites, favorite)

    def get(self, favorite_id: int) -> Favorite | None:
        return self._copy_of(self._s.favorites, favorite_id)

    def list_for_user(self, user_id: int) -> list[Favorite]:
        own = [f for f in self._s.favorites.values() if f.user_id == user_id]
        return copy.deepcopy(sorted(own, key=lambda f: f.id))

    def update(self, favorite: Favorite) -> None:
        if self._clash(favorite):
            raise Conflict(
                "ya tiene una ciudad favorita en esas coordenadas",
                details={"latitud": "duplicada", "longitud": "duplicada"},
            )
        self._s.favorites[favorite.id] = copy.deepcopy(favorite)

    def delete(self, favorite_id: int) -> None:
        self._s.favorites.pop(favorite_id, None)

    def clear_default(self, user_id: int) -> None:
        for favorite in self._s.favorites.values():
            if favorite.user_id == user_id:
                favorite.is_default = False

    def default_for(self, user_id: int) -> Favorite | None:
        for favorite in self._s.favorites.values():
            if favorite.user_id == user_id and favorite.is_default:
                return copy.deepcopy(favorite)
        return None

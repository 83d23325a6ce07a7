"""Open-Meteo geocoding (GeoNames): a city name to candidate points, names in Spanish."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from adapters.providers.http_client import ProviderHttp
from domain.model.readings import GeoCandidate

SEARCH_PATH = "/v1/search"
GEOCODING_TTL = 30 * 24 * 3600
MAX_COUNT = 100  # the API refuses count outside 1..100


class OpenMeteoGeocoder:
    """City name → candidates, best first, from geocoding-api.open-meteo.com (no key)."""

    def __init__(self, http: ProviderHttp, *, language: str = "es") -> None:
        self._http = http
        self._language = language

    def search(self, name: str, country: str | None = None, limit: int = 5) -> list[GeoCandidate]:
        """Up to `limit` matches. `country`: ISO-3166 alpha-2 code (sent as countryCode) or a
        country name (matched against the answer, accents and case ignored)."""
        query = name.strip() if isinstance(name, str) else ""
        if len(query) < 2:  # the API needs at least 2 characters
            return []
        count = max(1, min(int(limit), MAX_COUNT))
        params: dict[str, Any] = {
            "name": query,
            "count": count,
            "language": self._language,
            "format": "json",
        }
        wanted_country = country.strip() if isinstance(country, str) else ""
        code = wanted_country.upper()
        by_code = len(code) == 2 and code.isascii() and code.isalpha()
        if by_code:
            params["countryCode"] = code
        body = self._http.get_json(SEARCH_PATH, params, ttl=GEOCODING_TTL, error_check=_error_check)
        results = body.get("results")  # absent when nothing matches
        candidates = [c for c in map(_candidate, results or []) if c is not None]
        if wanted_country and not by_code:
            key = _fold(wanted_country)
            candidates = [c for c in candidates if c.country and _fold(c.country) == key]
        return candidates[:count]


def _error_check(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "respuesta_inesperada"
    if body.get("error") not in (None, False):
        return "cuerpo_de_error"
    if "results" in body and not isinstance(body["results"], list):
        return "respuesta_inesperada"
    return None


def _candidate(item: Any) -> GeoCandidate | None:
    """One result; optional keys are omitted by the API, not null. Unusable items are skipped."""
    if not isinstance(item, dict):
        return None
    name = item.get("name")
    latitude, longitude = _number(item.get("latitude")), _number(item.get("longitude"))
    if not isinstance(name, str) or not name.strip() or latitude is None or longitude is None:
        return None
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    code = item.get("country_code")
    return GeoCandidate(
        name=name.strip(),
        latitude=latitude,
        longitude=longitude,
        country=_text(item.get("country")),
        country_code=code.upper() if isinstance(code, str) and code else None,
        admin1=_text(item.get("admin1")),
        elevation=_number(item.get("elevation")),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()

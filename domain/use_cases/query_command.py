"""The request every weather query shares, unvalidated: where, what, from whom, in which format.

A query use case's command derives from `QueryCommand` and adds its own fields (the history's
range); the use case validates each field and words the error."""

from __future__ import annotations

from attrs import frozen

from domain.model.permissions import Principal
from domain.model.tokens import ClientInfo
from domain.use_cases.resolve_location import LocationRequest


@frozen
class QueryCommand:
    """The body of the request, unvalidated, plus who asks and from where."""

    principal: Principal
    city: object = None
    latitude: object = None
    longitude: object = None
    country: object = None
    variables: object = None
    providers: object = None
    export_format: object = None
    client: ClientInfo = ClientInfo(None, None)

    @property
    def place(self) -> LocationRequest:
        """The location fields, for ResolveLocation."""
        return LocationRequest(self.city, self.latitude, self.longitude, self.country)

"""GET /api/consultas/mis-consultas: the caller's queries, newest first, filtered and paged."""

from __future__ import annotations

from collections.abc import Callable

from attrs import frozen

from domain.errors import PermissionDenied, ValidationError
from domain.model.paging import Page, day_bounds, identifier, paging
from domain.model.permissions import Permission, Principal, require
from domain.model.queries import QueryStatus, QueryType, as_seen
from domain.model.users import Role
from domain.use_cases.sweep_abandoned_queries import SweepAbandonedQueries
from ports.repositories import QueryFilter, UnitOfWork


@frozen
class ListQueriesCommand:
    """Query-string parameters, unvalidated."""

    principal: Principal
    page: object = None
    per_page: object = None
    query_type: object = None
    status: object = None
    city: object = None
    since: object = None
    until: object = None
    user: object = None


QueryPage = Page  # one page of queries (WeatherQuery items) and the totals


def _enum(raw: object, enum_cls, field: str):
    if raw is None:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        valid = ", ".join(e.value for e in enum_cls)
        raise ValidationError(
            f"{field} debe ser uno de: {valid}", details={field: "invalido"}
        ) from None


@frozen
class ListQueries:
    """The caller's own queries (every query is another use case, for admin and consultor)."""

    uow: Callable[[], UnitOfWork]
    # Read-only: stale pendiente/procesando rows are shown as error `abandonada` (the rule of
    # SweepAbandonedQueries, which stores them so at start-up and periodically).
    sweep: SweepAbandonedQueries | None = None

    def __call__(self, cmd: ListQueriesCommand) -> QueryPage:
        require(cmd.principal, Permission.READ_OWN_QUERIES)
        page, per_page = paging(cmd.page, cmd.per_page)
        since, until = day_bounds(cmd.since, cmd.until)
        flt = QueryFilter(
            user_id=cmd.principal.user_id,
            query_type=_enum(cmd.query_type, QueryType, "tipo"),
            status=_enum(cmd.status, QueryStatus, "estado"),
            city=cmd.city.strip() if isinstance(cmd.city, str) and cmd.city.strip() else None,
            since=since,
            until=until,
        )
        return self._page(flt, page, per_page)

    def everyone(self, cmd: ListQueriesCommand) -> QueryPage:
        """GET /api/consultas: admin sees every query; consultor every completed one."""
        require(cmd.principal, Permission.READ_ALL_QUERIES)
        page, per_page = paging(cmd.page, cmd.per_page)
        since, until = day_bounds(cmd.since, cmd.until)
        status = _enum(cmd.status, QueryStatus, "estado")
        if cmd.principal.role is not Role.ADMIN:
            if status not in (None, QueryStatus.COMPLETED):
                raise PermissionDenied("su rol solo puede ver consultas completadas")
            status = QueryStatus.COMPLETED
        user = identifier(cmd.user, "usuario")
        flt = QueryFilter(
            user_id=user,
            query_type=_enum(cmd.query_type, QueryType, "tipo"),
            status=status,
            city=cmd.city.strip() if isinstance(cmd.city, str) and cmd.city.strip() else None,
            since=since,
            until=until,
        )
        return self._page(flt, page, per_page)

    def _page(self, flt: QueryFilter, page: int, per_page: int) -> QueryPage:
        with self.uow() as uow:
            items, total = uow.queries.search(flt, (page - 1) * per_page, per_page)
        if self.sweep is not None:
            now = self.sweep.clock()
            stale_before = self.sweep.cutoff(now)
            items = [as_seen(item, stale_before, now) for item in items]
        return QueryPage(items, page, per_page, total)

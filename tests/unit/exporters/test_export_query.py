"""ExportQuery: checks before the first byte; the series' unit of work lives only while streamed."""

from __future__ import annotations

import pytest

from adapters.exporters import default_exporters
from adapters.memory.store import MemoryStore
from adapters.memory.uow import InMemoryUnitOfWork
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from domain.model.permissions import Principal
from domain.model.queries import QueryStatus, QueryType
from domain.model.users import Role
from domain.use_cases.export_query import ExportQuery, ExportQueryCommand
from tests.unit.exporters.helpers import NOW, hourly_rows, make_query, point, typed_result

OWNER = Principal(1, "operaria", Role.OPERATOR, "t", "f", 0.0)


class TrackedUow(InMemoryUnitOfWork):
    """The memory unit of work, counting how many are open."""

    open = 0
    entered = 0

    def __enter__(self):
        TrackedUow.open += 1
        TrackedUow.entered += 1
        return super().__enter__()

    def __exit__(self, *exc):
        TrackedUow.open -= 1
        return super().__exit__(*exc)


@pytest.fixture
def store() -> MemoryStore:
    TrackedUow.open = TrackedUow.entered = 0
    return MemoryStore()


def stored_history(store: MemoryStore, rows: int = 50, status=QueryStatus.COMPLETED) -> int:
    query = make_query(QueryType.HISTORY, ["temperatura"])
    query.id, query.status = None, status
    with InMemoryUnitOfWork(store) as uow:
        query = uow.queries.add(query)
        store.series[query.id] = [point(row) for row in hourly_rows(rows)]
        store.results[query.id] = typed_result({"fuentes_utilizadas": ["a", "b"], "resumen": {}})
        uow.commit()
    return query.id


def export_query(store: MemoryStore) -> ExportQuery:
    return ExportQuery(lambda: TrackedUow(store), default_exporters(), lambda: NOW)


def test_the_series_unit_of_work_opens_on_the_first_row_and_closes_at_the_end(store):
    query_id = stored_history(store)
    download = export_query(store)(ExportQueryCommand(OWNER, query_id, "csv"))
    assert (TrackedUow.entered, TrackedUow.open) == (1, 0)  # the checks, already closed
    first = next(download.chunks)
    assert first.startswith("consulta_id")
    text = first + "".join(download.chunks)
    assert (TrackedUow.entered, TrackedUow.open) == (2, 0)
    assert text.count("\r\n") > 50


def test_closing_the_stream_early_closes_the_unit_of_work(store):
    query_id = stored_history(store, rows=5000)
    download = export_query(store)(ExportQueryCommand(OWNER, query_id, "txt"))
    next(download.chunks)
    next(download.chunks)  # inside the series now
    assert TrackedUow.open == 1
    download.chunks.close()  # the client hung up
    assert TrackedUow.open == 0
    assert store.lock.acquire(blocking=False)  # the memory store is free again
    store.lock.release()


def test_a_stream_never_started_opens_no_unit_of_work(store):
    query_id = stored_history(store)
    download = export_query(store)(ExportQueryCommand(OWNER, query_id))
    download.chunks.close()
    assert (TrackedUow.entered, TrackedUow.open) == (1, 0)


@pytest.mark.parametrize("status", [QueryStatus.PENDING, QueryStatus.PROCESSING, QueryStatus.ERROR])
def test_unfinished_queries_are_a_conflict(store, status):
    query_id = stored_history(store, status=status)
    with pytest.raises(Conflict) as caught:
        export_query(store)(ExportQueryCommand(OWNER, query_id))
    assert caught.value.code == "consulta_no_completada"
    assert TrackedUow.open == 0


def test_other_users_queries_do_not_exist(store):
    query_id = stored_history(store)
    stranger = Principal(2, "otra", Role.OPERATOR, "t", "f", 0.0)
    with pytest.raises(NotFound) as caught:
        export_query(store)(ExportQueryCommand(stranger, query_id))
    assert caught.value.code == "consulta_no_encontrada"
    admin = Principal(3, "jefa", Role.ADMIN, "t", "f", 0.0)
    assert export_query(store)(ExportQueryCommand(admin, query_id)).filename.endswith(".json")


@pytest.mark.parametrize(
    "options",
    [{"export_format": "pdf"}, {"separator": "tab"}, {"detail": "todo"}, {"export_format": 3}],
)
def test_bad_options_fail_before_the_database(store, options):
    query_id = stored_history(store)
    with pytest.raises(ValidationError):
        export_query(store)(ExportQueryCommand(OWNER, query_id, **options))
    assert TrackedUow.entered == 0


def test_a_role_without_query_rights_is_refused(store):
    query_id = stored_history(store)
    nobody = Principal(1, "x", "invitado", "t", "f", 0.0)
    with pytest.raises(PermissionDenied):
        export_query(store)(ExportQueryCommand(nobody, query_id))

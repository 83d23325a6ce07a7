"""A one-year hourly series exported from SQLite and MariaDB: complete, streamed, connection
held only while the series is read."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.use_cases.export_query import ExportQueryCommand
from tests.fakes import FakeProvider
from tests.unit.http.test_current_queries import BOGOTA, build

ZONE = ZoneInfo("America/Bogota")


def weather(instant: datetime) -> dict[str, float | None]:
    hour = instant.astimezone(UTC).hour
    return {
        "temperatura": 12.0 + hour / 4,
        "precipitacion": 0.0 if hour % 3 else 1.25,
        "humedad_relativa": None if hour == 4 else 80.0,
    }


def create_history(client, auth, days: int) -> tuple[int, int]:
    today = datetime.now(ZONE).date()
    start, end = today - timedelta(days=days), today - timedelta(days=1)
    body = {
        **BOGOTA,
        "fecha_inicio": start.isoformat(),
        "fecha_fin": end.isoformat(),
        "granularidad": "horaria",
        "parametros": ["temperatura", "humedad_relativa", "precipitacion"],
    }
    result = client.simulate_post("/api/consultas/historico", json=body, headers=auth)
    assert result.status_code == 201, result.json
    return result.json["consulta"]["id"], result.json["serie_total"]


@pytest.fixture
def year(sql_container):
    """An API client on the SQL container and a stored one-year hourly query."""
    client, auth, _ = build(sql_container, [FakeProvider("a", daily=weather)], deadline=30.0)
    query_id, total = create_history(client, auth, 365)
    assert total >= 365 * 24 - 1  # a DST-free zone: 8760 hours
    return client, auth, query_id, total


def principal(sql_container, client, auth):
    token = auth["Authorization"].split()[1]
    return sql_container.authenticate()(token)


def test_one_year_csv_downloads_whole_over_http(year):
    client, auth, query_id, total = year
    result = client.simulate_get(f"/api/consultas/{query_id}/descargar?formato=csv", headers=auth)
    assert result.status_code == 200
    assert result.headers["content-disposition"] == f"attachment; filename=consulta_{query_id}.csv"
    records = list(csv.reader(io.StringIO(result.text, newline="")))
    blank = next(i for i, r in enumerate(records) if not any(r))
    table = records[blank + 1 :]
    assert table[0][:4] == [
        "instante",
        "temperatura (°C)",
        "humedad_relativa (%)",
        "precipitacion (mm)",
    ]
    assert len(table) == 1 + total
    instants = [datetime.fromisoformat(r[0]) for r in table[1:]]
    assert instants == sorted(instants) and instants[0].utcoffset() == timedelta(hours=-5)
    assert instants[-1] - instants[0] == timedelta(hours=total - 1)
    missing = [r for r in table[1:] if r[2] == ""]
    assert len(missing) == total // 24  # 04:00 UTC each day: empty, never 0
    assert {r[3] for r in table[1:]} == {"0", "1.25"}


def test_one_year_json_and_yaml_hold_every_point(year):
    client, auth, query_id, total = year
    doc = json.loads(
        client.simulate_get(f"/api/consultas/{query_id}/descargar?formato=json", headers=auth).text
    )
    assert doc["serie_total"] == len(doc["serie"]) == total


def test_the_connection_is_held_only_while_the_series_streams(year, sql_container):
    client, auth, query_id, _ = year
    pool = sql_container.engine().pool
    export = sql_container.export_query()
    download = export(ExportQueryCommand(principal(sql_container, client, auth), query_id, "csv"))
    assert pool.checkedout() == 0  # the checks are done and their connection is back
    next(download.chunks)
    assert pool.checkedout() == 1
    download.chunks.close()  # the client hung up mid-download
    assert pool.checkedout() == 0
    download = export(ExportQueryCommand(principal(sql_container, client, auth), query_id, "txt"))
    assert sum(1 for _ in download.chunks) > 10
    assert pool.checkedout() == 0


def test_streaming_a_year_uses_no_more_memory_than_a_day(year, sql_container):
    client, auth, year_id, _ = year
    day_id, _ = create_history(client, auth, 1)
    who = principal(sql_container, client, auth)

    def peak(query_id: int) -> tuple[int, int]:
        download = sql_container.export_query()(ExportQueryCommand(who, query_id, "csv", ";"))
        tracemalloc.start()
        written = sum(len(chunk) for chunk in download.chunks)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top, written

    def materialised(query_id: int) -> int:
        tracemalloc.start()
        with sql_container.uow() as uow:
            rows = list(uow.queries.iter_series(query_id))
            _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert rows
        return top

    peak(day_id)  # warm up: imports, compiled statements, pool
    day, _ = peak(day_id)
    whole_year, written = peak(year_id)
    assert written > 300_000
    held_list = materialised(year_id)
    assert whole_year - day < 4 * 1024 * 1024, (day, whole_year)
    assert whole_year - day < held_list / 4, (day, whole_year, held_list)

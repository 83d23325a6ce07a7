"""Golden stored rows: what the SQL adapter writes for each query type, before the refactoring.

The golden session (test_golden_session.py) runs over the memory adapters; issue 11 also moves
how the sql adapter writes and reads `respuesta_api`, the summary and the series ("keeps its
shape, no data migration needed"). This test runs, on a migrated SQLite file, a current query
(one provider, then two with the user's key), an hourly and a daily history and a query that
ends in `error`, then records the raw rows (plain SQL, not the adapter's table objects) of
consultas, datos_clima and series_clima (JSON columns parsed) plus each query read back through
the API (its detail and its csv download: the SQL read path). `stored.json` holds the result,
normalised with session.json's recorder (ids by value, id#N in order of appearance, across
tables; per-run values as "<ts>"; the fixed clock's instants in the rows stay as stored).

After an intended change, rewrite the file and review its diff:
    CLIMAGURU_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/golden -q
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.golden.recorder import Session
from tests.golden.script_accounts import ENSCHEDE, PASSWORD
from tests.golden.stored_rows import stored_rows
from tests.golden.upstream import golden_app

GOLDEN = Path(__file__).with_name("stored.json")
DAYS = {
    **ENSCHEDE,
    "ciudad": "Enschede",
    "fecha_inicio": "1953-01-31",
    "fecha_fin": "1953-02-01",
    "zona_horaria": "Europe/Amsterdam",
}
QUERIES = (
    (
        "current by city, one provider",
        "/api/consultas/tiempo-real",
        {"ciudad": "Enschede", "proveedores": ["open_meteo"]},
    ),
    (
        "history hourly, two days (one variable without data)",
        "/api/consultas/historico",
        {
            **DAYS,
            "granularidad": "horaria",
            "parametros": ["temperatura", "velocidad_viento", "precipitacion"],
        },
    ),
    (
        "history daily",
        "/api/consultas/historico",
        {**DAYS, "granularidad": "diaria", "parametros": ["rafaga_viento", "precipitacion"]},
    ),
    (
        "current ends in error (no key for openweathermap)",
        "/api/consultas/tiempo-real",
        {**ENSCHEDE, "proveedores": ["openweathermap"]},
    ),
)
OWM_KEY = {"proveedor": "openweathermap", "api_key": "owm-7f3a9c2e4b1d8a6f"}
BOTH = {**ENSCHEDE, "proveedores": ["open_meteo", "openweathermap"]}


def _record(s: Session, engine: sa.Engine) -> dict[str, Any]:
    user = {"username": "guardada", "email": "guardada@ejemplo.co", "password": PASSWORD}
    token = s.call("register", "POST", "/api/auth/register", json=user).json["access_token"]
    for note, path, body in QUERIES:
        s.call(note, "POST", path, token, json=body)
    s.call("user's openweathermap key", "POST", "/api/api-keys", token, json=OWM_KEY)
    s.call("current, two providers", "POST", "/api/consultas/tiempo-real", token, json=BOTH)
    with engine.connect() as conn:
        qids = conn.execute(sa.text("SELECT id FROM consultas ORDER BY id")).scalars().all()
    for qid in qids:  # read back from the database by the API: the SQL read path
        s.call("read back", "GET", f"/api/consultas/{qid}", token)
        params = {"formato": "csv"}
        s.call("csv download", "GET", f"/api/consultas/{qid}/descargar", token, params=params)
    return {"api": s.steps, "tables": stored_rows(engine, s.ids)}


def _dump(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _first_path(old: Any, new: Any, path: str = "") -> str:
    """Where two JSON values first differ, e.g. tables.series_clima[3].lecturas."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            if old.get(key, ...) != new.get(key, ...):
                return _first_path(old.get(key), new.get(key), f"{path}.{key}".lstrip("."))
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for n, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                return _first_path(a, b, f"{path}[{n}]")
    return path or "(top)"


def _difference(expected: Any, actual: Any, lines: int = 120) -> str:
    diff = list(
        difflib.unified_diff(
            _dump(expected).splitlines(), _dump(actual).splitlines(), "golden", "now", lineterm=""
        )
    )
    shown = "\n".join(diff[:lines])
    more = f"\n... {len(diff) - lines} more diff lines" if len(diff) > lines else ""
    return (
        f"stored rows differ from {GOLDEN.name}, first at {_first_path(expected, actual)}:\n"
        + shown
        + more
    )


def test_what_the_sql_adapter_stores_is_as_recorded(tmp_path, sqlite_url):
    with golden_app(tmp_path, sqlite_url) as (client, container, _clock):
        recorded = _record(Session(client), container.engine())
    if os.environ.get("CLIMAGURU_GOLDEN_UPDATE") == "1":
        GOLDEN.write_text(_dump(recorded), encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name}: review its diff")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = json.loads(_dump(recorded))
    if actual != expected:
        pytest.fail(_difference(expected, actual), pytrace=False)

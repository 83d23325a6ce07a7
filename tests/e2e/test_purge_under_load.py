"""`climaguru purge` on a MariaDB holding a year of queries, while gunicorn serves reads and
writes: every request succeeds, nothing waits on a lock for a second, exactly the old rows go."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pymysql
import pytest
import requests

from tests.e2e import retention_seed as year
from tests.e2e.harness import (
    OPEN_METEO_CURRENT,
    Gunicorn,
    Loops,
    MariaDB,
    bearer,
    cli,
    open_meteo_stack,
    register,
)

pytestmark = [pytest.mark.e2e, pytest.mark.mysql]
KEEP_DAYS, AUDIT_KEEP_DAYS = 180, 400
DB = "climaguru"


@pytest.fixture
def stack(tmp_path) -> Iterator[tuple[MariaDB, Gunicorn, dict[str, str]]]:
    with open_meteo_stack(tmp_path, DB) as (db, server, fake, env):
        fake.behave(OPEN_METEO_CURRENT, "ok")
        yield db, server, env


class Load(Loops):
    """Bounded request loops, one thread each, recording (start, path, status, seconds)."""

    def __init__(self, url: str, tokens: list[str], max_s: float = 50.0) -> None:
        here = {"latitud": 6.25, "longitud": -75.56}
        self.loops = [("GET", "/api/consultas/mis-consultas", None, tokens[0]),
                      ("GET", "/api/auth/me", None, tokens[1]),
                      ("GET", "/api/consultas/mis-consultas?page=3", None, tokens[1]),
                      ("POST", "/api/consultas/tiempo-real", here, tokens[0])]  # fmt: skip
        self.url, self.max_s = url, max_s
        self.results: list[tuple[float, str, int, float]] = []
        self._stop, self._lock = threading.Event(), threading.Lock()
        self._threads = [threading.Thread(target=self._loop, args=loop) for loop in self.loops]

    def _loop(self, method: str, path: str, body: dict | None, token: str) -> None:
        end = time.monotonic() + self.max_s
        with requests.Session() as session:
            while not self._stop.is_set() and time.monotonic() < end:
                started = time.monotonic()
                try:
                    resp = session.request(
                        method, self.url + path, json=body, headers=bearer(token), timeout=10
                    )
                    status = resp.status_code
                except requests.RequestException:
                    status = 0
                with self._lock:
                    self.results.append((started, path, status, time.monotonic() - started))
                time.sleep(0.02)

    def between(self, start: float, end: float) -> list[tuple[float, str, int, float]]:
        with self._lock:
            return [r for r in self.results if start <= r[0] < end]


def _sql(db: MariaDB, query: str, *args) -> int:
    conn = pymysql.connect(host="127.0.0.1", port=db.port, user="root", database=DB)
    try:
        with conn.cursor() as cur:
            cur.execute(query, args)
            conn.commit()
            row = cur.fetchone()
            return int(row[-1]) if row else 0
    finally:
        conn.close()


def _untouchable(db: MariaDB) -> dict[str, int]:
    return {t: _sql(db, f"SELECT COUNT(*) FROM {t}")
            for t in ("usuarios", "api_keys", "ciudades_favoritas")}  # fmt: skip


def test_a_year_of_queries_is_purged_under_load_without_a_failed_request(stack):
    db, server, env = stack
    users = [register(server.url, name) for name in ("carga_uno", "carga_dos")]
    ids = [u["usuario"]["id"] for u in users]
    for uid in ids:
        _sql(db, "INSERT INTO api_keys (usuario_id, proveedor, api_key_encrypted) "
             "VALUES (%s, 'openweathermap', 'cifrado')", uid)  # fmt: skip
        _sql(db, "INSERT INTO ciudades_favoritas (usuario_id, nombre_ciudad, latitud, longitud) "
             "VALUES (%s, 'Medellín', 6.25, -75.56)", uid)  # fmt: skip
    now = datetime.now(UTC)
    t0 = time.monotonic()
    year.seed_year(db.port, DB, ids, now)
    seeded_s = time.monotonic() - t0
    kept_queries = KEEP_DAYS * year.QUERIES_PER_DAY  # ages 0.5 .. 179.5 days
    purged_queries = (year.QUERY_DAYS - KEEP_DAYS) * year.QUERIES_PER_DAY
    purged_audit = (year.AUDIT_DAYS - AUDIT_KEEP_DAYS) * 2
    before = _untouchable(db)
    waits_before = _sql(db, "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_waits'")

    with Load(server.url, [u["access_token"] for u in users]) as load:
        time.sleep(3.0)  # the normal latency of this load, before the purge
        t_purge = time.monotonic()
        done = cli(env, server.workdir, "purge", "--older-than", str(KEEP_DAYS),
                   "--audit-older-than", str(AUDIT_KEEP_DAYS), "--json")  # fmt: skip
        t_done = time.monotonic()
        time.sleep(1.0)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)

    # The report says exactly what the year held beyond the cutoffs, children included.
    assert (report["consultas"], report["datos_clima"], report["series_clima"]) == (
        purged_queries,
        purged_queries,
        purged_queries * year.SERIES_PER_QUERY,
    )
    assert report["logs_actividad"] == purged_audit and report["simulacion"] is False
    # ... and the database agrees: nothing older is left, everything younger is intact.
    old = "DATE_SUB(UTC_TIMESTAMP(6), INTERVAL %s DAY)"
    assert _sql(db, f"SELECT COUNT(*) FROM consultas WHERE creada_en < {old}", KEEP_DAYS) == 0
    seeded = f"BETWEEN {year.FIRST_ID} AND {year.LAST_ID}"
    assert _sql(db, f"SELECT COUNT(*) FROM consultas WHERE id {seeded}") == kept_queries
    assert _sql(db, f"SELECT COUNT(*) FROM datos_clima WHERE consulta_id {seeded}") == kept_queries
    kept_series = _sql(db, f"SELECT COUNT(*) FROM series_clima WHERE consulta_id {seeded}")
    assert kept_series == kept_queries * year.SERIES_PER_QUERY
    assert _sql(db, f"SELECT COUNT(*) FROM logs_actividad WHERE creado_en < {old}",
                AUDIT_KEEP_DAYS) == 0  # fmt: skip
    seeded_audit_left = _sql(db, "SELECT COUNT(*) FROM logs_actividad WHERE ip_address = "
                             "'10.0.0.7'")  # fmt: skip
    assert seeded_audit_left == AUDIT_KEEP_DAYS * 2
    assert _untouchable(db) == before

    # Every request during the run succeeded, none waited on a lock for a second.
    everything = load.results
    failed = [r for r in everything if not 200 <= r[2] < 300]
    assert not failed, failed[:5]
    normal = load.between(0, t_purge)
    # The deleting itself is the last `segundos` of the CLI's run (the rest is its start-up):
    # every request that overlapped that span, even partly.
    deleting = (t_done - report["segundos"] - 0.2, t_done)
    during = [r for r in everything if r[0] < deleting[1] and r[0] + r[3] > deleting[0]]
    assert len(normal) > 20 and len(during) > 10
    normal_max, during_max = max(r[3] for r in normal), max(r[3] for r in during)
    assert during_max < normal_max + 1.0, (normal_max, during_max)
    assert {r[1] for r in during} == {loop[1] for loop in load.loops}
    lock_wait_max_ms = _sql(db, "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_time_max'")
    assert lock_wait_max_ms < 1000
    waits = _sql(db, "SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_waits'") - waits_before
    rows = purged_queries * (2 + year.SERIES_PER_QUERY) + purged_audit
    print(
        f"\nseeded {year.QUERY_DAYS * year.QUERIES_PER_DAY} queries in {seeded_s:.1f} s; "
        f"purge {rows} rows in {report['segundos']} s ({rows / report['segundos']:.0f} rows/s, "
        f"{report['lotes']} batches, CLI wall with start-up {t_done - t_purge:.1f} s); "
        f"{len(during)} requests during it, max latency {during_max * 1000:.0f} ms "
        f"(normal max {normal_max * 1000:.0f} ms); row lock waits {waits}, "
        f"longest {lock_wait_max_ms} ms"
    )

"""A year of queries (with summaries and series) and two years of audit log, inserted in SQL.

Straight INSERTs with pymysql (multi-row executemany): the API would need minutes for this.
Ages are whole days plus 12 h, so no row sits near a cutoff of whole days.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pymysql

QUERIES_PER_DAY = 6
SERIES_PER_QUERY = 24
QUERY_DAYS = 365
AUDIT_DAYS = 800
CHUNK = 5000
FIRST_ID = 100_001  # the API's own queries come after the seeded ones
LAST_ID = FIRST_ID + QUERY_DAYS * QUERIES_PER_DAY - 1
DATOS = json.dumps({"temperatura": {"valor": 21.5, "unidad": "°C", "min": 21.0, "max": 22.0,
                                    "desviacion": 0.5, "n_fuentes": 2,
                                    "fuentes": ["meteoblue", "open_meteo"]}})  # fmt: skip


def age(row_time: datetime, now: datetime) -> float:
    return (now - row_time).total_seconds() / 86400


def seed_year(port: int, database: str, user_ids: list[int], now: datetime) -> None:
    """QUERY_DAYS x QUERIES_PER_DAY queries spread over `user_ids`, ids from FIRST_ID up."""
    consultas, datos, series, logs = [], [], [], []
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    query_id = FIRST_ID - 1
    for day in range(QUERY_DAYS):
        for n in range(QUERIES_PER_DAY):
            query_id += 1
            created = naive_now - timedelta(days=day, hours=12, minutes=n)
            user = user_ids[query_id % len(user_ids)]
            consultas.append((query_id, user, created, created + timedelta(seconds=2)))
            datos.append((query_id, created))
            for h in range(SERIES_PER_QUERY):
                series.append((query_id, created - timedelta(hours=h), DATOS))
    for day in range(AUDIT_DAYS):
        created = naive_now - timedelta(days=day, hours=12)
        logs.extend((user_ids[day % len(user_ids)], created) for _ in range(2))
    conn = pymysql.connect(host="127.0.0.1", port=port, user="root", database=database)
    try:
        with conn.cursor() as cur:
            _many(cur, "INSERT INTO consultas (id, usuario_id, tipo_consulta, ciudad, latitud, "
                  "longitud, formato_salida, parametros_solicitados, estado, tiempo_respuesta_ms, "
                  "creada_en, completada_en) VALUES (%s, %s, 'historico', 'Medellín', 6.25, "
                  "-75.56, 'json', '{}', 'completada', 850, %s, %s)", consultas)  # fmt: skip
            _many(cur, "INSERT INTO datos_clima (consulta_id, temperatura_promedio, "
                  "fuentes_utilizadas, datos_completos, guardado_en) "
                  "VALUES (%s, 21.5, '[\"open_meteo\"]', '{}', %s)", datos)  # fmt: skip
            _many(cur, "INSERT INTO series_clima (consulta_id, instante, datos, temperatura) "
                  "VALUES (%s, %s, %s, 21.5)", series)  # fmt: skip
            _many(cur, "INSERT INTO logs_actividad (usuario_id, accion, ip_address, creado_en) "
                  "VALUES (%s, 'login', '10.0.0.7', %s)", logs)  # fmt: skip
        conn.commit()
    finally:
        conn.close()


def _many(cur, sql: str, rows: list[tuple]) -> None:
    for start in range(0, len(rows), CHUNK):
        cur.executemany(sql, rows[start : start + CHUNK])

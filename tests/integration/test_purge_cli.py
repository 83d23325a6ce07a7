"""`climaguru purge` on the embedded SQLite: dry run, the real run, and what it refuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime

import sqlalchemy as sa

from adapters.sql.engine import make_engine
from adapters.sql.uow import SqlAlchemyUnitOfWork
from climaguru.migrations import upgrade
from tests.retention_data import SERIES_PER_QUERY, SESSION_ACCESS_TTL, seed, seed_sessions

TABLES = ("consultas", "datos_clima", "series_clima", "logs_actividad", "usuarios", "api_keys",
          "ciudades_favoritas", "tokens_revocados", "tokens_refresco",
          "familias_tokens")  # fmt: skip


def _purge(tmp_path, *args, **env):
    return subprocess.run(
        [sys.executable, "-m", "climaguru", "purge", *args],
        env={**os.environ, "CLIMAGURU_ENV": "development", "CLIMAGURU_DATA_DIR": str(tmp_path),
             "LOG_LEVEL": "WARNING", **env},
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.scalar(sa.text(f"SELECT COUNT(*) FROM {t}")) for t in TABLES}


def test_purge_uses_the_retention_settings_and_reports_counts(tmp_path):
    url = f"sqlite:///{tmp_path / 'climaguru.db'}"
    upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    owner = seed(lambda: SqlAlchemyUnitOfWork(engine), [1, 10, 400, 500], [5, 400, 800], now)
    sessions = seed_sessions(lambda: SqlAlchemyUnitOfWork(engine), owner["owner"], now)
    before = _counts(engine)
    env = {"RETENTION_DAYS": "365",  # AUDIT_RETENTION_DAYS: 730 by default
           "JWT_ACCESS_TOKEN_EXPIRES": str(SESSION_ACCESS_TTL)}  # fmt: skip

    dry = _purge(tmp_path, "--dry-run", "--json", **env)
    assert dry.returncode == 0, dry.stderr
    doc = json.loads(dry.stdout)
    expected = {"consultas": 2, "datos_clima": 2, "series_clima": 2 * SERIES_PER_QUERY,
                "logs_actividad": 1, "tokens_revocados": 1, "tokens_refresco": 4,
                "familias_tokens": 2}  # fmt: skip
    assert {k: doc[k] for k in expected} == expected and doc["simulacion"] is True
    assert _counts(engine) == before

    done = _purge(tmp_path, "--batch-size", "1", **env)
    assert done.returncode == 0, done.stderr
    assert "Borradas: 2 consultas" in done.stdout and "1 entradas de auditoría" in done.stdout
    after = _counts(engine)
    assert after == {**before, "consultas": 2, "datos_clima": 2,
                     "series_clima": 2 * SERIES_PER_QUERY, "logs_actividad": 2,
                     "tokens_revocados": 2, "tokens_refresco": 3, "familias_tokens": 3}  # fmt: skip
    assert "4 tokens de refresco, 2 familias y 1 tokens revocados" in done.stdout
    with engine.connect() as conn:
        kept = set(conn.scalars(sa.text("SELECT jti FROM tokens_refresco")))
    assert kept == sessions["kept_refresh"]
    engine.dispose()


def test_purge_refuses_days_below_one_and_a_shorter_audit_period(tmp_path):
    upgrade(f"sqlite:///{tmp_path / 'climaguru.db'}")
    zero = _purge(tmp_path, "--older-than", "0")
    assert zero.returncode == 2 and "al menos 1" in zero.stderr
    short = _purge(tmp_path, "--older-than", "30", "--audit-older-than", "10")
    assert short.returncode == 2 and "auditoría" in short.stderr
    bad = _purge(tmp_path, RETENTION_DAYS="400", AUDIT_RETENTION_DAYS="100")
    assert bad.returncode == 2 and "AUDIT_RETENTION_DAYS" in bad.stderr

"""One alembic history that upgrades and downgrades cleanly on SQLite and MariaDB."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from adapters.sql.engine import make_engine
from climaguru.migrations import downgrade, upgrade
from tests.conftest import MYSQL_SERVER

TABLES = {
    "usuarios",
    "api_keys",
    "consultas",
    "datos_clima",
    "logs_actividad",
    "ciudades_favoritas",
    "familias_tokens",
    "tokens_refresco",
    "tokens_revocados",
    "intentos_login",
    "uso_claves_sistema",
    "ventanas_consultas",
}
VIEWS = {"vista_consultas_completas", "vista_estadisticas_usuarios"}


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mig.db'}"
        return
    request.getfixturevalue("mysql_url")  # skips (or fails in CI) when MariaDB is unreachable
    name = f"climaguru_mig_{uuid.uuid4().hex[:8]}"
    server = sa.create_engine(MYSQL_SERVER)
    with server.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    yield f"{MYSQL_SERVER}/{name}?charset=utf8mb4"
    with server.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE {name}")
    server.dispose()


def _objects(url: str) -> tuple[set[str], set[str]]:
    engine = make_engine(url)
    try:
        inspector = sa.inspect(engine)
        return set(inspector.get_table_names()), set(inspector.get_view_names())
    finally:
        engine.dispose()


def _insert_query(conn: sa.Connection, user_id: int, query_type: str) -> None:
    """A completed JSON query of `query_type` for `user_id`, written with plain SQL."""
    conn.execute(
        sa.text(
            "INSERT INTO consultas (usuario_id, tipo_consulta, estado, formato_salida, "
            "creada_en) VALUES (:u, :tipo, 'completada', 'json', :t)"
        ),
        {"u": user_id, "tipo": query_type, "t": "2026-01-01 00:00:00"},
    )


def test_upgrade_downgrade_upgrade(empty_url):
    upgrade(empty_url)
    tables, views = _objects(empty_url)
    assert tables >= TABLES and views == VIEWS
    downgrade(empty_url, "base")
    tables, views = _objects(empty_url)
    assert tables <= {"alembic_version"} and views == set()
    upgrade(empty_url)
    assert _objects(empty_url)[0] >= TABLES


def test_schema_rules_hold_in_the_database(empty_url):
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO usuarios (username, username_normalizado, email, password_hash, "
                    "rol, activo, creado_en, actualizado_en) VALUES "
                    "('Ñandú', 'ñandú', 'n@x.co', 'h', 'operario', 1, :t, :t)"
                ),
                {"t": "2026-01-01 00:00:00"},
            )
            user_id = conn.execute(sa.text("SELECT id FROM usuarios")).scalar_one()
            _insert_query(conn, user_id, "tiempo_real")
            conn.execute(
                sa.text(
                    "INSERT INTO logs_actividad (usuario_id, accion, creado_en) "
                    "VALUES (:u, 'x', :t)"
                ),
                {"u": user_id, "t": "2026-01-01 00:00:00"},
            )
        with engine.begin() as conn:
            stats = (
                conn.execute(sa.text("SELECT * FROM vista_estadisticas_usuarios")).mappings().one()
            )
            assert (stats["username"], stats["total_consultas"], stats["consultas_exitosas"]) == (
                "Ñandú",
                1,
                1,
            )
            assert (
                conn.execute(sa.text("SELECT COUNT(*) FROM vista_consultas_completas")).scalar()
                == 1
            )
        with pytest.raises((sa.exc.IntegrityError, sa.exc.DataError)), engine.begin() as conn:
            _insert_query(conn, user_id, "inventado")
        # Deleting a user cascades to its queries and keeps its log rows with usuario_id NULL.
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM usuarios"))
            assert conn.execute(sa.text("SELECT COUNT(*) FROM consultas")).scalar() == 0
            assert conn.execute(sa.text("SELECT usuario_id FROM logs_actividad")).scalar() is None
    finally:
        engine.dispose()


@pytest.mark.mysql
def test_mysql_tables_are_utf8mb4_innodb(mysql_engine):
    with mysql_engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT table_name, engine, table_collation FROM information_schema.tables "
                "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
            )
        ).all()
    by_name = {r[0]: (r[1], r[2]) for r in rows}
    for table in TABLES:
        assert by_name[table] == ("InnoDB", "utf8mb4_unicode_ci"), table


def test_0004_adds_the_budget_tables_and_takes_them_away(empty_url):
    """Issue 12.1: the counters come with 0004 and leave with its downgrade, nothing else."""
    upgrade(empty_url, "0003")
    before = _objects(empty_url)[0]
    assert not before & {"uso_claves_sistema", "ventanas_consultas"}
    upgrade(empty_url)
    assert _objects(empty_url)[0] == before | {"uso_claves_sistema", "ventanas_consultas"}
    downgrade(empty_url, "0003")
    assert _objects(empty_url)[0] == before


def _user(conn: sa.Connection) -> int:
    conn.execute(
        sa.text(
            "INSERT INTO usuarios (username, username_normalizado, email, password_hash, "
            "rol, activo, creado_en, actualizado_en) VALUES "
            "('ana', 'ana', 'a@x.co', 'h', 'operario', 1, :t, :t)"
        ),
        {"t": "2026-01-01 00:00:00"},
    )
    return conn.execute(sa.text("SELECT id FROM usuarios")).scalar_one()


def _series_row(conn: sa.Connection, query_id: int) -> None:
    conn.execute(
        sa.text("INSERT INTO series_clima (consulta_id, instante, datos) VALUES (:q, :t, '{}')"),
        {"q": query_id, "t": "2026-01-01 00:00:00"},
    )


def test_0005_admits_forecasts_keeps_every_row_and_refuses_to_go_back_over_them(empty_url):
    """Issue 13: 'pronostico' comes with 0005; history rows and their series survive both
    ways; the downgrade refuses, saying why, while a forecast row exists."""
    upgrade(empty_url, "0004")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            user = _user(conn)
            _insert_query(conn, user, "historico")
            _series_row(conn, conn.execute(sa.text("SELECT MAX(id) FROM consultas")).scalar())
        with pytest.raises((sa.exc.IntegrityError, sa.exc.DataError)), engine.begin() as conn:
            _insert_query(conn, user, "pronostico")
        engine.dispose()
        upgrade(empty_url)
        with engine.begin() as conn:
            _insert_query(conn, user, "pronostico")
            forecast = conn.execute(sa.text("SELECT MAX(id) FROM consultas")).scalar()
            conn.execute(
                sa.text(
                    "INSERT INTO series_clima (consulta_id, instante, datos, "
                    "probabilidad_precipitacion) VALUES (:q, :t, '{}', 40)"
                ),
                {"q": forecast, "t": "2026-01-01 01:00:00"},
            )
            assert conn.execute(sa.text("SELECT COUNT(*) FROM series_clima")).scalar() == 2
        with pytest.raises((sa.exc.IntegrityError, sa.exc.DataError)), engine.begin() as conn:
            _insert_query(conn, user, "inventado")
        engine.dispose()
        with pytest.raises(RuntimeError, match="1 consultas de tipo 'pronostico'"):
            downgrade(empty_url, "0004")
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM consultas WHERE tipo_consulta = 'pronostico'"))
        engine.dispose()
        downgrade(empty_url, "0004")
        with engine.begin() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM consultas")).scalar() == 1
            assert conn.execute(sa.text("SELECT COUNT(*) FROM series_clima")).scalar() == 1
            columns = {c["name"] for c in sa.inspect(conn).get_columns("series_clima")}
            assert "probabilidad_precipitacion" not in columns
        with pytest.raises((sa.exc.IntegrityError, sa.exc.DataError)), engine.begin() as conn:
            _insert_query(conn, user, "pronostico")
    finally:
        engine.dispose()


def _consultas_indexes(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {ix["name"] for ix in sa.inspect(engine).get_indexes("consultas")}
    finally:
        engine.dispose()


def test_0006_indexes_a_users_listing_and_takes_the_index_away(empty_url):
    """Issue 15: mis-consultas reads (usuario_id, creada_en, id) in order; 0005 lacks it."""
    upgrade(empty_url, "0005")
    before = _consultas_indexes(empty_url)
    assert "ix_consultas_usuario_creada" not in before
    upgrade(empty_url)
    assert _consultas_indexes(empty_url) == before | {"ix_consultas_usuario_creada"}
    downgrade(empty_url, "0005")
    assert _consultas_indexes(empty_url) == before

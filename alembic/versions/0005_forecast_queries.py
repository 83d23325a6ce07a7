"""tipo_consulta gains 'pronostico'; series_clima gains probabilidad_precipitacion.

Forecast queries (issue 13) are stored as histories are: a consultas row, its datos_clima
and one series_clima row per step; the chance of precipitation gets its own plain column so
CSV and TXT downloads of a forecast read it as they read the other variables.

SQLite keeps the enum as a CHECK constraint. Rebuilding consultas to change it would DROP
the table, and with foreign keys on that deletes every datos_clima and series_clima row
(ON DELETE CASCADE), so the CHECK is rewritten in place instead (writable_schema, the
procedure sqlite.org documents for changing CHECK constraints). MariaDB changes its ENUM.

The downgrade refuses while forecast rows exist: taking the value away would leave rows the
old schema forbids. Delete them first (or keep this revision).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD = ("tiempo_real", "historico")
NEW = (*OLD, "pronostico")
COLUMN = "probabilidad_precipitacion"


def _check(values: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    return f"CHECK (tipo_consulta IN ({listed}))"


def _set_types(values: tuple[str, ...], before: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.alter_column(
            "consultas",
            "tipo_consulta",
            existing_type=sa.Enum(*before, name="tipo_consulta"),
            type_=sa.Enum(*values, name="tipo_consulta"),
            existing_nullable=False,
        )
        return
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'consultas'"
    ).scalar_one()
    if _check(before) not in sql:
        raise RuntimeError("consultas no tiene la restricción de tipo_consulta esperada")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.execute(
        sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'consultas'"),
        {"sql": sql.replace(_check(before), _check(values))},
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _set_types(NEW, OLD)
    with op.batch_alter_table("series_clima") as batch:
        batch.add_column(sa.Column(COLUMN, sa.Float(), nullable=True))


def downgrade() -> None:
    forecasts = (
        op.get_bind()
        .execute(sa.text("SELECT COUNT(*) FROM consultas WHERE tipo_consulta = 'pronostico'"))
        .scalar_one()
    )
    if forecasts:
        raise RuntimeError(
            f"no se puede volver a 0004: hay {forecasts} consultas de tipo 'pronostico', que "
            "el esquema anterior no admite; bórrelas antes (DELETE FROM consultas WHERE "
            "tipo_consulta = 'pronostico') o quédese en 0005"
        )
    with op.batch_alter_table("series_clima") as batch:
        batch.drop_column(COLUMN)
    _set_types(OLD, NEW)

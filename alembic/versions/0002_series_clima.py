"""series_clima: one consensus row per instant of a historical query.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INSTANT = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "series_clima",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("consulta_id", sa.Integer(), nullable=False),
        sa.Column("instante", INSTANT, nullable=False),
        sa.Column("datos", sa.JSON(), nullable=False),
        sa.Column("lecturas", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["consulta_id"],
            ["consultas.id"],
            name=op.f("fk_series_clima_consulta_id_consultas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series_clima")),
        sa.UniqueConstraint("consulta_id", "instante", name="uq_series_clima_consulta_instante"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )


def downgrade() -> None:
    op.drop_table("series_clima")

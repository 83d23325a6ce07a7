"""uso_claves_sistema and ventanas_consultas: daily budgets on the system keys, query rate.

Per user, provider and day, the calls made with the system key (a spent budget skips the
provider as cuota_agotada); per user and one-minute window, the queries started (429 beyond
the limit). Both are charged by one conditional UPDATE, shared by every worker and host.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MYSQL_TABLE = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}


def upgrade() -> None:
    op.create_table(
        "uso_claves_sistema",
        sa.Column(
            "usuario_id",
            sa.Integer,
            sa.ForeignKey(
                "usuarios.id",
                ondelete="CASCADE",
                name=op.f("fk_uso_claves_sistema_usuario_id_usuarios"),
            ),
            nullable=False,
        ),
        sa.Column("proveedor", sa.String(50), nullable=False),
        sa.Column("dia", sa.Date, nullable=False),
        sa.Column("consultas", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint(
            "usuario_id", "proveedor", "dia", name=op.f("pk_uso_claves_sistema")
        ),
        **MYSQL_TABLE,
    )
    op.create_index(op.f("ix_uso_claves_sistema_dia"), "uso_claves_sistema", ["dia"])
    op.create_table(
        "ventanas_consultas",
        sa.Column(
            "usuario_id",
            sa.Integer,
            sa.ForeignKey(
                "usuarios.id",
                ondelete="CASCADE",
                name=op.f("fk_ventanas_consultas_usuario_id_usuarios"),
            ),
            nullable=False,
        ),
        sa.Column("minuto", sa.BigInteger, nullable=False),
        sa.Column("consultas", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("usuario_id", "minuto", name=op.f("pk_ventanas_consultas")),
        **MYSQL_TABLE,
    )
    op.create_index(op.f("ix_ventanas_consultas_minuto"), "ventanas_consultas", ["minuto"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ventanas_consultas_minuto"), table_name="ventanas_consultas")
    op.drop_table("ventanas_consultas")
    op.drop_index(op.f("ix_uso_claves_sistema_dia"), table_name="uso_claves_sistema")
    op.drop_table("uso_claves_sistema")

"""series_clima: one plain column per variable with the consensus value.

CSV and TXT exports of long series read these instead of decoding every row's JSON
(10 years hourly: 87 600 rows).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

VARIABLES = (
    "temperatura", "temperatura_min", "temperatura_max", "sensacion_termica",
    "humedad_relativa", "presion_atmosferica", "velocidad_viento", "direccion_viento",
    "rafaga_viento", "precipitacion", "nubosidad", "visibilidad", "indice_uv",
    "descripcion_clima",
)  # fmt: skip


def upgrade() -> None:
    with op.batch_alter_table("series_clima") as batch:
        for name in VARIABLES:
            batch.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("series_clima") as batch:
        for name in reversed(VARIABLES):
            batch.drop_column(name)

"""Initial schema: the six tables of the original design, auth tables and the two views.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# UTC instants; microseconds on MySQL/MariaDB.
INSTANT = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

VIEWS = {
    "vista_consultas_completas": """
        SELECT c.id, c.tipo_consulta, c.ciudad, c.latitud, c.longitud, c.estado, c.creada_en,
               u.username, u.nombre_completo,
               dc.temperatura_promedio, dc.presion_atmosferica, dc.velocidad_viento
        FROM consultas c
        JOIN usuarios u ON c.usuario_id = u.id
        LEFT JOIN datos_clima dc ON c.id = dc.consulta_id
    """,
    "vista_estadisticas_usuarios": """
        SELECT u.id, u.username, u.nombre_completo,
               COUNT(c.id) AS total_consultas,
               COUNT(CASE WHEN c.estado = 'completada' THEN 1 END) AS consultas_exitosas,
               MAX(c.creada_en) AS ultima_consulta
        FROM usuarios u
        LEFT JOIN consultas c ON u.id = c.usuario_id
        WHERE u.activo = 1
        GROUP BY u.id, u.username, u.nombre_completo
    """,
}


def upgrade() -> None:
    op.create_table(
        "intentos_login",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clave", sa.String(length=160), nullable=False),
        sa.Column("ocurrido_en", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intentos_login")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("intentos_login", schema=None) as batch_op:
        batch_op.create_index(
            "ix_intentos_login_clave_ocurrido_en", ["clave", "ocurrido_en"], unique=False
        )

    op.create_table(
        "usuarios",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("username_normalizado", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("nombre_completo", sa.String(length=100), nullable=True),
        sa.Column(
            "rol",
            sa.Enum("admin", "operario", "consultor", name="rol_usuario", create_constraint=True),
            server_default="operario",
            nullable=False,
        ),
        sa.Column(
            "activo",
            sa.Boolean(),
            server_default=sa.text("1"),
            nullable=False,
        ),
        sa.Column("ultimo_login", INSTANT, nullable=True),
        sa.Column("tokens_validos_desde", INSTANT, nullable=True),
        sa.Column(
            "creado_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "actualizado_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usuarios")),
        sa.UniqueConstraint("email", name=op.f("uq_usuarios_email")),
        sa.UniqueConstraint("username_normalizado", name=op.f("uq_usuarios_username_normalizado")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("usuarios", schema=None) as batch_op:
        batch_op.create_index("ix_usuarios_rol", ["rol"], unique=False)

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("proveedor", sa.String(length=50), nullable=False),
        sa.Column("api_key_encrypted", sa.Text(), nullable=False),
        sa.Column("api_secret_encrypted", sa.Text(), nullable=True),
        sa.Column("descripcion", sa.String(length=255), nullable=True),
        sa.Column(
            "activa",
            sa.Boolean(),
            server_default=sa.text("1"),
            nullable=False,
        ),
        sa.Column("limite_consultas_diarias", sa.Integer(), server_default="1000", nullable=False),
        sa.Column("consultas_realizadas", sa.Integer(), server_default="0", nullable=False),
        sa.Column("dia_consultas", sa.Date(), nullable=True),
        sa.Column("ultimo_uso", INSTANT, nullable=True),
        sa.Column(
            "creada_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "actualizada_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_api_keys_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("usuario_id", "proveedor", name="uq_api_keys_usuario_proveedor"),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index("ix_api_keys_activa", ["activa"], unique=False)
        batch_op.create_index("ix_api_keys_proveedor", ["proveedor"], unique=False)

    op.create_table(
        "ciudades_favoritas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("nombre_ciudad", sa.String(length=100), nullable=False),
        sa.Column("pais", sa.String(length=50), nullable=True),
        sa.Column("latitud", sa.Numeric(precision=10, scale=8), nullable=False),
        sa.Column("longitud", sa.Numeric(precision=11, scale=8), nullable=False),
        sa.Column(
            "es_default",
            sa.Boolean(),
            server_default=sa.text("0"),
            nullable=False,
        ),
        sa.Column(
            "creada_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_ciudades_favoritas_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ciudades_favoritas")),
        sa.UniqueConstraint(
            "usuario_id", "latitud", "longitud", name="uq_ciudades_favoritas_usuario_coord"
        ),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("ciudades_favoritas", schema=None) as batch_op:
        batch_op.create_index("ix_ciudades_favoritas_usuario_id", ["usuario_id"], unique=False)

    op.create_table(
        "consultas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column(
            "tipo_consulta",
            sa.Enum("tiempo_real", "historico", name="tipo_consulta", create_constraint=True),
            nullable=False,
        ),
        sa.Column("ciudad", sa.String(length=100), nullable=True),
        sa.Column("latitud", sa.Numeric(precision=10, scale=8), nullable=True),
        sa.Column("longitud", sa.Numeric(precision=11, scale=8), nullable=True),
        sa.Column("fecha_inicio", sa.Date(), nullable=True),
        sa.Column("fecha_fin", sa.Date(), nullable=True),
        sa.Column(
            "formato_salida",
            sa.Enum("json", "csv", "txt", "yaml", name="formato_salida", create_constraint=True),
            server_default="json",
            nullable=False,
        ),
        sa.Column("parametros_solicitados", sa.JSON(), nullable=True),
        sa.Column("respuesta_api", sa.JSON(), nullable=True),
        sa.Column(
            "estado",
            sa.Enum(
                "pendiente",
                "procesando",
                "completada",
                "error",
                name="estado_consulta",
                create_constraint=True,
            ),
            server_default="pendiente",
            nullable=False,
        ),
        sa.Column("mensaje_error", sa.Text(), nullable=True),
        sa.Column("tiempo_respuesta_ms", sa.Integer(), nullable=True),
        sa.Column("ip_origen", sa.String(length=45), nullable=True),
        sa.Column(
            "creada_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("completada_en", INSTANT, nullable=True),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_consultas_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultas")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("consultas", schema=None) as batch_op:
        batch_op.create_index("ix_consultas_ciudad", ["ciudad"], unique=False)
        batch_op.create_index("ix_consultas_coordenadas", ["latitud", "longitud"], unique=False)
        batch_op.create_index("ix_consultas_creada_en", ["creada_en"], unique=False)
        batch_op.create_index("ix_consultas_estado", ["estado"], unique=False)
        batch_op.create_index("ix_consultas_tipo_consulta", ["tipo_consulta"], unique=False)
        batch_op.create_index("ix_consultas_usuario_id", ["usuario_id"], unique=False)

    op.create_table(
        "familias_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("creada_en", INSTANT, nullable=False),
        sa.Column("revocada_en", INSTANT, nullable=True),
        sa.Column("motivo_revocacion", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_familias_tokens_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_familias_tokens")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("familias_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_familias_tokens_usuario_id", ["usuario_id"], unique=False)

    op.create_table(
        "logs_actividad",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=True),
        sa.Column("accion", sa.String(length=50), nullable=False),
        sa.Column("detalle", sa.JSON(), nullable=True),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        sa.Column(
            "creado_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_logs_actividad_usuario_id_usuarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logs_actividad")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("logs_actividad", schema=None) as batch_op:
        batch_op.create_index("ix_logs_actividad_accion", ["accion"], unique=False)
        batch_op.create_index("ix_logs_actividad_creado_en", ["creado_en"], unique=False)
        batch_op.create_index("ix_logs_actividad_usuario_id", ["usuario_id"], unique=False)

    op.create_table(
        "tokens_revocados",
        sa.Column("jti", sa.String(length=36), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("expira_en", INSTANT, nullable=False),
        sa.Column("revocado_en", INSTANT, nullable=False),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_tokens_revocados_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_tokens_revocados")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("tokens_revocados", schema=None) as batch_op:
        batch_op.create_index("ix_tokens_revocados_expira_en", ["expira_en"], unique=False)

    op.create_table(
        "datos_clima",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("consulta_id", sa.Integer(), nullable=False),
        sa.Column("temperatura_promedio", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("temperatura_min", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("temperatura_max", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("presion_atmosferica", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("humedad_relativa", sa.Integer(), nullable=True),
        sa.Column("velocidad_viento", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("direccion_viento", sa.Integer(), nullable=True),
        sa.Column("precipitacion", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("visibilidad", sa.Integer(), nullable=True),
        sa.Column("indice_uv", sa.Numeric(precision=4, scale=2), nullable=True),
        sa.Column("calidad_aire", sa.Integer(), nullable=True),
        sa.Column("descripcion_clima", sa.String(length=100), nullable=True),
        sa.Column("fuentes_utilizadas", sa.JSON(), nullable=True),
        sa.Column("datos_completos", sa.JSON(), nullable=True),
        sa.Column(
            "guardado_en", INSTANT, server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["consulta_id"],
            ["consultas.id"],
            name=op.f("fk_datos_clima_consulta_id_consultas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datos_clima")),
        sa.UniqueConstraint("consulta_id", name=op.f("uq_datos_clima_consulta_id")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("datos_clima", schema=None) as batch_op:
        batch_op.create_index("ix_datos_clima_guardado_en", ["guardado_en"], unique=False)
        batch_op.create_index(
            "ix_datos_clima_temperatura_promedio", ["temperatura_promedio"], unique=False
        )

    op.create_table(
        "tokens_refresco",
        sa.Column("jti", sa.String(length=36), nullable=False),
        sa.Column("familia_id", sa.String(length=36), nullable=False),
        sa.Column("usuario_id", sa.Integer(), nullable=False),
        sa.Column("emitido_en", INSTANT, nullable=False),
        sa.Column("expira_en", INSTANT, nullable=False),
        sa.Column("usado_en", INSTANT, nullable=True),
        sa.ForeignKeyConstraint(
            ["familia_id"],
            ["familias_tokens.id"],
            name=op.f("fk_tokens_refresco_familia_id_familias_tokens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_tokens_refresco_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("jti", name=op.f("pk_tokens_refresco")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_engine="InnoDB",
    )
    with op.batch_alter_table("tokens_refresco", schema=None) as batch_op:
        batch_op.create_index("ix_tokens_refresco_expira_en", ["expira_en"], unique=False)
        batch_op.create_index("ix_tokens_refresco_familia_id", ["familia_id"], unique=False)

    for name, select in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {select}")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
    # Children before parents; indexes go with their tables (MySQL refuses to drop an index
    # a foreign key still needs).
    for table in (
        "tokens_revocados",
        "tokens_refresco",
        "familias_tokens",
        "logs_actividad",
        "datos_clima",
        "ciudades_favoritas",
        "consultas",
        "api_keys",
        "usuarios",
        "intentos_login",
    ):
        op.drop_table(table)

"""SQLAlchemy Core tables: the original six plus what authentication needs (Spanish names)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

SERIES_VALUE_COLUMNS = (
    "temperatura", "temperatura_min", "temperatura_max", "sensacion_termica",
    "humedad_relativa", "presion_atmosferica", "velocidad_viento", "direccion_viento",
    "rafaga_viento", "precipitacion", "nubosidad", "visibilidad", "indice_uv",
    "descripcion_clima", "probabilidad_precipitacion",
)  # fmt: skip

MYSQL_TABLE = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}

# UTC instants with microseconds on MySQL (plain DATETIME would drop them).
Instant = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
JsonDoc = sa.JSON()


def _fk_user(ondelete: str = "CASCADE", nullable: bool = False) -> sa.Column:
    return sa.Column(
        "usuario_id", sa.Integer, sa.ForeignKey("usuarios.id", ondelete=ondelete), nullable=nullable
    )


usuarios = sa.Table(
    "usuarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(50), nullable=False),
    sa.Column("username_normalizado", sa.String(50), nullable=False, unique=True),
    sa.Column("email", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("nombre_completo", sa.String(100)),
    sa.Column(
        "rol",
        sa.Enum("admin", "operario", "consultor", name="rol_usuario", create_constraint=True),
        nullable=False,
        server_default="operario",
    ),
    sa.Column("activo", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("ultimo_login", Instant),
    sa.Column("tokens_validos_desde", Instant),
    sa.Column("creado_en", Instant, nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column(
        "actualizado_en", Instant, nullable=False, server_default=sa.func.current_timestamp()
    ),
    sa.Index("ix_usuarios_rol", "rol"),
    **MYSQL_TABLE,
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_user(),
    sa.Column("proveedor", sa.String(50), nullable=False),
    sa.Column("api_key_encrypted", sa.Text, nullable=False),
    sa.Column("api_secret_encrypted", sa.Text),
    sa.Column("descripcion", sa.String(255)),
    sa.Column("activa", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("limite_consultas_diarias", sa.Integer, nullable=False, server_default="1000"),
    sa.Column("consultas_realizadas", sa.Integer, nullable=False, server_default="0"),
    sa.Column("dia_consultas", sa.Date),
    sa.Column("ultimo_uso", Instant),
    sa.Column("creada_en", Instant, nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column(
        "actualizada_en", Instant, nullable=False, server_default=sa.func.current_timestamp()
    ),
    sa.UniqueConstraint("usuario_id", "proveedor", name="uq_api_keys_usuario_proveedor"),
    sa.Index("ix_api_keys_proveedor", "proveedor"),
    sa.Index("ix_api_keys_activa", "activa"),
    **MYSQL_TABLE,
)

consultas = sa.Table(
    "consultas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_user(),
    sa.Column(
        "tipo_consulta",
        sa.Enum(
            "tiempo_real", "historico", "pronostico", name="tipo_consulta", create_constraint=True
        ),
        nullable=False,
    ),
    sa.Column("ciudad", sa.String(100)),
    sa.Column("latitud", sa.Numeric(10, 8)),
    sa.Column("longitud", sa.Numeric(11, 8)),
    sa.Column("fecha_inicio", sa.Date),
    sa.Column("fecha_fin", sa.Date),
    sa.Column(
        "formato_salida",
        sa.Enum("json", "csv", "txt", "yaml", name="formato_salida", create_constraint=True),
        nullable=False,
        server_default="json",
    ),
    sa.Column("parametros_solicitados", JsonDoc),
    sa.Column("respuesta_api", JsonDoc),
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
        nullable=False,
        server_default="pendiente",
    ),
    sa.Column("mensaje_error", sa.Text),
    sa.Column("tiempo_respuesta_ms", sa.Integer),
    sa.Column("ip_origen", sa.String(45)),
    sa.Column("creada_en", Instant, nullable=False, server_default=sa.func.current_timestamp()),
    sa.Column("completada_en", Instant),
    sa.Index("ix_consultas_usuario_id", "usuario_id"),
    # A user's listing, newest first, read in index order (migration 0006).
    sa.Index("ix_consultas_usuario_creada", "usuario_id", "creada_en", "id"),
    sa.Index("ix_consultas_tipo_consulta", "tipo_consulta"),
    sa.Index("ix_consultas_estado", "estado"),
    sa.Index("ix_consultas_creada_en", "creada_en"),
    sa.Index("ix_consultas_ciudad", "ciudad"),
    sa.Index("ix_consultas_coordenadas", "latitud", "longitud"),
    **MYSQL_TABLE,
)

datos_clima = sa.Table(
    "datos_clima",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "consulta_id",
        sa.Integer,
        sa.ForeignKey("consultas.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    sa.Column("temperatura_promedio", sa.Numeric(5, 2)),
    sa.Column("temperatura_min", sa.Numeric(5, 2)),
    sa.Column("temperatura_max", sa.Numeric(5, 2)),
    sa.Column("presion_atmosferica", sa.Numeric(8, 2)),
    sa.Column("humedad_relativa", sa.Integer),
    sa.Column("velocidad_viento", sa.Numeric(5, 2)),
    sa.Column("direccion_viento", sa.Integer),
    sa.Column("precipitacion", sa.Numeric(6, 2)),
    sa.Column("visibilidad", sa.Integer),
    sa.Column("indice_uv", sa.Numeric(4, 2)),
    sa.Column("calidad_aire", sa.Integer),
    sa.Column("descripcion_clima", sa.String(100)),
    sa.Column("fuentes_utilizadas", JsonDoc),
    sa.Column("datos_completos", JsonDoc),
    sa.Column("guardado_en", Instant, nullable=False, server_default=sa.func.current_timestamp()),
    sa.Index("ix_datos_clima_temperatura_promedio", "temperatura_promedio"),
    sa.Index("ix_datos_clima_guardado_en", "guardado_en"),
    **MYSQL_TABLE,
)

logs_actividad = sa.Table(
    "logs_actividad",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_user(ondelete="SET NULL", nullable=True),
    sa.Column("accion", sa.String(50), nullable=False),
    sa.Column("detalle", JsonDoc),
    sa.Column("ip_address", sa.String(45)),
    sa.Column("user_agent", sa.String(255)),
    sa.Column("creado_en", Instant, nullable=False, server_default=sa.func.current_timestamp()),
    sa.Index("ix_logs_actividad_usuario_id", "usuario_id"),
    sa.Index("ix_logs_actividad_accion", "accion"),
    sa.Index("ix_logs_actividad_creado_en", "creado_en"),
    **MYSQL_TABLE,
)

ciudades_favoritas = sa.Table(
    "ciudades_favoritas",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _fk_user(),
    sa.Column("nombre_ciudad", sa.String(100), nullable=False),
    sa.Column("pais", sa.String(50)),
    sa.Column("latitud", sa.Numeric(10, 8), nullable=False),
    sa.Column("longitud", sa.Numeric(11, 8), nullable=False),
    sa.Column("es_default", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("creada_en", Instant, nullable=False, server_default=sa.func.current_timestamp()),
    sa.UniqueConstraint(
        "usuario_id", "latitud", "longitud", name="uq_ciudades_favoritas_usuario_coord"
    ),
    sa.Index("ix_ciudades_favoritas_usuario_id", "usuario_id"),
    **MYSQL_TABLE,
)

familias_tokens = sa.Table(
    "familias_tokens",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    _fk_user(),
    sa.Column("creada_en", Instant, nullable=False),
    sa.Column("revocada_en", Instant),
    sa.Column("motivo_revocacion", sa.String(50)),
    sa.Index("ix_familias_tokens_usuario_id", "usuario_id"),
    **MYSQL_TABLE,
)

tokens_refresco = sa.Table(
    "tokens_refresco",
    metadata,
    sa.Column("jti", sa.String(36), primary_key=True),
    sa.Column(
        "familia_id",
        sa.String(36),
        sa.ForeignKey("familias_tokens.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _fk_user(),
    sa.Column("emitido_en", Instant, nullable=False),
    sa.Column("expira_en", Instant, nullable=False),
    sa.Column("usado_en", Instant),
    sa.Index("ix_tokens_refresco_familia_id", "familia_id"),
    sa.Index("ix_tokens_refresco_expira_en", "expira_en"),
    **MYSQL_TABLE,
)

tokens_revocados = sa.Table(
    "tokens_revocados",
    metadata,
    sa.Column("jti", sa.String(36), primary_key=True),
    _fk_user(),
    sa.Column("expira_en", Instant, nullable=False),
    sa.Column("revocado_en", Instant, nullable=False),
    sa.Index("ix_tokens_revocados_expira_en", "expira_en"),
    **MYSQL_TABLE,
)

intentos_login = sa.Table(
    "intentos_login",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("clave", sa.String(160), nullable=False),
    sa.Column("ocurrido_en", Instant, nullable=False),
    sa.Index("ix_intentos_login_clave_ocurrido_en", "clave", "ocurrido_en"),
    **MYSQL_TABLE,
)

series_clima = sa.Table(
    "series_clima",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column(
        "consulta_id",
        sa.Integer,
        sa.ForeignKey("consultas.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("instante", Instant, nullable=False),
    sa.Column("datos", JsonDoc, nullable=False),
    sa.Column("lecturas", JsonDoc),
    # The consensus value of each variable, as plain columns: what CSV/TXT exports read fast.
    *(sa.Column(name, sa.Float) for name in SERIES_VALUE_COLUMNS),
    sa.UniqueConstraint("consulta_id", "instante", name="uq_series_clima_consulta_instante"),
    **MYSQL_TABLE,
)

# Per user, provider and day: calls made with the system key (issue 12.1). Migration 0004.
uso_claves_sistema = sa.Table(
    "uso_claves_sistema",
    metadata,
    _fk_user(),
    sa.Column("proveedor", sa.String(50), nullable=False),
    sa.Column("dia", sa.Date, nullable=False),
    sa.Column("consultas", sa.Integer, nullable=False, server_default="0"),
    sa.PrimaryKeyConstraint("usuario_id", "proveedor", "dia"),
    sa.Index("ix_uso_claves_sistema_dia", "dia"),
    **MYSQL_TABLE,
)

# Per user and fixed one-minute window (UTC epoch minutes): queries started. Migration 0004.
ventanas_consultas = sa.Table(
    "ventanas_consultas",
    metadata,
    _fk_user(),
    sa.Column("minuto", sa.BigInteger, nullable=False),
    sa.Column("consultas", sa.Integer, nullable=False, server_default="0"),
    sa.PrimaryKeyConstraint("usuario_id", "minuto"),
    sa.Index("ix_ventanas_consultas_minuto", "minuto"),
    **MYSQL_TABLE,
)

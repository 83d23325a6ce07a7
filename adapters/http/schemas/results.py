"""Response bodies of weather queries: consensus values, places, series and stored queries.

A field with the default `OMIT` is left out of the JSON when not set (and is not required).
Fields typed `Any` with `meta(of=...)` carry JSON already shaped by adapters/wire.py (shared
with the SQL and export adapters); `of` is the shape the document shows for it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from attrs import field, frozen

from adapters.http.json_schema import meta, named
from domain.model.queries import ExportFormat, QueryStatus, QueryType

OMIT: Any = type("Omit", (), {"__repr__": lambda self: "OMIT"})()
NUMBER = float | None


def optional(**schema: Any) -> Any:
    return field(default=OMIT, metadata=meta(**schema))


def shaped(of: Any, **schema: Any) -> Any:
    """A field whose value wire.py already shaped; `of` is its documented type."""
    return field(metadata={**meta(**schema), "of": of, "as_is": True})


@frozen
@named("Descarte")
class Discarded:
    fuente: str
    motivo: str


@frozen
@named("Procedencia")
class Origin:
    fuente: str


@frozen
@named("Consenso", "Consenso de una variable entre proveedores, con su dispersión y origen.")
class Consensus:
    valor: NUMBER = field(metadata=meta("valor de consenso (mediana robusta)", examples=[21.4]))
    unidad: str | None
    min: NUMBER
    max: NUMBER
    desviacion: NUMBER
    n_fuentes: int = field(metadata=meta(minimum=0))
    fuentes: list[str]
    descartadas: list[Discarded]
    descripcion: str = optional(description="texto del código WMO (descripcion_clima)")
    categoria: str = optional(
        description="banda del valor: ITH normal/alerta/peligro/emergencia (LWSI), "
        "riesgo_helada ninguno/bajo/moderado/alto",
        examples=["peligro"],
    )
    procedencia: list[Origin] = optional(
        description="por fuente usada: observado (estación), modelo o reanálisis"
    )


@frozen
@named("Candidato")
class Candidate:
    nombre: str
    departamento: str | None
    pais: str | None
    codigo_pais: str | None
    latitud: float
    longitud: float
    elevacion: NUMBER


@frozen
@named("Geocodificacion")
class Geocoding:
    elegida: Candidate
    alternativas: list[Candidate]


@frozen
@named("Ubicacion")
class Place:
    ciudad: str | None
    latitud: float
    longitud: float
    geocodificacion: Geocoding = optional()


@frozen
@named("Resumen")
class Summary:
    promedio: NUMBER
    min: NUMBER
    max: NUMBER
    unidad: str | None
    n_instantes: int = field(metadata=meta(minimum=0))


@frozen
@named("PuntoSerie")
class SeriesPoint:
    instante: datetime
    consenso: dict[str, Consensus]


@frozen
@named("Consulta", "Una consulta meteorológica guardada.")
class Query:
    id: int = field(metadata=meta(minimum=1))
    usuario_id: int = field(metadata=meta(minimum=1))
    tipo_consulta: Literal[tuple(t.value for t in QueryType)]  # type: ignore[valid-type]
    ciudad: str | None
    latitud: float = field(metadata=meta(minimum=-90, maximum=90))
    longitud: float = field(metadata=meta(minimum=-180, maximum=180))
    fecha_inicio: date | None
    fecha_fin: date | None
    formato_salida: Literal[tuple(f.value for f in ExportFormat)]  # type: ignore[valid-type]
    parametros_solicitados: dict[str, Any]
    estado: Literal[tuple(s.value for s in QueryStatus)]  # type: ignore[valid-type]
    mensaje_error: str | None = field(metadata=meta("código del error, nunca su texto"))
    tiempo_respuesta_ms: NUMBER
    creada_en: datetime | None
    completada_en: datetime | None


PROVIDERS = meta(
    "respuesta resumida de cada proveedor (estado ok o error y su motivo)",
    examples=[{"open_meteo": {"estado": "ok"}}],
)


@frozen
@named("DatosTiempoReal")
class CurrentData:
    instante: Any = shaped(datetime | None)
    consenso: Any = shaped(dict[str, Consensus])
    proveedores: dict[str, dict[str, Any]] = field(metadata=PROVIDERS)


@frozen
@named("ResultadoTiempoReal")
class CurrentResult:
    consulta: Any = shaped(Query)
    ubicacion: Place
    datos: CurrentData


@frozen
@named("HorasIth")
class ThiHours:
    normal: int
    alerta: int
    peligro: int
    emergencia: int


@frozen
@named(
    "DiaAgro",
    "Un día local de una serie horaria: horas por banda de ITH, horas de alivio nocturno "
    "(18:00-05:59 con ITH < 75), y de las extremas del día completo ET0 (Hargreaves-Samani), "
    "grados día y riesgo de helada (regla heurística, no un aviso oficial).",
)
class FarmDay:
    fecha: date
    horas_ith: ThiHours
    horas_alivio_nocturno: int = field(metadata=meta(minimum=0))
    et0: NUMBER = field(metadata=meta("mm/día"))
    grados_dia: NUMBER = field(metadata=meta("°C·día"))
    grados_dia_acumulados: NUMBER = field(
        metadata=meta("suma desde el primer día; null tras un hueco")
    )
    riesgo_helada: str | None


@frozen
@named("Alerta", "Un periodo con estrés calórico o riesgo de helada en o sobre el umbral.")
class Alert:
    tipo: Literal["estres_calorico", "helada"]
    nivel: str
    desde: datetime
    hasta: datetime = field(metadata=meta("fin del último paso del periodo"))
    pico: float
    variable: str
    mensaje: str


@frozen
@named("ResultadoHistorico")
class HistoryResult:
    consulta: Any = shaped(Query)
    ubicacion: Place
    resumen: Any = shaped(dict[str, Summary])
    serie: Any = shaped(list[SeriesPoint])
    serie_total: int = field(metadata=meta(minimum=0))
    serie_truncada: bool
    proveedores: dict[str, dict[str, Any]] = field(metadata=PROVIDERS)
    resumen_diario: Any = field(
        default=OMIT,
        metadata={
            **meta("serie horaria con una variable agropecuaria pedida: un día local cada uno"),
            "of": list[FarmDay],
        },
    )


@frozen
@named("AlcanceProveedor", "Hasta dónde pronostica un proveedor en esta consulta.")
class ProviderReach:
    limite: datetime = field(metadata=meta("primer instante (UTC) fuera de su horizonte"))
    horizonte: dict[str, Any] = field(
        metadata=meta("horizonte declarado", examples=[{"cantidad": 16, "unidad": "dias"}])
    )
    modelo: str = optional(description="el modelo, si el proveedor lo dice")
    emitido_en: str = optional(description="hora de emisión del modelo, si el proveedor la dice")


@frozen
@named("Pronostico", "Cuándo se pidió el pronóstico y hasta dónde llega cada proveedor.")
class ForecastInfo:
    emitido_en: datetime = field(metadata=meta("cuándo lo pidió ClimaGuru (UTC)"))
    dias: int = field(metadata=meta(minimum=1, maximum=16))
    granularidad: Literal["horaria", "diaria"]
    zona_horaria: str
    horizonte_efectivo: datetime | None = field(metadata=meta("el último paso devuelto"))
    horizontes: dict[str, ProviderReach]


@frozen
@named(
    "ResultadoPronostico",
    "Un consenso por paso (hora o día local); pasado su horizonte, un proveedor figura en "
    "descartadas como fuera_de_horizonte y n_fuentes baja.",
)
class ForecastResult:
    consulta: Any = shaped(Query)
    ubicacion: Place
    pronostico: Any = shaped(ForecastInfo)
    resumen: Any = shaped(dict[str, Summary])
    serie: Any = shaped(list[SeriesPoint])
    serie_total: int = field(metadata=meta(minimum=0))
    serie_truncada: bool
    proveedores: dict[str, dict[str, Any]] = field(metadata=PROVIDERS)
    alertas: Any = shaped(
        list[Alert],
        description="estrés calórico (ITH en o sobre ALERT_ITH_LEVEL) y riesgo de helada (en o "
        "sobre ALERT_FROST_LEVEL; regla heurística, no un aviso oficial), en orden de tiempo",
    )
    resumen_diario: Any = field(
        default=OMIT,
        metadata={
            **meta("serie horaria con una variable agropecuaria pedida: un día local cada uno"),
            "of": list[FarmDay],
        },
    )


@frozen
@named("ConsensoGuardado")
class StoredConsensus:
    consenso: dict[str, Any] | None


@frozen
@named("PuntoGuardado")
class StoredPoint:
    instante: datetime
    consenso: dict[str, Any]


@frozen
@named(
    "ConsultaGuardada",
    "Tiempo real: datos.consenso; histórico y pronóstico: resumen y primeros instantes.",
)
class StoredQuery:
    consulta: Any = shaped(Query)
    fuentes_utilizadas: list[str]
    proveedores: dict[str, dict[str, Any]] = field(metadata=PROVIDERS)
    datos: StoredConsensus = optional()
    resumen: dict[str, Any] | None = optional()
    serie: Any = field(default=OMIT, metadata={"of": list[StoredPoint]})  # points or shaped
    serie_total: int = optional(minimum=0)
    serie_truncada: bool = optional()
    pronostico: Any = field(default=OMIT, metadata={"of": ForecastInfo})
    alertas: Any = field(default=OMIT, metadata={"of": list[Alert]})  # a forecast's

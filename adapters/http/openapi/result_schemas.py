"""Schemas of query results: consensus values, locations, series and stored queries."""

from __future__ import annotations

from adapters.http.openapi.common import (
    ID,
    INSTANT,
    INSTANT_OR_NULL,
    NUMBER_OR_NULL,
    Schema,
    nullable,
    obj,
    ref,
)
from domain.model.queries import ExportFormat, QueryStatus, QueryType

_CONSENSUS = obj(
    ["valor", "unidad", "min", "max", "desviacion", "n_fuentes", "fuentes", "descartadas"],
    {
        "valor": {**NUMBER_OR_NULL, "description": "valor de consenso (mediana robusta)"},
        "unidad": nullable("string"),
        "min": NUMBER_OR_NULL,
        "max": NUMBER_OR_NULL,
        "desviacion": NUMBER_OR_NULL,
        "n_fuentes": {"type": "integer", "minimum": 0},
        "fuentes": {"type": "array", "items": {"type": "string"}},
        "descartadas": {
            "type": "array",
            "items": obj(
                ["fuente", "motivo"], {"fuente": {"type": "string"}, "motivo": {"type": "string"}}
            ),
        },
        "descripcion": {
            "type": "string",
            "description": "texto del código WMO (descripcion_clima)",
        },
        "procedencia": {
            "type": "array",
            "description": "por fuente usada: observado (estación), modelo o reanálisis",
            "items": obj(["fuente"], {"fuente": {"type": "string"}}),
        },
    },
    description="Consenso de una variable entre proveedores, con su dispersión y origen.",
)

_CANDIDATE = obj(
    ["nombre", "latitud", "longitud"],
    {
        "nombre": {"type": "string"},
        "departamento": nullable("string"),
        "pais": nullable("string"),
        "codigo_pais": nullable("string"),
        "latitud": {"type": "number"},
        "longitud": {"type": "number"},
        "elevacion": NUMBER_OR_NULL,
    },
)

_QUERY = obj(
    ["id", "usuario_id", "tipo_consulta", "latitud", "longitud", "formato_salida", "estado"],
    {
        "id": ID,
        "usuario_id": ID,
        "tipo_consulta": {"enum": [t.value for t in QueryType]},
        "ciudad": nullable("string"),
        "latitud": {"type": "number", "minimum": -90, "maximum": 90},
        "longitud": {"type": "number", "minimum": -180, "maximum": 180},
        "fecha_inicio": nullable("string", format="date"),
        "fecha_fin": nullable("string", format="date"),
        "formato_salida": {"enum": [f.value for f in ExportFormat]},
        "parametros_solicitados": {"type": "object"},
        "estado": {"enum": [s.value for s in QueryStatus]},
        "mensaje_error": {**nullable("string"), "description": "código del error, nunca su texto"},
        "tiempo_respuesta_ms": NUMBER_OR_NULL,
        "creada_en": INSTANT_OR_NULL,
        "completada_en": INSTANT_OR_NULL,
    },
    description="Una consulta meteorológica guardada.",
)

_PROVIDERS = {
    "type": "object",
    "description": "respuesta resumida de cada proveedor (estado ok o error y su motivo)",
    "additionalProperties": {"type": "object"},
}
_LOCATION = obj(
    ["ciudad", "latitud", "longitud"],
    {
        "ciudad": nullable("string"),
        "latitud": {"type": "number"},
        "longitud": {"type": "number"},
        "geocodificacion": obj(
            ["elegida", "alternativas"],
            {
                "elegida": ref("Candidato"),
                "alternativas": {"type": "array", "items": ref("Candidato")},
            },
        ),
    },
)
_SUMMARY = obj(
    ["promedio", "min", "max", "unidad", "n_instantes"],
    {
        "promedio": NUMBER_OR_NULL,
        "min": NUMBER_OR_NULL,
        "max": NUMBER_OR_NULL,
        "unidad": nullable("string"),
        "n_instantes": {"type": "integer", "minimum": 0},
    },
)
CONSENSUS_MAP = {"type": "object", "additionalProperties": ref("Consenso")}
SUMMARY_MAP = {"type": "object", "additionalProperties": ref("Resumen")}
_POINT = obj(["instante", "consenso"], {"instante": INSTANT, "consenso": CONSENSUS_MAP})

RESULT_SCHEMAS: dict[str, Schema] = {
    "Consenso": _CONSENSUS,
    "Candidato": _CANDIDATE,
    "Ubicacion": _LOCATION,
    "Resumen": _SUMMARY,
    "PuntoSerie": _POINT,
    "Consulta": _QUERY,
    "ResultadoTiempoReal": obj(
        ["consulta", "ubicacion", "datos"],
        {
            "consulta": ref("Consulta"),
            "ubicacion": ref("Ubicacion"),
            "datos": obj(
                ["instante", "consenso", "proveedores"],
                {"instante": INSTANT_OR_NULL, "consenso": CONSENSUS_MAP, "proveedores": _PROVIDERS},
            ),
        },
    ),
    "ResultadoHistorico": obj(
        ["consulta", "ubicacion", "resumen", "serie", "serie_total", "serie_truncada"],
        {
            "consulta": ref("Consulta"),
            "ubicacion": ref("Ubicacion"),
            "resumen": SUMMARY_MAP,
            "serie": {"type": "array", "items": ref("PuntoSerie")},
            "serie_total": {"type": "integer", "minimum": 0},
            "serie_truncada": {"type": "boolean"},
            "proveedores": _PROVIDERS,
        },
    ),
    "ConsultaGuardada": obj(
        ["consulta", "fuentes_utilizadas", "proveedores"],
        {
            "consulta": ref("Consulta"),
            "fuentes_utilizadas": {"type": "array", "items": {"type": "string"}},
            "proveedores": _PROVIDERS,
            "datos": obj(["consenso"], {"consenso": nullable("object")}),
            "resumen": nullable("object"),
            "serie": {"type": "array", "items": obj(["instante", "consenso"], {})},
            "serie_total": {"type": "integer", "minimum": 0},
            "serie_truncada": {"type": "boolean"},
        },
        description="Tiempo real: datos.consenso; histórico: resumen y los primeros instantes.",
    ),
}

"""The checks of the outside run: schemathesis's own, minus what they cannot know of this API.

positive_data_acceptance and use_after_free are replaced by wrappers that let through only the
answers listed here, each with its reason; everything else they flag still fails.
"""

from __future__ import annotations

from schemathesis.openapi.checks import RejectedPositiveData, UseAfterFree
from schemathesis.specs.openapi.checks import positive_data_acceptance, use_after_free

# positive_data_acceptance wants every schema-valid request accepted. Two kinds of 400 are
# let through, by the (field, code) pairs of the answer's `detalles`: rules JSON Schema cannot
# state, which the document gives in words ...
SEMANTIC = {
    ("password", "demasiado_comun"): "in the common-password list",
    ("password", "muy_larga"): "over 72 UTF-8 bytes (JSON Schema counts characters)",
    ("desde", "posterior"): "desde later than hasta",
    ("fecha_inicio", "posterior"): "fecha_inicio later than fecha_fin",
    ("fecha_inicio", "rango_demasiado_largo"): "a range over the granularity's maximum",
    ("fecha_fin", "futura"): "a history that ends after today",
    ("ciudad", "obligatoria"): "no ciudad, coordinates or default favourite (state)",
    ("latitud", "incompleta"): "latitud without longitud",
    ("longitud", "incompleta"): "longitud without latitud",
    ("zona_horaria", "desconocida"): "not an IANA zone name",
    ("proveedores", "cuota_agotada"): "the asked providers' quota is spent (state)",
}
# ... and places where the document promises more than the app takes: (method, path, field,
# code), "*" for any. Reported, not fixed here (the document is adapters/http/openapi, the
# checks adapters/http and domain); test_known_mismatch pins each one, so fixing one makes
# that test fail until its line here goes.
KNOWN_MISMATCHES: dict[tuple[str, str, str, str], str] = {}


NOT_APPLICABLE = "proveedores_no_aplicables"


def _tolerated(case, field: str, code: str) -> bool:
    if (field, code) in SEMANTIC:
        return True
    here = (case.operation.method.upper(), case.operation.path)
    return any(
        (m, p) in {here, ("*", "*")} and f in (field, "*") and c == code
        for m, p, f, c in KNOWN_MISMATCHES
    )


def positive_data_accepted(ctx, response, case):
    """positive_data_acceptance, minus the refusals in SEMANTIC and KNOWN_MISMATCHES, and the
    documented 422 proveedores_no_aplicables: which providers cover a place or hold a key is
    state, not schema (no key stored, a point outside IDEAM's and SIATA's coverage)."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 422 and response.json().get("error") == NOT_APPLICABLE:
            return None
        details = response.json().get("detalles") if response.status_code == 400 else None
        if details and all(_tolerated(case, f, c) for f, c in details.items()):
            return None
        raise


def deleted_resource_gone(ctx, response, case):
    """use_after_free, except that DELETE /api/usuarios/{id} deactivates (as documented)."""
    try:
        return use_after_free(ctx, response, case)
    except UseAfterFree:
        user = response.json().get("usuario") if response.status_code == 200 else None
        if case.operation.path == "/api/usuarios/{user_id}" and user and not user["activo"]:
            return None
        raise


CHECKS = {
    "additional_checks": [positive_data_accepted, deleted_resource_gone],
    "excluded_checks": [positive_data_acceptance, use_after_free],
}

"""Farm variables per provider reading, before consensus, from that provider's own inputs.

A provider that reports a quantity itself (Open-Meteo's dew point or FAO-56 ET0) is used as
reported; otherwise the value is computed from the same reading's inputs with the method of
AGRO.md, and its provenance says {"tipo": "derivado", "metodo": ...}. A missing input leaves
the value missing (sin_dato, or the input's own reason such as desactualizado); an impossible
one (a maximum below the minimum) leaves it missing as atipico. Nothing is guessed. Inputs that
were fetched only to derive something are dropped from the readings, so nobody sees them
unless they asked for them. Consensus, outlier rejection, spread and provenance then apply to
the derived values exactly as to any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import attrs
from attrs import frozen

from domain.errors import ValidationError
from domain.model.agro.degree_days import growing_degree_days
from domain.model.agro.dew_point import dew_point
from domain.model.agro.evapotranspiration import hargreaves_et0
from domain.model.agro.frost import frost_risk
from domain.model.agro.heat_stress import adjusted_thi, thi
from domain.model.agro.settings import DEFAULT_SETTINGS, AgroSettings
from domain.model.queries import ProviderOutcome
from domain.model.readings import Reading
from domain.model.variables import DAILY_ONLY_NAMES

DERIVED = "derivado"
NO_DATA = "sin_dato"
IMPOSSIBLE = "atipico"


@frozen
class DerivationContext:
    """What a formula needs beyond the reading: where (latitude), the local zone, settings."""

    latitude: float
    timezone: str = "America/Bogota"
    daily: bool = False  # the readings are one per local day (at local midnight)
    settings: AgroSettings = DEFAULT_SETTINGS

    def day_of_year(self, instant: datetime) -> int:
        return instant.astimezone(ZoneInfo(self.timezone)).timetuple().tm_yday


Formula = Callable[[Sequence[float], datetime, DerivationContext], float | None]


@frozen
class Method:
    """How one farm variable is derived: the method's wire code, its inputs and the formula."""

    code: str
    inputs: tuple[str, ...]
    formula: Formula


def _et0(v: Sequence[float], at: datetime, c: DerivationContext) -> float | None:
    return hargreaves_et0(v[0], v[1], c.latitude, c.day_of_year(at))


def _frost(v: Sequence[float], at: datetime, c: DerivationContext) -> float | None:
    risk = frost_risk(v[0], thresholds=c.settings.frost)  # daily readings: the minimum alone
    return None if risk is None else float(risk.level)


_T, _RH, _MAX, _MIN = "temperatura", "humedad_relativa", "temperatura_max", "temperatura_min"
METHODS: Mapping[str, Method] = MappingProxyType(
    {
        "punto_de_rocio": Method("magnus", (_T, _RH), lambda v, _, __: dew_point(*v)),
        "ith": Method("nrc_1971", (_T, _RH), lambda v, _, __: thi(*v)),
        "ith_ajustado": Method(
            "mader_2006",
            (_T, _RH, "velocidad_viento", "radiacion_solar"),
            lambda v, _, __: adjusted_thi(*v),
        ),
        "et0": Method("hargreaves_samani", (_MAX, _MIN), _et0),
        "grados_dia": Method(
            "promedio_modificado",
            (_MAX, _MIN),
            lambda v, _, c: growing_degree_days(*v, c.settings.degree_days),
        ),
        "riesgo_helada": Method("heuristica_minima", (_MIN,), _frost),
    }
)


def fetch_variables(requested: Iterable[str]) -> tuple[str, ...]:
    """What to ask providers: the requested variables, then every input of the derived ones."""
    asked = list(dict.fromkeys(requested))
    for name in list(asked):
        if name in METHODS:
            asked += [i for i in METHODS[name].inputs if i not in asked]
    return tuple(asked)


def _derived(
    reading: Reading, method: Method, kind: str | None, context: DerivationContext
) -> tuple[float | None, Mapping[str, object] | None, str | None]:
    """(value, provenance, missing reason) of one derived variable at one reading."""
    given = reading.values
    inputs = [given.get(name) for name in method.inputs]
    if None in inputs:  # numbers never equal None: this is `any(v is None ...)`
        lost = [
            reading.missing_reasons.get(n)
            for n, v in zip(method.inputs, inputs, strict=True)
            if v is None
        ]
        return None, None, next((r for r in lost if r), NO_DATA)
    try:
        value = method.formula([float(v) for v in inputs], reading.instant, context)  # type: ignore[arg-type]
    except ValidationError:
        return None, None, IMPOSSIBLE
    if value is None:
        return None, None, NO_DATA
    return value, {"tipo": DERIVED, "metodo": method.code, "tipo_entradas": kind}, None


def derive_reading(
    reading: Reading, requested: Sequence[str], kind: str | None, context: DerivationContext
) -> Reading:
    """The reading with each requested farm variable added, only the requested ones kept."""
    return _derive(reading, _Wanted.of(requested, context), kind, context)


@frozen
class _Wanted:
    """What derive_reading needs of the request, worked out once per provider, not per step."""

    requested: Sequence[str]
    keep: frozenset[str]
    methods: tuple[tuple[str, Method], ...]  # derived names in request order (a daily one daily)
    # One provenance per (method, input kind), shared by the readings derived with it (never
    # changed in place): a consensus step freezes it once, not once per provider and variable.
    origins: dict[tuple[str, str | None], Mapping[str, object]] = attrs.field(factory=dict)

    @classmethod
    def of(cls, requested: Sequence[str], context: DerivationContext) -> _Wanted:
        methods = tuple(
            (name, METHODS[name])
            for name in requested
            if name in METHODS and (context.daily or name not in DAILY_ONLY_NAMES)
        )
        return cls(requested, frozenset(requested), methods)


def _derive(
    reading: Reading, wanted: _Wanted, kind: str | None, context: DerivationContext
) -> Reading:
    given, keep = reading.values, wanted.keep
    values = {n: given[n] for n in wanted.requested if n in given}
    provenance = {n: p for n, p in reading.provenance.items() if n in keep}
    missing = {n: r for n, r in reading.missing_reasons.items() if n in keep}
    for name, method in wanted.methods:
        if values.get(name) is not None:
            continue  # reported by the provider itself: used as reported
        value, origin, reason = _derived(reading, method, kind, context)
        values[name] = value
        if origin is not None:
            provenance[name] = wanted.origins.setdefault((method.code, kind), origin)
            missing.pop(name, None)
        elif reason is not None:
            missing[name] = reason
    return Reading(reading.instant, values, provenance, missing)


def derive_outcomes(
    outcomes: Mapping[str, ProviderOutcome], requested: Sequence[str], context: DerivationContext
) -> dict[str, ProviderOutcome]:
    """Every provider's readings with the farm variables derived and unasked inputs dropped."""
    if not any(n in METHODS for n in requested):
        return dict(outcomes)  # nothing derived, nothing fetched beyond what was asked
    wanted = _Wanted.of(requested, context)
    return {
        name: attrs.evolve(
            o, readings=tuple(_derive(r, wanted, o.kind, context) for r in o.readings)
        )
        for name, o in outcomes.items()
    }


# What an export's header says of each farm variable: how it was made (Spanish, for people).
_NOTES: Mapping[str, str] = MappingProxyType(
    {
        "punto_de_rocio": "el del proveedor cuando lo informa; si no, Magnus con las constantes "
        "de Alduchov y Eskridge (1996)",
        "ith": "NRC (1971) por proveedor; bandas LWSI (Armstrong 1994): normal < 75 <= alerta "
        "< 79 <= peligro < 84 <= emergencia, umbrales configurables",
        "ith_ajustado": "Mader, Davis y Brown-Brandl (2006): ITH + 4.51 - 1.992 viento[m/s] + "
        "0.0068 radiacion[W/m2], solo con viento y radiación del mismo proveedor",
        "et0": "FAO-56 Penman-Monteith del proveedor cuando la informa (Open-Meteo); si no, "
        "Hargreaves-Samani (1985) con Ra de FAO-56 ec. 21",
        "grados_dia": "promedio modificado (McMaster y Wilhelm 1997), base {base} °C, "
        "tope {cap} °C",
        "riesgo_helada": "regla heurística de ClimaGuru, no un aviso oficial: por la mínima a "
        "2 m, 3 alto <= 0 °C, 2 moderado <= 2 °C, 1 bajo <= 4 °C, 0 ninguno",
        "radiacion_solar": "radiación de onda corta informada por el proveedor",
    }
)


def method_notes(variables: Iterable[str], extra: Mapping[str, object]) -> dict[str, str]:
    """Per farm variable asked, how it was made; degree days with the base and cap used."""
    limits = DEFAULT_SETTINGS.degree_days
    base = extra.get("grados_dia_base", limits.base)
    cap = extra.get("grados_dia_tope", limits.cap)
    return {
        name: _NOTES[name].format(base=f"{base:g}", cap=f"{cap:g}")
        for name in variables
        if name in _NOTES
    }

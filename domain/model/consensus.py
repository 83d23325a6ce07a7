"""Consensus rules: one value per variable and timestep out of several providers' readings."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from attrs import field, frozen

from domain.errors import ValidationError
from domain.model import weather_codes
from domain.model.variables import Kind, Variable, level_name

OUTLIER_K = 3.0  # a value is an outlier beyond K robust standard deviations from the centre
MAD_SCALE = 1.4826  # MAD x 1.4826 estimates the standard deviation of normal data
MIN_SOURCES_FOR_OUTLIERS = 3  # with two sources there is no majority to say which one is off
DEGENERATE_RESULTANT = 1e-9  # mean resultant length below which directions cancel out
ANGLE_DIGITS = 9  # directions are rounded to 1e-9° to drop float noise such as 359.99999999999994


class Reason(StrEnum):
    """Why a source did not contribute to a value; the values are the wire codes."""

    OUTLIER = "atipico"  # an outlier, or outside the variable's physical range
    NO_DATA = "sin_dato"  # the source answered but had no value for this variable
    ERROR = "error"
    TIMEOUT = "timeout"
    NO_KEY = "sin_clave"
    QUOTA_SPENT = "cuota_agotada"
    OUT_OF_COVERAGE = "fuera_de_cobertura"
    INVALID_KEY = "clave_invalida"
    STALE = "desactualizado"
    OUT_OF_HORIZON = "fuera_de_horizonte"  # a forecast step past the provider's horizon
    # Spanish aliases of the same members, kept only until adapters/providers move to the
    # English names (Reason.SIN_CLAVE is Reason.NO_KEY).
    ATIPICO = "atipico"
    SIN_DATO = "sin_dato"
    SIN_CLAVE = "sin_clave"
    CUOTA_AGOTADA = "cuota_agotada"
    FUERA_DE_COBERTURA = "fuera_de_cobertura"
    CLAVE_INVALIDA = "clave_invalida"
    DESACTUALIZADO = "desactualizado"
    FUERA_DE_HORIZONTE = "fuera_de_horizonte"  # the name the forecast contract uses


@frozen(order=True)
class Discarded:
    """A source left out of one consensus value, and why."""

    source: str
    reason: Reason = field(converter=Reason)


def _by_source(item: Discarded) -> tuple[str, str]:
    """Discarded's own order (source, then reason), without attrs' generic comparison, which
    took a third of a long series' consensus time."""
    return item.source, item.reason.value


def source_number(value: object) -> float | int | None:
    """None, NaN and infinities are missing; booleans and non-numbers are refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("valor de proveedor no numérico", details={"valor": repr(value)})
    return value if math.isfinite(value) else None


@frozen
class SourceValue:
    """What one provider reported for one variable at one timestep (canonical unit)."""

    source: str
    value: float | int | None = field(default=None, converter=source_number)


@frozen
class ConsensusValue:
    """The combined value of one variable; wire names in brackets.

    value [valor] is None when no source survived, or when directions cancel out exactly.
    minimum/maximum [min/max] bound the survivors; for directions they are the ends of the
    smallest clockwise arc holding every survivor (so 350 -> 10 when it crosses north).
    deviation [desviacion] is statistics.pstdev of the survivors, for directions the RMS angular
    distance to the mean in degrees; 0 for one source. For weather codes minimum, maximum and
    deviation are None: codes have no order. source_count [n_fuentes], sources [fuentes] and
    discarded [descartadas] are sorted by source name.
    """

    variable: str
    value: float | int | None
    unit: str
    minimum: float | None
    maximum: float | None
    deviation: float | None
    source_count: int
    sources: tuple[str, ...]
    discarded: tuple[Discarded, ...]
    # [categoria] the band of the value: an ordinal's level name (riesgo_helada "alto") or the
    # heat-stress band of an ITH (set by queries.combine_readings, thresholds are settings).
    category: str | None = None


def angular_distance(a: float, b: float) -> float:
    """Shortest distance between two directions in degrees, in [0, 180]."""
    gap = abs(a - b) % 360.0
    return min(gap, 360.0 - gap)


def circular_mean(angles: Iterable[float]) -> float | None:
    """Direction of the sum of unit vectors, in [0, 360); None if empty or they cancel out."""
    radians = [math.radians(a) for a in angles]
    sin_sum = math.fsum(math.sin(r) for r in radians)
    cos_sum = math.fsum(math.cos(r) for r in radians)
    if not radians or math.hypot(sin_sum, cos_sum) < DEGENERATE_RESULTANT * len(radians):
        return None
    angle = round(math.degrees(math.atan2(sin_sum, cos_sum)) % 360.0, ANGLE_DIGITS)
    return angle % 360.0 + 0.0  # 360.0 after rounding is 0; + 0.0 turns -0.0 into 0.0


def _circular_medoid(present: Mapping[str, float]) -> float:
    """The reported direction closest in total to all others (tie: first source name)."""

    def cost(item: tuple[str, float]) -> tuple[float, str]:
        return math.fsum(angular_distance(item[1], v) for v in present.values()), item[0]

    return min(present.items(), key=cost)[1]


_NONE: frozenset[str] = frozenset()


def _outliers(variable: Variable, present: Mapping[str, float]) -> frozenset[str]:
    """Sources farther from the centre than max(K x scaled MAD, floor); at most half of them."""
    if variable.kind is Kind.CATEGORY or len(present) < MIN_SOURCES_FOR_OUTLIERS:
        return _NONE
    if variable.kind is not Kind.CIRCULAR:
        values = present.values()
        if max(values) - min(values) <= variable.outlier_floor:
            return _NONE  # no value is farther than the floor from a centre within the range
    if variable.kind is Kind.CIRCULAR:
        centre = _circular_medoid(present)
        distances = {s: angular_distance(v, centre) for s, v in present.items()}
    else:
        centre = statistics.median(present.values())
        distances = {s: abs(v - centre) for s, v in present.items()}
    spread = MAD_SCALE * statistics.median(distances.values())
    threshold = max(OUTLIER_K * spread, variable.outlier_floor)
    far = sorted(
        (s for s, d in distances.items() if d > threshold), key=lambda s: (distances[s], s)
    )
    keep = max(0, len(far) - len(present) // 2)  # the closest candidates stay if too many
    return frozenset(far[keep:])


def _covering_arc(angles: Iterable[float]) -> tuple[float, float]:
    """Start and end (clockwise) of the smallest arc holding every direction."""
    ordered = sorted({a % 360.0 for a in angles})
    count = len(ordered)
    gaps = [((ordered[(i + 1) % count] - ordered[i]) % 360.0, -i) for i in range(count)]
    widest = -max(gaps)[1] if count > 1 else 0
    return ordered[(widest + 1) % count], ordered[widest]


_Summary = tuple[float | None, float, float, float | None]  # value, minimum, maximum, deviation


def _combine_circular(survivors: Mapping[str, float]) -> _Summary:
    angles = [v % 360.0 for v in survivors.values()]
    start, end = _covering_arc(angles)
    if start == end:  # every source reports the same direction
        return start, start, end, 0.0
    mean = circular_mean(angles)
    if mean is None:
        return None, start, end, None
    squares = [angular_distance(a, mean) ** 2 for a in angles]
    return mean, start, end, round(math.sqrt(statistics.fmean(squares)), ANGLE_DIGITS)


def _combine_category(survivors: Mapping[str, float]) -> int:
    """Majority of WMO categories; ties go to the most severe, then the most frequent code."""
    codes = [int(v) for v in survivors.values()]
    if codes.count(codes[0]) == len(codes):
        return codes[0]  # one code (or one source): nothing to vote on
    votes = Counter(weather_codes.category_of(c) for c in codes)
    winner = max(votes, key=lambda cat: (votes[cat], cat.severity))
    within = Counter(c for c in codes if weather_codes.category_of(c) is winner)
    return max(within, key=lambda c: (within[c], c))  # tie: higher code, the more intense one


# statistics.pstdev's own last step (3.11+): the correctly rounded square root of a fraction.
_SQRT_OF_FRACTION = getattr(statistics, "_float_sqrt_of_frac", None)


def population_deviation(values: Sequence[float]) -> float:
    """statistics.pstdev(values), bit for bit, for finite floats, without a Fraction per value.

    pstdev sums exactly with Fractions, then takes the correctly rounded square root of the
    mean square deviation. Floats are dyadic: over the largest denominator D every value is
    a_i / D, so that mean is (n·Σa² − (Σa)²) / (n²·D²) in plain integers, reduced as a Fraction
    would be, then handed to the same square root.
    """
    if _SQRT_OF_FRACTION is None:
        return statistics.pstdev(values)
    ratios = [v.as_integer_ratio() for v in values]
    denominator = max(d for _, d in ratios)  # powers of two: the largest is a multiple of all
    scaled = [n * (denominator // d) for n, d in ratios]
    count, total = len(scaled), sum(scaled)
    numerator = count * sum(a * a for a in scaled) - total * total
    denominator = count * count * denominator * denominator
    common = math.gcd(numerator, denominator)
    return _SQRT_OF_FRACTION(numerator // common, denominator // common)


def _combine_linear(kind: Kind, survivors: Mapping[str, float]) -> _Summary:
    values = [float(v) for v in survivors.values()]
    low, high = min(values), max(values)
    if low == high != 0.0:  # one source, or all agree (zeros keep the sign rules below)
        return low, low, high, 0.0
    if kind is Kind.ORDINAL:  # a level: the upper median, so a tie takes the graver level
        return statistics.median_high(values), low, high, statistics.pstdev(values)
    centre = statistics.median(values) if kind is Kind.MEDIAN else statistics.fmean(values)
    # The exact mean lies in [low, high]; clamping only removes a last-bit rounding excursion.
    return min(max(centre, low), high), low, high, population_deviation(values)


def combine(
    variable: Variable, values: Iterable[SourceValue], *, failed: Iterable[Discarded] = ()
) -> ConsensusValue:
    """Combine every source's value for one variable and timestep.

    Missing values are discarded as sin_dato; values outside the variable's physical range and
    outliers as atipico. `failed` lists sources that returned nothing at all (error, timeout,
    ...) and is copied into `discarded`. The result never depends on the order of the sources.
    """
    readings = tuple(values)
    lost = tuple(failed)
    names = [r.source for r in readings]
    if len(set(names)) != len(names) or set(names) & {d.source for d in lost}:
        raise ValueError(f"fuentes repetidas en {variable.name}: {sorted(names)}")
    discarded = list(lost)
    present: dict[str, float] = {}
    for reading in readings:
        if reading.value is None:
            discarded.append(Discarded(reading.source, Reason.NO_DATA))
        elif not variable.is_plausible(reading.value):
            discarded.append(Discarded(reading.source, Reason.OUTLIER))
        else:
            present[reading.source] = reading.value
    return combine_present(variable, present, discarded)


def combine_present(
    variable: Variable, present: Mapping[str, float | int], discarded: list[Discarded]
) -> ConsensusValue:
    """combine()'s second half: `present` holds each source's finite, plausible value (sources
    distinct from those `discarded`), `discarded` the sources already left out (extended)."""
    rejected = _outliers(variable, present)
    survivors = present
    if rejected:
        discarded.extend(Discarded(source, Reason.OUTLIER) for source in rejected)
        survivors = {s: v for s, v in present.items() if s not in rejected}
    value: float | int | None = None
    low: float | None = None
    high: float | None = None
    deviation: float | None = None
    if variable.kind is Kind.CATEGORY and survivors:
        value = _combine_category(survivors)
    elif variable.kind is Kind.CIRCULAR and survivors:
        value, low, high, deviation = _combine_circular(survivors)
    elif survivors:
        value, low, high, deviation = _combine_linear(variable.kind, survivors)
    return ConsensusValue(
        variable=variable.name,
        value=value,
        unit=variable.unit,
        minimum=low,
        maximum=high,
        deviation=deviation,
        source_count=len(survivors),
        sources=tuple(sorted(survivors)),
        discarded=tuple(sorted(discarded, key=_by_source) if len(discarded) > 1 else discarded),
        category=level_name(variable, value),
    )

"""combine_readings' per-step loop gives what combine() itself gives, value by value.

combine_readings checks each value as SourceValue's converter and combine() do and hands the
survivors to combine_present; the reference builds SourceValues and calls combine() for every
variable (queries._combine_checked, the path taken when a source both answered and failed).
Compared by repr, so 0.0 and -0.0, 1 and 1.0 must match too.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model import consensus, weather_codes
from domain.model.agro.heat_stress import DEFAULT_THRESHOLDS
from domain.model.consensus import Discarded
from domain.model.queries import _combine_checked, combine_readings
from domain.model.readings import Reading
from domain.model.variables import VARIABLES, Kind

AT = datetime(2026, 12, 5, 12, tzinfo=UTC)
NAMES = ["a", "b", "c", "d", "e"]
special = st.sampled_from([None, 0.0, -0.0, float("nan"), float("inf"), 1, 2.0, 3, 1e6, True])
numbers = st.one_of(
    special,
    st.floats(-100, 1200, allow_nan=False),
    st.integers(-5, 100),
    st.sampled_from([0, 1, 2, 3, 45, 51, 61, 63, 95, 99, 4]),  # WMO codes, one unknown
)
origins = st.sampled_from(
    [
        {"tipo": "modelo", "modelo": "best_match"},
        {"tipo": "derivado", "metodo": "magnus", "tipo_entradas": "modelo"},
        {"estacion": "X1", "altitud_estacion_m": 2540.0},
        {"estacion": "X2", "altitud_estacion_m": "n/d"},
    ]
)


@st.composite
def steps(draw):
    variables = draw(st.lists(st.sampled_from(sorted(VARIABLES)), min_size=1, max_size=6))
    sources = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    # sources that agree, or nearly (zeros of either sign, 1 and 1.0): the shortcuts' cases
    pool = draw(st.sampled_from([numbers, st.sampled_from([0.0, -0.0, 0, 1.0, 1, None])]))
    rows = {}
    for source in sources:
        values, provenance, missing = {}, {}, {}
        for name in variables:
            if draw(st.booleans()) or draw(st.booleans()):
                values[name] = value = draw(pool)
                if value is not None and draw(st.booleans()):
                    provenance[name] = draw(origins)
                if value is None and draw(st.booleans()):
                    missing[name] = draw(st.sampled_from(["desactualizado", "otra_cosa", ""]))
        rows[source] = Reading(AT, values, provenance, missing)
    others = [n for n in NAMES if n not in sources]
    failed = draw(
        st.dictionaries(st.sampled_from(others or ["z"]), st.sampled_from(["error", "timeout"]))
    )
    kinds = {s: draw(st.sampled_from(["modelo", "observado"])) for s in sources}
    elevation = draw(st.sampled_from([None, 2600.0, 12]))
    return rows, failed, tuple(variables), kinds, elevation


def _outcome(run):
    try:
        return repr(run())
    except (ValidationError, ValueError) as error:
        return f"{type(error).__name__}: {error}"


@settings(max_examples=400)
@given(steps())
def test_the_fast_loop_matches_combine(step):
    rows, failed, variables, kinds, elevation = step
    lost = {source: Discarded(source, reason) for source, reason in failed.items()}
    fast = _outcome(lambda: combine_readings(rows, failed, variables, kinds, elevation))
    reference = _outcome(
        lambda: _combine_checked(rows, lost, variables, kinds, elevation, DEFAULT_THRESHOLDS)
    )
    assert fast == reference


# combine_present's shortcuts (all sources agree, a span within the outlier floor, one code)
# against the general rules they skip, written out as they were before the shortcuts.
def _linear_reference(kind, survivors):
    values = [float(v) for v in survivors.values()]
    low, high = min(values), max(values)
    if kind is Kind.ORDINAL:
        return statistics.median_high(values), low, high, statistics.pstdev(values)
    centre = statistics.median(values) if kind is Kind.MEDIAN else statistics.fmean(values)
    return min(max(centre, low), high), low, high, statistics.pstdev(values)


def _outliers_reference(variable, present):
    if variable.kind is Kind.CATEGORY or len(present) < consensus.MIN_SOURCES_FOR_OUTLIERS:
        return frozenset()
    if variable.kind is Kind.CIRCULAR:
        centre = consensus._circular_medoid(present)
        distances = {s: consensus.angular_distance(v, centre) for s, v in present.items()}
    else:
        centre = statistics.median(present.values())
        distances = {s: abs(v - centre) for s, v in present.items()}
    spread = consensus.MAD_SCALE * statistics.median(distances.values())
    threshold = max(consensus.OUTLIER_K * spread, variable.outlier_floor)
    far = sorted(
        (s for s, d in distances.items() if d > threshold), key=lambda s: (distances[s], s)
    )
    return frozenset(far[max(0, len(far) - len(present) // 2) :])


def _category_reference(survivors):
    codes = [int(v) for v in survivors.values()]
    votes = Counter(weather_codes.category_of(c) for c in codes)
    winner = max(votes, key=lambda cat: (votes[cat], cat.severity))
    within = Counter(c for c in codes if weather_codes.category_of(c) is winner)
    return max(within, key=lambda c: (within[c], c))


close = st.one_of(
    st.sampled_from([0.0, -0.0, 0, 1.0, 1, 2.5, 2, 3]),
    st.floats(-50, 50, allow_nan=False),
)


@settings(max_examples=400)
@given(
    st.sampled_from([v for v in VARIABLES.values() if v.kind is not Kind.CATEGORY]),
    st.dictionaries(st.sampled_from(NAMES), close, min_size=1),
)
def test_shortcuts_match_the_general_rules(variable, present):
    if variable.kind is not Kind.CIRCULAR:
        linear = consensus._combine_linear(variable.kind, present)
        assert repr(linear) == repr(_linear_reference(variable.kind, present))
    assert consensus._outliers(variable, present) == _outliers_reference(variable, present)


@given(st.dictionaries(st.sampled_from(NAMES), st.sampled_from([0, 1, 2, 3, 45, 61, 95, 99])))
def test_one_code_needs_no_vote(present):
    if present:
        assert repr(consensus._combine_category(present)) == repr(_category_reference(present))

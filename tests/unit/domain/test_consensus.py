"""Consensus: properties of the combination rules, outlier rejection and WMO voting."""

from __future__ import annotations

import math
from unittest import mock

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.errors import ValidationError
from domain.model import consensus
from domain.model.consensus import (
    ConsensusValue,
    Discarded,
    Reason,
    SourceValue,
    angular_distance,
    circular_mean,
    combine,
)
from domain.model.variables import VARIABLES, Variable

TEMPERATURE = VARIABLES["temperatura"]
PRECIPITATION = VARIABLES["precipitacion"]
DIRECTION = VARIABLES["direccion_viento"]
DESCRIPTION = VARIABLES["descripcion_clima"]
NAMES = ["open_meteo", "owm", "meteoblue", "meteosource", "ideam", "siata", "s7", "s8"]

temperatures = st.floats(-50, 50)
directions = st.floats(0, 360, exclude_max=True)
wmo_codes = st.sampled_from([0, 1, 2, 3, 45, 51, 61, 63, 65, 71, 80, 82, 95, 99])
VALUES = {
    "temperatura": temperatures,
    "precipitacion": st.floats(0, 100),
    "direccion_viento": directions,
    "descripcion_clima": wmo_codes,
}


def readings(values: st.SearchStrategy[float], min_size: int = 1) -> st.SearchStrategy:
    """Lists of SourceValue with distinct source names."""
    names = st.lists(st.sampled_from(NAMES), min_size=min_size, unique=True)
    return names.flatmap(
        lambda ns: st.lists(values, min_size=len(ns), max_size=len(ns)).map(
            lambda vs: [SourceValue(n, v) for n, v in zip(ns, vs, strict=True)]
        )
    )


def values(*pairs: tuple[str, float | None]) -> list[SourceValue]:
    return [SourceValue(name, value) for name, value in pairs]


def reasons(result: ConsensusValue) -> dict[str, Reason]:
    return {d.source: d.reason for d in result.discarded}


def on_circle(a: float | None, b: float | None, tolerance: float = 1e-6) -> bool:
    return a is not None and b is not None and angular_distance(a, b) < tolerance


@pytest.mark.parametrize("variable", [TEMPERATURE, PRECIPITATION])
@given(data=st.data())
def test_value_lies_within_the_survivors(variable: Variable, data: st.DataObject) -> None:
    given_values = data.draw(readings(VALUES[variable.name]))
    result = combine(variable, given_values)
    survivors = [sv.value for sv in given_values if sv.source in result.sources]

    assert result.minimum == min(survivors)
    assert result.maximum == max(survivors)
    assert result.value is not None
    assert result.minimum <= result.value <= result.maximum
    assert result.source_count == len(survivors) >= 1


@pytest.mark.parametrize("variable", [TEMPERATURE, PRECIPITATION, DIRECTION, DESCRIPTION])
@given(data=st.data())
def test_order_of_sources_does_not_matter(variable: Variable, data: st.DataObject) -> None:
    given_values = data.draw(readings(VALUES[variable.name]))
    shuffled = data.draw(st.permutations(given_values))

    assert combine(variable, shuffled) == combine(variable, given_values)


@pytest.mark.parametrize("variable", [TEMPERATURE, PRECIPITATION, DIRECTION, DESCRIPTION])
@given(data=st.data())
def test_one_source_is_returned_unchanged(variable: Variable, data: st.DataObject) -> None:
    value = data.draw(VALUES[variable.name])
    result = combine(variable, [SourceValue("owm", value)])

    assert result.value == value
    assert (result.source_count, result.sources, result.discarded) == (1, ("owm",), ())
    if variable is not DESCRIPTION:
        assert (result.minimum, result.maximum, result.deviation) == (value, value, 0.0)


@given(st.lists(st.integers(0, 359), min_size=1, max_size=8), st.integers(-720, 720))
def test_circular_mean_commutes_with_rotation(angles: list[int], turn: int) -> None:
    assume(math.hypot(*_resultant(angles)) > 1e-6 * len(angles))
    rotated = circular_mean((a + turn) % 360 for a in angles)
    mean = circular_mean(angles)

    assert mean is not None
    assert 0 <= mean < 360
    assert on_circle(rotated, (mean + turn) % 360)


@given(readings(st.integers(0, 359)), st.integers(1, 359))
def test_direction_consensus_commutes_with_rotation(given_values: list, turn: int) -> None:
    angles = [sv.value for sv in given_values]
    assume(math.hypot(*_resultant(angles)) > 1e-6 * len(angles))
    turned = [attrs.evolve(sv, value=(sv.value + turn) % 360) for sv in given_values]
    result, rotated = combine(DIRECTION, given_values), combine(DIRECTION, turned)

    assert (rotated.sources, rotated.discarded) == (result.sources, result.discarded)
    assert result.value is not None
    assert on_circle(rotated.value, (result.value + turn) % 360)
    assert rotated.deviation == pytest.approx(result.deviation, abs=1e-6)


def _resultant(angles: list[int]) -> tuple[float, float]:
    return (
        math.fsum(math.sin(math.radians(a)) for a in angles),
        math.fsum(math.cos(math.radians(a)) for a in angles),
    )


def test_350_and_10_degrees_average_to_north() -> None:
    result = combine(DIRECTION, values(("a", 350), ("b", 10)))

    assert result.value == 0.0
    assert (result.minimum, result.maximum) == (350.0, 10.0)
    assert result.deviation == pytest.approx(10.0)


def test_opposite_directions_have_no_prevailing_direction() -> None:
    result = combine(DIRECTION, values(("a", 90), ("b", 270)))

    assert result.value is None
    assert result.deviation is None
    assert result.source_count == 2


def test_a_direction_far_from_the_others_is_an_outlier() -> None:
    result = combine(DIRECTION, values(("a", 355), ("b", 5), ("c", 0), ("d", 180)))

    assert reasons(result) == {"d": Reason.ATIPICO}
    assert result.value == 0.0


@pytest.mark.parametrize("variable", [TEMPERATURE, PRECIPITATION, DIRECTION])
@given(data=st.data(), k=st.sampled_from([3.0, 0.5, 0.0]), floor=st.sampled_from([None, 0.0]))
def test_never_rejects_more_than_half(
    variable: Variable, data: st.DataObject, k: float, floor: float | None
) -> None:
    if floor is not None:
        variable = attrs.evolve(variable, outlier_floor=floor)
    given_values = data.draw(readings(VALUES[variable.name]))
    with mock.patch.object(consensus, "OUTLIER_K", k):
        result = combine(variable, given_values)

    assert len(result.discarded) <= len(given_values) // 2
    assert result.source_count + len(result.discarded) == len(given_values)


def test_too_many_candidates_keep_the_closest_then_the_first_names() -> None:
    loose = attrs.evolve(TEMPERATURE, outlier_floor=0.0)
    given_values = values(("p", 10), ("q", 12), ("r", 8), ("s", 12), ("t", 8))
    with mock.patch.object(consensus, "OUTLIER_K", 0.0):
        result = combine(loose, given_values)

    assert reasons(result) == {"s": Reason.ATIPICO, "t": Reason.ATIPICO}
    assert result.sources == ("p", "q", "r")


@pytest.mark.parametrize("variable", [TEMPERATURE, PRECIPITATION, DIRECTION, DESCRIPTION])
@given(data=st.data(), missing=st.lists(st.sampled_from(["x1", "x2", "x3"]), unique=True))
def test_missing_values_never_count(
    variable: Variable, data: st.DataObject, missing: list[str]
) -> None:
    given_values = data.draw(readings(VALUES[variable.name]))
    with_gaps = combine(variable, [*given_values, *(SourceValue(n, None) for n in missing)])
    without = combine(variable, given_values)
    gaps = tuple(d for d in with_gaps.discarded if d.reason is Reason.SIN_DATO)

    assert {d.source for d in gaps} == set(missing)
    assert attrs.evolve(with_gaps, discarded=without.discarded) == without


@given(dry=st.integers(2, 6), wet=st.floats(0.1, 500))
def test_precipitation_median_ignores_a_lone_wet_source(dry: int, wet: float) -> None:
    given_values = [SourceValue(f"dry{i}", 0.0) for i in range(dry)]
    result = combine(PRECIPITATION, [*given_values, SourceValue("wet", wet)])

    assert result.value == 0.0


def test_floor_keeps_a_close_neighbour_of_a_tight_cluster() -> None:
    tight = values(("a", 20.0), ("b", 20.05), ("c", 20.1), ("d", 20.6))
    result = combine(TEMPERATURE, tight)
    without_floor = combine(attrs.evolve(TEMPERATURE, outlier_floor=0.0), tight)

    assert TEMPERATURE.outlier_floor >= 0.5
    assert result.discarded == ()
    assert result.source_count == 4
    assert reasons(without_floor) == {"d": Reason.ATIPICO}
    assert without_floor.value == pytest.approx(20.05)


def test_a_gross_error_is_rejected_despite_the_floor() -> None:
    result = combine(TEMPERATURE, values(("a", 20.0), ("b", 20.4), ("c", 21.0), ("f", 31.0)))

    assert reasons(result) == {"f": Reason.ATIPICO}
    assert result.value == pytest.approx(20.466666666666665)


def test_impossible_values_are_rejected_even_alone() -> None:
    result = combine(TEMPERATURE, values(("owm", 295.15)))

    assert (result.value, result.source_count) == (None, 0)
    assert result.discarded == (Discarded("owm", "atipico"),)


def test_a_measured_zero_stays_zero() -> None:
    rain = combine(PRECIPITATION, values(("a", 0), ("b", None)))
    cold = combine(TEMPERATURE, values(("a", 0.0), ("b", 0)))

    assert rain.value == 0.0
    assert rain.source_count == 1
    assert cold.value == 0.0
    assert (cold.minimum, cold.maximum, cold.deviation) == (0, 0, 0)


def test_no_values_at_all_gives_an_empty_consensus() -> None:
    result = combine(
        TEMPERATURE, values(("a", None), ("b", math.nan)), failed=[Discarded("c", "timeout")]
    )

    assert result == ConsensusValue(
        variable="temperatura",
        value=None,
        unit="°C",
        minimum=None,
        maximum=None,
        deviation=None,
        source_count=0,
        sources=(),
        discarded=(
            Discarded("a", Reason.SIN_DATO),
            Discarded("b", Reason.SIN_DATO),
            Discarded("c", Reason.TIMEOUT),
        ),
    )


def test_deviation_is_the_population_standard_deviation() -> None:
    result = combine(TEMPERATURE, values(("a", 18.0), ("b", 20.0)))

    assert (result.value, result.deviation) == (19.0, 1.0)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([61, 63, 3], 63),  # rain wins 2-1; 61 and 63 tie, the heavier code wins
        ([61, 61, 63, 0], 61),  # most frequent code within the winning category
        ([3, 2, 61, 80], 3),  # nubes 2 beats lluvia 1 and chubascos 1
        ([0, 95], 95),  # 1-1 tie: the storm is more severe
        ([45, 1, 71], 71),  # three-way tie: snow is the most severe
        ([61.0, 61, 2], 61),
    ],
)
def test_weather_description_majority(codes: list[float], expected: int) -> None:
    result = combine(DESCRIPTION, [SourceValue(f"s{i}", c) for i, c in enumerate(codes)])

    assert result.value == expected
    assert result.source_count == len(codes)
    assert (result.minimum, result.maximum, result.deviation) == (None, None, None)


def test_unknown_weather_code_is_discarded() -> None:
    result = combine(DESCRIPTION, values(("a", 62), ("b", 3)))

    assert (result.value, reasons(result)) == (3, {"a": Reason.ATIPICO})


def test_reasons_are_the_wire_names() -> None:
    assert [r.value for r in Reason] == [
        "atipico", "sin_dato", "error", "timeout", "sin_clave", "cuota_agotada",
        "fuera_de_cobertura", "clave_invalida", "desactualizado", "fuera_de_horizonte",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="desconocido"):
        Discarded("a", "desconocido")


def test_duplicate_sources_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="fuentes repetidas"):
        combine(TEMPERATURE, values(("a", 1.0), ("a", 2.0)))
    with pytest.raises(ValueError, match="fuentes repetidas"):
        combine(TEMPERATURE, values(("a", 1.0)), failed=[Discarded("a", Reason.ERROR)])


@pytest.mark.parametrize("bad", [True, "20", [1]])
def test_source_values_must_be_numbers(bad: object) -> None:
    with pytest.raises(ValidationError):
        SourceValue("a", bad)  # type: ignore[arg-type]


@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
        min_size=1,
        max_size=8,
    )
    | st.lists(
        st.floats(
            allow_nan=False, allow_infinity=False, width=64, min_value=-1e150, max_value=1e150
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_deviation_is_statistics_pstdev_bit_for_bit(values):
    """The deviation a client sees is statistics.pstdev's, to the last bit (fast path or not)."""
    import statistics

    expected = statistics.pstdev(values)
    got = consensus.population_deviation(values)
    assert got.hex() == expected.hex()


def test_the_deviation_of_readings_as_providers_send_them():
    import statistics

    for values in (
        [18.4],
        [18.4, 18.4],
        [0.1, 0.2, 0.3],
        [-0.0, 0.0],
        [5e-324, 1.0],
        [21.7, 19.9, 23.05, 20.0],
    ):
        assert consensus.population_deviation(values).hex() == statistics.pstdev(values).hex()

"""The console's forecast text rules (static/console/forecast.js), run by node: what a person
reads about alerts, horizons, the sources left per step and the daily summary."""

from __future__ import annotations

import json
import subprocess

import pytest

from adapters.http.resources.console import CONSOLE
from tests.conftest import require_tool

ZONE = "America/Bogota"
HEAT = {
    "tipo": "estres_calorico",
    "nivel": "peligro",
    "desde": "2026-12-06T16:00:00+00:00",
    "hasta": "2026-12-06T22:00:00+00:00",
    "pico": 79.84,
    "variable": "ith",
    "mensaje": "Estrés calórico para el ganado.",
}
FROST = {
    **HEAT,
    "tipo": "helada",
    "nivel": "alto",
    "desde": "2026-12-05T09:00:00+00:00",
    "pico": 3,
    "variable": "riesgo_helada",
}


def run(expression: str) -> object:
    """The JSON value of `expression`, evaluated with forecast.js imported as `f`."""
    script = (
        f"import * as f from {json.dumps((CONSOLE / 'forecast.js').as_uri())};\n"
        f"process.stdout.write(JSON.stringify({expression}));"
    )
    done = subprocess.run(
        [require_tool("node"), "--input-type=module", "-e", script],
        capture_output=True,
        text=True,
        timeout=30,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def step(instant: str, sources: int, beyond: list[str]) -> dict:
    discarded = [{"fuente": p, "motivo": "fuera_de_horizonte"} for p in beyond]
    consensus = {"valor": 30.0, "n_fuentes": sources, "descartadas": discarded}
    return {"instante": instant, "consenso": {"temperatura": consensus}}


def test_an_alert_says_its_kind_level_and_hours_in_the_places_zone():
    title, detail, kind = run(
        f"[f.alertTitle({json.dumps(HEAT)}), f.alertDetail({json.dumps(HEAT)}, '{ZONE}'),"
        f" f.alertClass({json.dumps(HEAT)})]"
    )
    assert title == "Estrés calórico: peligro"
    # 16:00 UTC is 11:00 in Bogotá (UTC-5): the hours are the place's, not the browser's.
    assert "11:00" in detail and "79,84" in detail and "ITH" in detail, detail
    # Within one local day the date is said once: "6/12/2026, 11:00 a. m. – 5:00 p. m. · …".
    assert not detail.startswith("Del") and detail.count("2026") == 1, detail
    assert kind == "alerta-media"
    assert run(f"f.alertClass({json.dumps(FROST)})") == "alerta-grave"  # frost "alto"
    # A frost alert's peak is a level number (3 = alto): the level in words says it already.
    frost = run(f"f.alertDetail({json.dumps(FROST)}, '{ZONE}')")
    assert "pico" not in frost and "4:00" in frost, frost


def test_an_alert_across_midnight_names_both_days():
    night = {**FROST, "desde": "2026-12-06T04:00:00+00:00", "hasta": "2026-12-06T11:00:00+00:00"}
    detail = run(f"f.alertDetail({json.dumps(night)}, '{ZONE}')")
    assert detail.startswith("Del ") and detail.count("2026") == 2, detail


def test_alerts_are_listed_in_time_order():
    order = run(f"f.sortedAlerts([{json.dumps(HEAT)}, {json.dumps(FROST)}]).map(a => a.tipo)")
    assert order == ["helada", "estres_calorico"]


def test_the_fall_of_sources_with_lead_time_is_told_once_per_change():
    serie = [
        step("2026-12-05T10:00:00-05:00", 2, []),
        step("2026-12-05T11:00:00-05:00", 2, []),
        step("2026-12-11T11:00:00-05:00", 1, ["meteosource"]),
        step("2026-12-11T12:00:00-05:00", 1, ["meteosource"]),
    ]
    steps = run(f"f.sourceSteps({json.dumps(serie)}, 'temperatura')")
    assert [(s["n_fuentes"], s["fuera"]) for s in steps] == [(2, []), (1, ["meteosource"])]
    text = run(f"f.sourceStepsText({json.dumps(serie)}, 'temperatura', '{ZONE}')")
    assert text.startswith("2 fuentes desde")
    assert "; 1 fuente desde" in text and "(fuera de horizonte: meteosource)" in text


def test_each_provider_horizon_is_a_row_with_its_reach_in_words():
    forecast = {
        "horizontes": {
            "open_meteo": {
                "limite": "2026-12-12T05:00:00+00:00",
                "horizonte": {"cantidad": 16, "unidad": "dias"},
                "modelo": "best_match",
            },
            "meteosource": {
                "limite": "2026-12-11T16:00:00+00:00",
                "horizonte": {"cantidad": 1, "unidad": "horas"},
            },
        }
    }
    rows = run(f"f.horizonRows({json.dumps(forecast)}, '{ZONE}')")
    assert [r[0] for r in rows] == ["open_meteo", "meteosource"]
    assert rows[0][2] == "16 días" and rows[0][3] == "best_match" and rows[0][4] == "—"
    assert rows[1][2] == "1 hora" and rows[1][3] == "—"
    assert "12:00" in rows[0][1]  # 05:00 UTC is local midnight (12:00 a. m. in es-CO)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            {
                "fecha": "2026-12-05",
                "horas_ith": {"normal": 14, "alerta": 4, "peligro": 6, "emergencia": 0},
                "horas_alivio_nocturno": 8,
                "et0": 4.126,
                "grados_dia": 12.5,
                "grados_dia_acumulados": 25,
                "riesgo_helada": "nulo",
            },
            ["2026-12-05", "14 / 4 / 6 / 0", "8", "4,13 mm", "12,5 °C·día", "25 °C·día", "Nulo"],
        ),
        (
            {"fecha": "2026-12-06", "horas_ith": None, "et0": None, "riesgo_helada": None},
            ["2026-12-06", "—", "—", "—", "—", "—", "—"],
        ),
    ],
)
def test_the_daily_summary_row_shows_missing_values_as_a_dash(day, expected):
    assert run(f"f.dailyRows([{json.dumps(day)}])[0]") == expected

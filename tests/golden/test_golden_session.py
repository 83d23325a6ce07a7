"""The golden session: every route's answers, recorded before the issue-11 refactoring.

`script.py` drives the in-process app (memory adapters, a fixed clock, Open-Meteo and
OpenWeatherMap served from real provider samples on 127.0.0.1) through every route with its
success and error cases and each download format; `session.json` holds what it answered
(status, the headers a client notices, the body), with ids, wall-clock instants, durations and
tokens replaced by placeholders. Any difference fails, showing the first differing step.

After an intended change of behaviour, rewrite the file and review its diff:
    CLIMAGURU_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/golden -q
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from tests.golden.recorder import Session
from tests.golden.script import run
from tests.golden.upstream import golden_app

GOLDEN = Path(__file__).with_name("session.json")


def _dump(value: object) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _first_difference(expected: list[dict], actual: list[dict]) -> str:
    for n in range(max(len(expected), len(actual))):
        old = expected[n] if n < len(expected) else None
        new = actual[n] if n < len(actual) else None
        if old != new:
            diff = difflib.unified_diff(
                _dump(old).splitlines(), _dump(new).splitlines(), "golden", "now", lineterm=""
            )
            request = (old or new or {}).get("request", {})
            where = f"{request.get('method')} {request.get('path')}"
            head = f"golden session differs at step {n + 1} ({where}), of {len(expected)} recorded"
            return head + f" / {len(actual)} now:\n" + "\n".join(diff)
    return "no difference"


def test_every_route_answers_as_recorded(tmp_path):
    with golden_app(tmp_path) as (client, container, clock):
        session = Session(client)
        run(session, container, clock)
    if os.environ.get("CLIMAGURU_GOLDEN_UPDATE") == "1":
        GOLDEN.write_text(_dump(session.steps), encoding="utf-8")
        pytest.skip(f"rewrote {GOLDEN.name} ({len(session.steps)} steps): review its diff")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = json.loads(_dump(session.steps))
    if actual != expected:
        pytest.fail(_first_difference(expected, actual), pytrace=False)

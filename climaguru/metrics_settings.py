"""METRICS and METRICS_TOKEN: whether /metrics is served, and to whom."""

from __future__ import annotations

from collections.abc import Mapping

from climaguru.secret_checks import too_predictable

MODES = ("off", "on", "token")
MIN_TOKEN_BYTES = 32


class MetricsSettingsError(ValueError):
    """METRICS or METRICS_TOKEN is wrong; the message names the variable."""


def parse_metrics_settings(values: Mapping[str, str], env: str) -> dict[str, str | None]:
    """off: no /metrics (404) and nothing recorded; on: /metrics open to whoever reaches the
    app's bind address (keep it private); token: /metrics needs Authorization: Bearer
    <METRICS_TOKEN>. Unset: on in development and testing, off in production."""
    raw = values.get("METRICS", "").strip().lower()
    mode = raw or ("off" if env == "production" else "on")
    if mode not in MODES:
        raise MetricsSettingsError("METRICS debe ser off, on o token")
    token = values.get("METRICS_TOKEN", "").strip()
    if mode != "token":
        return {"metrics": mode, "metrics_token": None}
    if len(token.encode()) < MIN_TOKEN_BYTES:
        raise MetricsSettingsError(
            f"METRICS=token requiere METRICS_TOKEN de al menos {MIN_TOKEN_BYTES} bytes"
        )
    if env == "production" and too_predictable(token.encode()):
        raise MetricsSettingsError("METRICS_TOKEN es demasiado predecible; genere uno aleatorio")
    return {"metrics": mode, "metrics_token": token}

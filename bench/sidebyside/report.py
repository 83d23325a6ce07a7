"""The side-by-side results as a markdown table: each side's medians, then B / A."""

from __future__ import annotations


def _x(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _side(config: str, route: str, label: str, s: dict) -> str:
    other = "—" if s["other_cpu_max"] is None else f"{s['other_cpu_max']:.0f}%"
    return (
        f"| {config} | {route} | {label} | {s['rps']:.0f} ({s['rps_min']:.0f}–{s['rps_max']:.0f})"
        f" | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['server_cpu_ms_per_req']:.2f} | "
        f"{_ms(s['db_cpu_ms_per_req'])} | {s['non_2xx']} / {s['socket_errors']} | {other} |"
    )


def table(comparisons: list[dict]) -> str:
    out = [
        "| configuration | route | side | req/s median (min–max) | p50 ms | p99 ms | "
        "gunicorn CPU ms/req | MariaDB CPU ms/req | non-2xx / socket errors | other work (max) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in comparisons:
        a, b = c["a"], c["b"]
        route = f"{c['route']} (-c{c['connections']})"
        out.append(_side(c["config"], route, a, c[a]))
        out.append(_side("", "", b, c[b]))
        r = c["ratio_b_over_a"]
        out.append(
            f"| | | **{b} / {a}** | **{_x(r['rps'])}** | {_x(r['p50_ms'])} | {_x(r['p99_ms'])} | "
            f"{_x(r['server_cpu_ms_per_req'])} | {_x(r['db_cpu_ms_per_req'])} | | |"
        )
    return "\n".join(out)

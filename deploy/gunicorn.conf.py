"""Gunicorn settings for ClimaGuru from the environment; importing it has no side effects.

Run:  gunicorn -c deploy/gunicorn.conf.py 'climaguru.wsgi:build_app()'
Env:  GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_ACCESSLOG,
      QUERY_DEADLINE, TRUSTED_PROXIES, LOG_LEVEL (read like the app does: environment over .env).
"""

import os
from pathlib import Path

from dotenv import dotenv_values

# The same sources, in the same order, as climaguru.settings.load_settings: the .env file of
# the working directory, overridden by the environment. So this file and the app agree on
# GUNICORN_TIMEOUT and QUERY_DEADLINE even when they come from .env.
_ENV = (
    {k: v for k, v in dotenv_values(".env").items() if v is not None}
    if Path(".env").is_file()
    else {}
)
_ENV.update(os.environ)


def _env_int(name: str, default: int, low: int = 1, high: int = 10_000) -> int:
    raw = _ENV.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise SystemExit(f"{name} must be between {low} and {high}, got {value}")
    return value


def _env_seconds(name: str, default: float) -> float:
    raw = _ENV.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be a number of seconds, got {raw!r}") from None


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours taskset / cgroup cpusets
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = _ENV.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"

# Processes give CPU parallelism (the GIL serialises a worker's threads): one per CPU, at least
# 2 (a worker that restarts or runs a CPU-heavy download never holds the whole host), at most 6.
# Not gunicorn's 2*CPU+1, which is advice for sync workers (one request each): with threads, 5
# processes on 2 CPUs only preempt each other. Measured (issue 15, 2 CPUs, wrk -c16, medians of
# 3 x 10 s, bench/README.md "Issue 15: reads outside a transaction"): at the same req/s, 5 x 4
# answered with p99 3.2-5.7x its p50 on /auth/me and 2.6-4.9x on mis-consultas, 3 x 4 2.7-3.6x
# and 2.8-3.6x, 2 x 4 2.4-2.8x and 2.2-2.6x. Every worker owns a SQLAlchemy pool of up to
# DB_POOL_SIZE + DB_MAX_OVERFLOW connections (5 + 10 by default) and one of DB_POOL_SIZE
# autocommit connections for one-statement reads, and workers * that must stay well under
# MySQL's max_connections (151 by default; 6 workers * 20 = 120). Raise the cap only with it.
workers = _env_int("GUNICORN_WORKERS", max(2, min(_cpu_count(), 6)), high=64)

# Threads cover waiting, not CPU. A weather query holds its request thread for the whole
# provider fan-out, which QUERY_DEADLINE (20 s) bounds: the thread mostly sleeps on sockets (the
# provider calls themselves run in the worker's PROVIDER_POOL_SIZE pool). So threads must be
# >= the queries a worker is expected to have in flight: Little's law, rate * latency; at
# 8 queries/s with a ~1 s cold fan-out over 2 workers that is 4.
# 4, not more, from measurement (issue 15, 2 CPUs, wrk -c16 on GET /api/auth/me, CPU of the
# gunicorn tree per request; a busy host, so medians of noisy pairs): 5x4 1.2-1.4 ms and p99
# 65-250 ms; 5x8 1.75 ms and p99 320-1180 ms; 3x8 1.3-1.8 ms, p99 265-390 ms; 2x8 1.8-2.3 ms,
# p99 430-720 ms; 2x4 and 3x4 1.15-1.6 ms, p99 80-225 ms. Every thread of a worker that has
# a request to run competes for the GIL: a thread back from a MariaDB round trip waits for
# it behind the others (the "convoy"), so beyond ~4 runnable threads a worker spends more CPU
# switching and its slowest requests wait longest. Threads asleep on the fan-out do not
# compete; the limit costs capacity only when many queries wait at once (a silent provider:
# 2 x 4 = 8 in flight on 2 CPUs, at PROVIDER_TIMEOUT 8 s about 1 such query/s per host
# before requests queue in the backlog: raise GUNICORN_THREADS where that matters more than
# the tail latency of quick requests). A request thread holds a DB connection only inside a
# unit of work, never across the fan-out, so DB_POOL_SIZE + DB_MAX_OVERFLOW (15) >= threads.
# gthread rather than sync also keeps streamed export downloads to one thread, and the
# heartbeat runs in the worker's main loop, so `timeout` kills hung workers without cutting
# a long download short (a sync worker would be killed mid-stream).
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4, high=64)
# A worker holds at most twice its threads in connections (the rest wait in the listen backlog
# for whichever worker has room): with long-lived keep-alive clients one worker could
# otherwise accept them all and leave the other CPU idle (2 x 4 measured 861 req/s instead of
# ~1 500 on mis-consultas once that happened). gthread keeps worker_connections - threads idle
# keep-alive connections, so `threads` of them here; nginx opens one connection per request.
worker_connections = 2 * threads

# The worker timeout must outlast the provider deadline, or gunicorn kills a worker whose
# query is about to answer (and record its outcome). climaguru.settings refuses the same
# combination; refusing here too stops gunicorn before it forks anything.
timeout = _env_int("GUNICORN_TIMEOUT", 30, low=5, high=3600)
query_deadline = _env_seconds("QUERY_DEADLINE", 20.0)
if timeout <= query_deadline:
    raise SystemExit(
        f"GUNICORN_TIMEOUT ({timeout} s) must be greater than QUERY_DEADLINE "
        f"({query_deadline:g} s): gunicorn would kill workers in the middle of a query"
    )
# On SIGTERM/HUP, let in-flight requests finish; systemd's TimeoutStopSec must be larger.
graceful_timeout = timeout
# nginx reuses upstream connections only if configured to (it is not); keep idle ones short.
keepalive = 5

# Request limits, explicit. nginx's large_client_header_buffers (4 x 8k) rejects longer
# lines and fields first with its own JSON 414/400; these protect direct access and tests.
# Everything nginx accepts must pass here too (tests/deploy/test_nginx_real_app.py probes the
# edges): nginx takes a request line or a header line of up to 8190 bytes + CRLF. gunicorn's
# limit_request_line (8190, its maximum) excludes the CRLF; limit_request_field_size counts
# it, and nginx may add the space after a field's colon: 8190 + 2 + 1, rounded to 8200.
# 100 fields leaves room for nginx's X-Forwarded-* and X-Request-ID on top of any reasonable
# client; more get gunicorn's JSON 431 below (nginx cannot count fields).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8200

# Errors gunicorn answers itself, before the app sees the request (a request line, header
# field or header count over the limits above, malformed HTTP), are HTML by default. Answer
# them as JSON like the app ({"error", "message", "request_id"}): behind nginx they pass
# through as they are (nginx answers the oversized line and field first, but it cannot count
# header fields, so a request with more than 100 small ones reaches gunicorn).
_GUNICORN_ERRORS = {
    400: ("solicitud_invalida", "La petición está mal formada"),
    403: ("prohibido", "Petición no permitida"),
    414: ("uri_demasiado_larga", "La dirección de la petición es demasiado larga"),
    417: ("expectativa_fallida", "La cabecera Expect no se puede cumplir"),
    431: ("cabeceras_demasiado_grandes", "La petición tiene demasiadas cabeceras o muy grandes"),
    500: ("error_interno", "error interno del servidor"),
    501: ("no_implementado", "Codificación de transferencia no soportada"),
}


def _json_error(sock, status_int, reason, mesg):  # gunicorn.util.write_error's signature
    """gunicorn's error answer as JSON; its English detail (`mesg`) stays in its log only."""
    import json

    from gunicorn import util

    code, message = _GUNICORN_ERRORS.get(status_int, ("solicitud_invalida", reason))
    doc = {"error": code, "message": message, "request_id": None}
    body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


# Prometheus multiprocess mode (/metrics counts every worker): before forking, the master
# exports PROMETHEUS_MULTIPROC_DIR (the configured directory, else $RUNTIME_DIRECTORY/metrics
# under systemd, else a temporary one) emptied of the last run's files; each worker writes its
# counts there and a scrape sums them. One directory per gunicorn: never share it.
def on_starting(server):
    from climaguru import metrics_dir

    metrics_dir.prepare(_ENV.get("PROMETHEUS_MULTIPROC_DIR"), _ENV.get("RUNTIME_DIRECTORY"))


def child_exit(server, worker):
    from climaguru import metrics_dir

    metrics_dir.worker_exited(worker.pid)


def on_exit(server):
    from climaguru import metrics_dir

    metrics_dir.cleanup()


def post_worker_init(worker):
    """In each worker (never at import): gunicorn writes its own errors with util.write_error."""
    from gunicorn import util

    util.write_error = _json_error


# Recycle workers now and then to bound slow leaks; jitter keeps them from restarting together.
# Not too often: a new worker costs ~0.9 s of CPU (build_app() imports everything) and its
# queue waits meanwhile. At 1000 the load benchmark saw a worker restart every ~12 s per
# worker, a fifth of the CPU of this 2-core host spent booting; at 10 000, once the hot path
# served ~2 000 req/s (issue 15), the side-by-side saw a restart every ~10 s per sync worker,
# each one a p99 of 0.7-1.3 s on /auth/me and +0.5 ms CPU/request in the rounds it fell in
# (bench/README.md, sidebyside). At 100 000, with one worker per CPU each serving ~1 400
# req/s under saturation, the side-by-side again saw both workers restart within its run
# (2026-12-06 00:41 UTC), a p99 of 0.8-1.1 s in those rounds. 1 000 000 is ~12 min per worker
# at that rate and weeks at a farm platform's real one. GUNICORN_MAX_REQUESTS=0 turns it off.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1_000_000, low=0, high=10_000_000)
max_requests_jitter = max_requests // 10

# False on purpose: each worker calls build_app() itself, so every worker creates its own DB
# pool (and HTTP sessions) after the fork; sockets are never shared across processes. It also
# makes a HUP reload (systemctl reload) start workers on freshly imported code.
preload_app = False

# Only the proxy may claim HTTPS; honour X-Forwarded-Proto alone so that a client-sent
# X-Forwarded-Ssl / X-Forwarded-Protocol cannot contradict nginx and turn requests into 400s.
forwarded_allow_ips = (
    ",".join(p.strip() for p in _ENV.get("TRUSTED_PROXIES", "127.0.0.1").split(",") if p.strip())
    or "127.0.0.1"
)
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# The app logs one JSON line per request itself, so gunicorn's access log is off by default
# (two lines per request otherwise). GUNICORN_ACCESSLOG=1 (or "-") sends it to stdout, a path
# to that file; 0/off/empty keeps it off. Errors go to stderr, i.e. the journal under systemd.
_access = _ENV.get("GUNICORN_ACCESSLOG", "").strip()
if _access.lower() in ("", "0", "off", "false", "no"):
    accesslog = None
elif _access.lower() in ("1", "on", "true", "yes", "-"):
    accesslog = "-"
else:
    accesslog = _access
errorlog = "-"
loglevel = _ENV.get("LOG_LEVEL", "info").strip().lower() or "info"
# Path only (%(U)s), never the query string (%(q)s) or request line (%(r)s), never the
# Authorization header, no referrer. %(h)s is nginx; the client address is X-Forwarded-For.
access_log_format = (
    '%({x-forwarded-for}i)s via %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s '
    '%(M)sms rid=%({x-request-id}i)s ua="%(a)s" %(p)s'
)

# Gunicorn >= 25.1 opens a control socket (for gunicornc). Under systemd keep it in the
# unit's RuntimeDirectory (mode 0600); elsewhere turn it off, since every gunicorn of a user
# would otherwise share ~/.gunicorn/gunicorn.ctl (tests and benchmarks run several at once).
# Older versions ignore both settings.
if _ENV.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(_ENV["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
else:
    control_socket_disable = True

proc_name = "climaguru"
# Worker heartbeat files in RAM rather than on a possibly slow /tmp (gunicorn uses mkstemp
# there and unlinks the file at once).
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

"""Gunicorn settings for ClimaGuru from the environment; importing it has no side effects.

Run:  gunicorn -c deploy/gunicorn.conf.py 'climaguru.wsgi:build_app()'
Env:  GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT, TRUSTED_PROXIES.
"""

import os


def _env_int(name: str, default: int, low: int = 1, high: int = 10_000) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise SystemExit(f"{name} must be between {low} and {high}, got {value}")
    return value


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours taskset / cgroup cpusets
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "").strip() or "127.0.0.1:8000"

# 2*CPU+1, capped at 8: every worker owns a SQLAlchemy pool of up to DB_POOL_SIZE +
# DB_MAX_OVERFLOW connections (5 + 10 by default), and workers * that must stay well under
# MySQL's max_connections (151 by default). Raise the cap only together with max_connections.
workers = _env_int("GUNICORN_WORKERS", min(2 * _cpu_count() + 1, 8), high=64)

# gthread rather than sync: a request mostly waits on I/O (the fan-out to weather providers,
# MySQL), so a few threads per worker serve more requests with the same memory. Streamed
# export downloads occupy one thread, not a whole process, and the gthread heartbeat runs in
# the worker's main loop, so `timeout` kills hung workers without cutting a long download
# short (a sync worker would be killed mid-stream). The app must be thread-safe (singleton
# resources, one unit of work per request), and DB_POOL_SIZE must be >= threads.
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4, high=32)

timeout = _env_int("GUNICORN_TIMEOUT", 30, low=5, high=3600)
# On SIGTERM/HUP, let in-flight requests finish; systemd's TimeoutStopSec must be larger.
graceful_timeout = timeout

# Recycle workers now and then to bound slow leaks; jitter keeps them from restarting together.
max_requests = 1000
max_requests_jitter = 100

# False on purpose: each worker calls build_app() itself, so every worker creates its own DB
# pool (and HTTP sessions) after the fork; sockets are never shared across processes. It also
# makes a HUP reload (systemctl reload) start workers on freshly imported code.
preload_app = False

# Only the proxy may claim HTTPS; honour X-Forwarded-Proto alone so that a client-sent
# X-Forwarded-Ssl / X-Forwarded-Protocol cannot contradict nginx and turn requests into 400s.
forwarded_allow_ips = (
    ",".join(
        p.strip() for p in os.environ.get("TRUSTED_PROXIES", "127.0.0.1").split(",") if p.strip()
    )
    or "127.0.0.1"
)
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs go to stdout/stderr, i.e. the journal under systemd.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").strip().lower() or "info"
# Path only (%(U)s), never the query string (%(q)s) or request line (%(r)s), never the
# Authorization header, no referrer. %(h)s is nginx; the client address is X-Forwarded-For.
access_log_format = (
    '%({x-forwarded-for}i)s via %(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s '
    '%(M)sms rid=%({x-request-id}i)s ua="%(a)s" %(p)s'
)

# Gunicorn >= 25.1 opens a control socket (for gunicornc); under systemd keep it in the
# unit's RuntimeDirectory (mode 0600) instead of the service user's home. Older versions
# ignore the unknown setting.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")

proc_name = "climaguru"
# Worker heartbeat files in RAM rather than on a possibly slow /tmp (gunicorn uses mkstemp
# there and unlinks the file at once).
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

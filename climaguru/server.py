"""Run the WSGI app under gunicorn from Python (used by `climaguru serve`)."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from climaguru import metrics_dir


class _Gunicorn(BaseApplication):
    """Minimal embedding: options in, `climaguru.wsgi:build_app()` per worker."""

    def __init__(self, options: dict[str, object]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        from climaguru.wsgi import build_app

        return build_app()


def run_gunicorn(host: str, port: int, workers: int) -> None:
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 60,  # above QUERY_DEADLINE
            # No access log: the app writes THE request line (JSON, route template, user id,
            # request id; never the query string). Gunicorn's own error log stays on stderr.
            "accesslog": None,
            "errorlog": "-",
            # /metrics sums every worker (prometheus_client multiprocess mode, a private dir).
            "on_starting": lambda server: metrics_dir.prepare(),
            "child_exit": lambda server, worker: metrics_dir.worker_exited(worker.pid),
            "on_exit": lambda server: metrics_dir.cleanup(),
        }
    ).run()

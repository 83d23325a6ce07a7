"""climaguru/metrics_dir.py: which PROMETHEUS_MULTIPROC_DIR gunicorn's workers share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from climaguru import metrics_dir


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch):
    monkeypatch.delenv(metrics_dir.VARIABLE, raising=False)  # prepare() sets it; undone after


def test_configured_directory_is_emptied_of_old_counts_only(tmp_path):
    configured = tmp_path / "prom"
    configured.mkdir()
    (configured / "counter_123.db").write_bytes(b"old")
    (configured / "histogram_456.db").write_bytes(b"old")
    (configured / "LEEME.txt").write_text("not ours")
    assert metrics_dir.prepare(str(configured), "/run/ignored") == str(configured)
    assert os.environ[metrics_dir.VARIABLE] == str(configured)
    assert sorted(p.name for p in configured.iterdir()) == ["LEEME.txt"]
    metrics_dir.cleanup()
    assert configured.is_dir()  # an operator's directory is never removed


def test_systemd_runtime_directory_is_used_when_none_is_configured(tmp_path):
    path = metrics_dir.prepare("", f"{tmp_path}:/run/other")
    assert path == str(tmp_path / "metrics") and Path(path).is_dir()
    assert Path(path).stat().st_mode & 0o077 == 0


def test_otherwise_a_private_temporary_directory_removed_on_exit():
    path = Path(metrics_dir.prepare())
    assert path.is_dir() and path.name.startswith("climaguru-metrics-")
    assert os.environ[metrics_dir.VARIABLE] == str(path)
    metrics_dir.cleanup()
    assert not path.exists()

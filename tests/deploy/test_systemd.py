"""deploy/*.service and *.timer: the promised keys, `systemd-analyze verify` and its exposure."""

from __future__ import annotations

import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = ("climaguru.service", "climaguru-backup.service", "climaguru-backup.timer",
         "climaguru-purge.service", "climaguru-purge.timer")  # fmt: skip


def parse(path: Path) -> dict[str, dict[str, list[str]]]:
    """A unit file as {section: {key: [values...]}} (systemd keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_app_unit_keeps_its_promises(monkeypatch, tmp_path):
    unit = parse(DEPLOY / "climaguru.service")
    service = unit["Service"]
    assert service["EnvironmentFile"] == ["/etc/climaguru/climaguru.env"]  # no "-": must exist
    assert service["User"] == ["climaguru"] and service["Group"] == ["climaguru"]
    assert service["Restart"] == ["on-failure"]
    assert 1 <= int(service["RestartSec"][0]) <= 30
    # Crash-looping stops after StartLimitBurst starts in StartLimitIntervalSec, and the
    # interval is long enough to contain that many RestartSec pauses.
    burst, interval = (
        int(unit["Unit"]["StartLimitBurst"][0]),
        int(unit["Unit"]["StartLimitIntervalSec"][0]),
    )
    assert burst * int(service["RestartSec"][0]) < interval
    assert "-c /opt/climaguru/deploy/gunicorn.conf.py" in service["ExecStart"][0]
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"):
        assert service[key] == ["yes"], key
    assert service["ProtectSystem"] == ["strict"] and service["CapabilityBoundingSet"] == [""]
    # systemd waits for gunicorn's graceful stop (graceful_timeout = timeout) before SIGKILL.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    monkeypatch.delenv("QUERY_DEADLINE", raising=False)
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert int(service["TimeoutStopSec"][0]) > conf["graceful_timeout"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_backup_units_run_the_script_daily_as_documented():
    service = parse(DEPLOY / "climaguru-backup.service")["Service"]
    timer = parse(DEPLOY / "climaguru-backup.timer")
    assert service["Type"] == ["oneshot"]
    assert service["ExecStart"] == ["/opt/climaguru/deploy/backup.sh"]
    env = dict(item.split("=", 1) for item in service["Environment"])
    assert env["BACKUP_DIR"] in service["ReadWritePaths"]
    assert int(env["BACKUP_KEEP_DAYS"]) >= 7
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 03:15:00"]
    assert timer["Timer"]["Persistent"] == ["true"]


def test_purge_units_run_the_purge_daily_after_the_backup_as_the_app_user():
    app = parse(DEPLOY / "climaguru.service")["Service"]
    unit = parse(DEPLOY / "climaguru-purge.service")
    service, timer = unit["Service"], parse(DEPLOY / "climaguru-purge.timer")["Timer"]
    assert service["Type"] == ["oneshot"]
    assert service["ExecStart"] == ["/opt/climaguru/.venv/bin/climaguru purge"]
    # Same identity, settings (RETENTION_DAYS, DATABASE_URL) and sandbox as the app.
    for key in ("User", "Group", "EnvironmentFile", "WorkingDirectory", "Environment"):
        assert service[key] == app[key], key
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "PrivateDevices"):
        assert service[key] == ["yes"], key
    assert service["ProtectSystem"] == ["strict"] and service["CapabilityBoundingSet"] == [""]
    assert "ReadWritePaths" not in service  # it only talks to the database
    assert "climaguru-backup.service" in unit["Unit"]["After"][0]
    backup_at = parse(DEPLOY / "climaguru-backup.timer")["Timer"]["OnCalendar"][0]
    assert timer["OnCalendar"] == ["*-*-* 04:15:00"] and backup_at < timer["OnCalendar"][0]
    assert timer["Persistent"] == ["true"]


@pytest.fixture
def staged(tmp_path) -> Path:
    """The units with only /opt/climaguru pointed at a stub tree, so ExecStart= paths exist."""
    opt = tmp_path / "opt"
    for stub in (".venv/bin/climaguru", ".venv/bin/gunicorn", "deploy/backup.sh"):
        path = opt / stub
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        assert "/opt/climaguru" in text or name.endswith(".timer")
        (units / name).write_text(text.replace("/opt/climaguru", str(opt)))
    return units


def _analyze() -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed (the key checks above still ran)")
    return tool


def test_systemd_analyze_verify_is_silent(staged):
    tool = _analyze()
    result = subprocess.run([tool, "verify", *(str(staged / u) for u in UNITS)],
                            capture_output=True, text=True, timeout=60, cwd=staged)  # fmt: skip
    if "Failed to initialize manager" in result.stderr or "Failed to set up" in result.stderr:
        pytest.skip(f"systemd-analyze cannot run here: {result.stderr.strip()[:200]}")
    # verify exits 0 even for unknown keys and bad values, but it names them: demand silence.
    assert result.returncode == 0 and result.stdout + result.stderr == "", result.stderr


@pytest.mark.parametrize(("unit", "ceiling"), [("climaguru.service", 2.0),
                                               ("climaguru-backup.service", 3.0),
                                               ("climaguru-purge.service", 2.0)])  # fmt: skip
def test_sandboxing_exposure_stays_low(staged, unit, ceiling):
    tool = _analyze()
    result = subprocess.run(
        [tool, "security", "--offline=true", "--no-pager", f"--threshold={int(ceiling * 10)}",
         str(staged / unit)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-400:] + result.stderr
    assert "Overall exposure level" in result.stdout

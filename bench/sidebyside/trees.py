"""The two ClimaGuru trees compared: "before" (a git revision) and "after" (the checkout).

"before" is `git archive REV` extracted into the scratch dir: the exact tree of REV, without
registering a worktree in the shared repository (a benchmark killed by SIGKILL would leave one
behind). "after" is a copy of the checkout's packages as they are on disk (bench/load's
snapshot_code), so edits made by others during the run do not reach the server. Each tree
brings its own deploy/gunicorn.conf.py. Both run on this venv's interpreter with PYTHONPATH
set to the tree, which comes before the editable install; this is only sound when this venv
was installed from every dependency REV declares, exactly as REV declares it (packages added
since, e.g. prometheus-client, are installed but never imported by the older tree), which
dependencies_match() checks.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tomllib
from pathlib import Path

from provenance import ROOT
from target import snapshot_code

# main when issue 15 (the hot path) started: the merge of 'golden2' (issue 11.6).
ISSUE_15_START = "13defbc317c11c7e1023b70a297de175ca6ddda4"
CONF = Path("deploy") / "gunicorn.conf.py"


def _git(*argv: str, timeout: int = 60) -> bytes:
    done = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(argv)}: {done.stderr.decode().strip()}")
    return done.stdout


def resolve(rev: str) -> str:
    return _git("rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()


def archive(rev: str, dest: Path) -> Path:
    """The tree of `rev` (full commit id) extracted into dest."""
    data = _git("archive", "--format=tar", rev, timeout=120)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def working_tree(dest: Path) -> Path:
    """The checkout's app packages, alembic and gunicorn conf as they are now."""
    dest.mkdir(parents=True)
    snapshot_code(dest)
    (dest / CONF).parent.mkdir(parents=True)
    shutil.copy2(ROOT / CONF, dest / CONF)
    return dest


def _dependencies(pyproject: str) -> list[str]:
    project = tomllib.loads(pyproject).get("project", {})
    return sorted(project.get("dependencies", []))


def dependencies_match(rev: str) -> bool:
    """Whether this venv was installed from every runtime dependency `rev` declares, with the
    same specifier (dependencies added since do not matter: `rev` does not import them)."""
    before = _git("show", f"{rev}:pyproject.toml").decode()
    return set(_dependencies(before)) <= set(_dependencies((ROOT / "pyproject.toml").read_text()))

"""poetry.lock and deploy/requirements.lock.txt: what pip, Poetry and a deploy install agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = tomllib.loads((ROOT / "poetry.lock").read_text())
DEPLOY_REQS = ROOT / "deploy" / "requirements.lock.txt"
STALE = (
    "poetry.lock is stale: run `make lock` and commit poetry.lock and deploy/requirements.lock.txt"
)


def is_runtime(package: dict) -> bool:
    """A locked package the service itself needs (main group, not only through the dev extra)."""
    if "main" not in package["groups"]:
        return False
    markers = package.get("markers")
    marker = markers.get("main", "") if isinstance(markers, dict) else (markers or "")
    return 'extra == "dev"' not in marker


def locked(runtime_only: bool = False) -> dict[str, dict]:
    """Locked packages by canonical name."""
    return {
        canonicalize_name(p["name"]): p
        for p in LOCK["package"]
        if not runtime_only or is_runtime(p)
    }


def deploy_pins() -> dict[str, tuple[str, set[str]]]:
    """deploy/requirements.lock.txt as {name: (version, {sha256 hashes})}."""
    text = DEPLOY_REQS.read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        head, _, rest = line.partition(" --hash=")
        req = Requirement(head.strip())
        (spec,) = req.specifier
        assert spec.operator == "==", f"{req.name} is not pinned exactly"
        hashes = set(re.findall(r"--hash=sha256:([0-9a-f]{64})", " --hash=" + rest))
        pins[canonicalize_name(req.name)] = (spec.version, hashes)
    return pins


def test_pip_extra_and_poetry_group_list_the_same_dev_tools():
    # `make` installs the extra, `poetry install` the group: one set of tools either way.
    extra = PYPROJECT["project"]["optional-dependencies"]["dev"]
    group = PYPROJECT["dependency-groups"]["dev"]
    assert extra == group, "[project.optional-dependencies] dev and [dependency-groups] dev differ"


def test_python_range_is_bounded_so_poetry_can_resolve():
    spec = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert "3.11" in spec and "3.13" in spec
    assert "4.0" not in spec


def test_every_declared_dependency_is_locked_at_a_satisfying_version():
    runtime, every = locked(runtime_only=True), locked()
    for text in PYPROJECT["project"]["dependencies"]:
        req = Requirement(text)
        package = runtime.get(canonicalize_name(req.name))
        assert package is not None, f"{req.name} is not in poetry.lock: {STALE}"
        assert package["version"] in req.specifier, f"{req.name} {package['version']}: {STALE}"
    for text in PYPROJECT["dependency-groups"]["dev"]:
        req = Requirement(text)
        package = every.get(canonicalize_name(req.name))
        assert package is not None, f"{req.name} is not in poetry.lock: {STALE}"
        assert package["version"] in req.specifier, f"{req.name} {package['version']}: {STALE}"


def test_deploy_requirements_pin_exactly_the_locked_runtime_packages_with_hashes():
    pins = deploy_pins()
    runtime = locked(runtime_only=True)
    assert set(pins) == set(runtime), STALE
    for name, (version, hashes) in pins.items():
        package = runtime[name]
        assert version == package["version"], f"{name}: {STALE}"
        lock_hashes = {f["hash"].removeprefix("sha256:") for f in package["files"]}
        assert hashes and hashes == lock_hashes, f"{name}: hashes differ from poetry.lock"


def test_deploy_requirements_carry_no_dev_tools():
    pins = deploy_pins()
    for text in PYPROJECT["dependency-groups"]["dev"]:
        assert canonicalize_name(Requirement(text).name) not in pins

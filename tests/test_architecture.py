"""The hexagon's dependency rules and lint, run as part of the test suite."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    return str(BIN / name) if (BIN / name).exists() else (shutil.which(name) or name)


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_ruff_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


MAX_OPERATION_LINES = 30
USE_CASES = ROOT / "domain" / "use_cases"
PORTS = ROOT / "ports"


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def operation_lengths() -> dict[str, int]:
    """Lines of every function and method in domain/use_cases, decorators left out."""
    return {
        f"{path.name}:{node.name}:{node.lineno}": node.end_lineno - node.lineno + 1
        for path in sorted(USE_CASES.glob("*.py"))
        for node in _functions(path)
    }


def test_use_case_operations_orchestrate_in_at_most_30_lines():
    long = {name: n for name, n in operation_lengths().items() if n > MAX_OPERATION_LINES}
    assert not long, f"split these (rules belong in domain/model): {long}"


def test_ports_return_domain_values_not_dicts_of_anything():
    loose = re.compile(r"(dict|Mapping)\[str, Any\]")
    found = [
        f"{path.name}:{node.name}"
        for path in sorted(PORTS.glob("*.py"))
        for node in _functions(path)
        if node.returns is not None and loose.search(ast.unparse(node.returns))
    ]
    assert not found, found

"""The dependency direction channels -> assistant -> {intents, commerce} is enforced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "support"

IMPORT_ALL_COMMERCE = """
import pkgutil, importlib, commerce
names = [m.name for m in pkgutil.walk_packages(commerce.__path__, 'commerce.')
         if '.migrations' not in m.name]
for name in names:
    importlib.import_module(name)
import aiohttp  # must fail: proves the blocker is active
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SUPPORT), str(ROOT), env.get("PYTHONPATH", "")])
    return env


def test_commerce_imports_without_edge_libraries():
    code = "import block_edge_libs\n" + IMPORT_ALL_COMMERCE
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(),
                            capture_output=True, text=True, timeout=120)
    # Every commerce module imported; only the final, deliberate aiohttp import failed.
    assert "aiohttp is blocked" in result.stderr, result.stderr
    assert result.stderr.count("Traceback") == 1
    assert "import aiohttp" in result.stderr.splitlines()[-3] or "aiohttp" in result.stderr.splitlines()[-1]


def test_commerce_unit_tests_pass_without_edge_libraries():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "block_edge_libs", "-p", "no:cacheprovider",
         "tests/unit/commerce"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout

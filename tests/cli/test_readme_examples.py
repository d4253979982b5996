"""The README's examples are what the commands print: a fresh, normalised run of
``scripts/readme_examples.py`` must reproduce every ``<!-- example: NAME -->`` block of README.md."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ..conftest import REPO_ROOT

pytestmark = pytest.mark.slow
SCRIPT = REPO_ROOT / "scripts" / "readme_examples.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_readme_examples_match_a_fresh_run() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{done.stdout}{done.stderr}"
    assert "examples up to date" in done.stdout


def test_only_the_marked_blocks_are_replaced(tmp_path: Path) -> None:
    script = _script()
    readme = "intro\n<!-- example: a -->\nold\n<!-- /example -->\nhand-written\n<!-- example: b -->\nx\n<!-- /example -->\n"
    updated = script.update(readme, {"a": "NEW A", "b": "NEW B"})
    assert updated == (
        "intro\n<!-- example: a -->\nNEW A\n<!-- /example -->\nhand-written\n"
        "<!-- example: b -->\nNEW B\n<!-- /example -->\n"
    )
    with pytest.raises(SystemExit, match="no <!-- example: c -->"):
        script.update(readme, {"c": "text"})


def test_run_dependent_values_are_normalised_and_distinct_ids_stay_distinct() -> None:
    script = _script()
    text = (
        'POST http://127.0.0.1:40123/v1/customers\n"id": "cus_AbC123xyz789QWERTY000111",\n'
        '"created": 1796319407,\n"invoice_prefix": "Y5ECUXIT",\nreq_0IaM6jLhM3hjNK req_0IaM6jLhM3hjNK\n'
        '"id": "cus_ZZZ123xyz789QWERTY000111"   \n'
    )
    assert script.normalise(text).splitlines() == [
        "POST http://127.0.0.1:12111/v1/customers",
        '"id": "cus_000000000000000000000001",',
        '"created": 1700000000,',
        '"invoice_prefix": "A1B2C3D4",',
        "req_00000000000002 req_00000000000002",
        '"id": "cus_000000000000000000000003"',
    ]

"""Maps the top-level data and mock directories into the ``api_trainer`` namespace.

Everything else about the project lives in pyproject.toml. This file exists only because the package list
depends on what is on disk: ``specs/`` installs as ``api_trainer.bundled.specs``, ``scenarios/`` as
``api_trainer.bundled.scenarios`` and ``mock_servers/`` as ``api_trainer.mock_servers``, so that a wheel run
from any directory finds them and no generic top-level ``specs`` package lands in site-packages.
"""

from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
MAPPED = {
    "api_trainer": "api_trainer",
    "api_trainer.mock_servers": "mock_servers",
    "api_trainer.bundled.specs": "specs",
    "api_trainer.bundled.scenarios": "scenarios",
}


def _packages_under(package: str, directory: str) -> list[str]:
    root = HERE / directory
    found = [package]
    for sub in sorted(p for p in root.rglob("*") if p.is_dir() and "__pycache__" not in p.parts):
        found.append(".".join([package, *sub.relative_to(root).parts]))
    return found


packages = ["api_trainer.bundled"]
for name, directory in MAPPED.items():
    packages.extend(_packages_under(name, directory))

setup(packages=sorted(set(packages)), package_dir=MAPPED)

"""The bundled APIs and their versions, and the one resolver of spec references the whole CLI uses.

A spec reference is a file path (YAML or JSON), a bundled id (``payments@2022-11-15``) or a bundled name
alone (``payments``: its newest version; payments versions order by date, dataplatform ones by number).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import UnknownBundledSpecError

_BUNDLED_PACKAGE = "api_trainer.bundled.specs"
_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class BundledSpec:
    """One bundled API version: ``payments@2022-11-15`` and its file."""

    api: str
    version: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.api}@{self.version}"


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    # Dates and dotted numbers both order correctly piece by piece: 2020-08-27 < 2022-11-15, 2.2 < 2.10.
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in re.split(r"[-.]", version))


def specs_root() -> Path:
    return Path(str(resources.files(_BUNDLED_PACKAGE)))


def bundled_specs() -> list[BundledSpec]:
    """Every bundled API version, by API name, oldest version first."""
    found: list[BundledSpec] = []
    root = specs_root()
    for api_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        for file in api_dir.iterdir():
            if file.suffix in _SPEC_SUFFIXES:
                found.append(BundledSpec(api_dir.name, file.stem, file))
    return sorted(found, key=lambda s: (s.api, _version_key(s.version)))


def versions_of(api: str) -> list[BundledSpec]:
    return [s for s in bundled_specs() if s.api == api]


def find_bundled(reference: str) -> BundledSpec:
    """``payments`` -> its newest version; ``payments@2022-11-15`` -> that one; else the error lists ids."""
    api, _, version = reference.partition("@")
    candidates = versions_of(api)
    if candidates and not version:
        return candidates[-1]
    for spec in candidates:
        if spec.version == version:
            return spec
    known = ", ".join(s.id for s in bundled_specs())
    if candidates:
        raise UnknownBundledSpecError(f"unknown version '{version}' of bundled API '{api}'; bundled: {known}")
    raise UnknownBundledSpecError(f"'{reference}' is neither a file nor a bundled spec; bundled: {known}")


def looks_like_bundled(reference: str) -> bool:
    """A reference with no path separator and no spec-file suffix names a bundled spec, not a file."""
    if "/" in reference or "\\" in reference:
        return False
    return not reference.lower().endswith(_SPEC_SUFFIXES)

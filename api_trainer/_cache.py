"""A parse cache: documents parsed once (the bundled specs' YAML, scenario packs' TOML), kept as JSON in the
user's cache folder, one subfolder per kind.

Parsing the six bundled YAML specs is most of what ``api-trainer specs list`` does (about 0.1 s of CPU), and
parsing the 110 bundled scenario files with ``tomllib`` most of what ``api-trainer train`` does before its
first prompt (about 0.5 s); reading the same documents back as JSON takes a twentieth of that. An entry is
named by the SHA-256 of the file's bytes, so an edited file is parsed afresh and never served stale; it is written atomically (a
temporary file, then a rename), only when the JSON round trip gives back an equal document (YAML can hold
integer keys, which JSON would turn into strings), and any failure to read or write it just means parsing.
``API_TRAINER_CACHE_DIR`` moves the folder; set it empty to turn the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

ENV_CACHE_DIR = "API_TRAINER_CACHE_DIR"


def cache_dir(kind: str = "specs") -> Path | None:
    chosen = os.environ.get(ENV_CACHE_DIR)
    if chosen is not None:
        return Path(chosen) / kind if chosen else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("api-trainer", appauthor=False)) / kind


@lru_cache(maxsize=1)
def _bundled_root() -> Path:
    from .specs._registry import specs_root

    return specs_root().resolve()


def is_bundled(path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(_bundled_root())
    except OSError:
        return False


def cached_parse(raw: bytes, parse: Callable[[], Any], kind: str = "specs") -> Any:
    """The document ``raw`` parses to: from the cache when it holds these bytes, else ``parse()`` (stored)."""
    directory = cache_dir(kind)
    if directory is None:
        return parse()
    entry = directory / f"{hashlib.sha256(raw).hexdigest()}.json"
    try:
        return json.loads(entry.read_bytes())
    except (OSError, ValueError):
        pass
    document = parse()
    try:
        text = json.dumps(document, ensure_ascii=False)
        if json.loads(text) != document:
            return document
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError):
        pass
    return document

"""Loading scenario files and packs. Every problem is one ``ScenarioError`` line naming the file and field."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from .._cache import cached_parse
from ..errors import ScenarioError
from ._model import (
    AUDIENCES,
    COMPANIES,
    CONCEPT_KINDS,
    KINDS,
    LAB_APIS,
    LABELS,
    TOPICS,
    Calibration,
    Concept,
    Lab,
    Option,
    Scenario,
    UnsafeClaim,
)

FORMAT_VERSION = 1
_TOP_FIELDS = (
    "format_version",
    "id",
    "title",
    "topic",
    "companies",
    "difficulty",
    "kind",
    "situation",
    "snippet",
    "decision",
    "explain",
    "concepts",
    "unsafe",
    "calibration",
    "lab",
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def bundled_pack_dir() -> Path:
    """The directory of the scenario packs shipped inside the package."""
    return Path(str(files("api_trainer.bundled.scenarios")))


class _Reader:
    """Typed access to one TOML table, raising one clear line on the first problem."""

    def __init__(self, path: Path, table: dict[str, Any], where: str = "") -> None:
        self.path = path
        self.table = table
        self.where = where

    def fail(self, field: str, problem: str) -> ScenarioError:
        return ScenarioError(f"{self.path}: field '{self.where}{field}': {problem}")

    def only(self, *allowed: str) -> None:
        for key in self.table:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                raise self.fail(key, f"unknown field{hint}")

    def _get(self, field: str, required: bool) -> Any:
        if field not in self.table:
            if required:
                raise self.fail(field, "missing")
            return None
        return self.table[field]

    def text(self, field: str, *, required: bool = True, default: str = "") -> str:
        value = self._get(field, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, "must be a non-empty string")
        return value.strip()

    def ident(self, field: str) -> str:
        value = self.text(field)
        if not _ID.match(value):
            raise self.fail(field, f"'{value}' is not a kebab-case id (a-z, 0-9, '-')")
        return value

    def choice(self, field: str, allowed: Iterable[str], *, required: bool = True, default: str = "") -> str:
        value = self.text(field, required=required, default=default)
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(field, f"'{value}' is not one of {', '.join(allowed)}")
        return value

    def integer(self, field: str, low: int, high: int) -> int:
        value = self._get(field, True)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(field, f"must be an integer from {low} to {high}")
        return value

    def strings(self, field: str, *, required: bool = True, minimum: int = 1) -> tuple[str, ...]:
        value = self._get(field, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(field, "must be a list of non-empty strings")
        if len(value) < minimum:
            raise self.fail(field, f"needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}")
        return tuple(v.strip() for v in value)

    def tables(self, field: str, *, required: bool = True, minimum: int = 1) -> list[_Reader]:
        value = self._get(field, required)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(field, f"must be an array of tables ([[{self.where}{field}]])")
        if len(value) < minimum:
            raise self.fail(field, f"needs at least {minimum} entries")
        return [_Reader(self.path, v, f"{self.where}{field}[{i}].") for i, v in enumerate(value)]

    def table_(self, field: str, *, required: bool = True) -> _Reader | None:
        value = self._get(field, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(field, f"must be a table ([{self.where}{field}])")
        return _Reader(self.path, value, f"{self.where}{field}.")


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate one scenario file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, not a scenario file") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = cached_parse(raw, lambda: tomllib.loads(raw.decode("utf-8")), kind="scenarios")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    return _build(_Reader(path, data))


def _build(r: _Reader) -> Scenario:
    r.only(*_TOP_FIELDS)
    version = r._get("format_version", True)
    if version != FORMAT_VERSION:
        raise r.fail("format_version", f"must be {FORMAT_VERSION} (got {version!r})")
    scenario_id = r.ident("id")
    if r.path.suffix == ".toml" and r.path.stem != scenario_id:
        raise r.fail("id", f"'{scenario_id}' must match the file name '{r.path.stem}'")
    topic = r.choice("topic", TOPICS)
    companies = r.strings("companies")
    for company in companies:
        if company not in COMPANIES:
            raise r.fail("companies", f"'{company}' is not one of {', '.join(COMPANIES)}")

    decision = r.table_("decision")
    assert decision is not None
    options: list[Option] = []
    decision.only("question", "right", "also_right", "options")
    for o in decision.tables("options", minimum=3):
        o.only("id", "text", "developer", "business", "phrases")
        options.append(
            Option(
                id=o.ident("id"),
                text=o.text("text"),
                developer=o.text("developer"),
                business=o.text("business"),
                phrases=o.strings("phrases", required=False),
            )
        )
    if len(options) > 5:
        raise decision.fail("options", "has more than 5 options")
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        raise decision.fail("options", "option ids must be unique")
    right = decision.ident("right")
    if right not in ids:
        raise decision.fail("right", f"'{right}' is not an option id ({', '.join(ids)})")
    # Design questions may accept more than one sound architecture: the others are listed here.
    also_right = decision.strings("also_right", required=False)
    for other in also_right:
        if other not in ids or other == right:
            raise decision.fail("also_right", f"'{other}' is not another option id ({', '.join(ids)})")

    explain = r.table_("explain")
    assert explain is not None
    explain.only("audience", "prompt", "hints", "reference")
    for table in (*r.tables("concepts", minimum=3), *r.tables("unsafe", minimum=1)):
        table.only("id", "label", "kind", "phrases") if "concepts" in table.where else table.only(
            "id", "claim", "phrases"
        )
    concepts = tuple(
        Concept(
            id=c.ident("id"),
            label=c.text("label"),
            kind=c.choice("kind", CONCEPT_KINDS),
            phrases=c.strings("phrases"),
        )
        for c in r.tables("concepts", minimum=3)
    )
    for kind in CONCEPT_KINDS:
        if not any(c.kind == kind for c in concepts):
            raise r.fail("concepts", f"needs at least one concept of kind '{kind}'")
    unsafe = tuple(
        UnsafeClaim(id=u.ident("id"), claim=u.text("claim"), phrases=u.strings("phrases"))
        for u in r.tables("unsafe", minimum=1)
    )
    calibration: list[Calibration] = []
    for c in r.tables("calibration", minimum=len(LABELS)):
        c.only("label", "answer", "choice")
        choice = c.text("choice", required=False) or None
        if choice is not None and choice not in ids:
            raise c.fail("choice", f"'{choice}' is not an option id ({', '.join(ids)})")
        calibration.append(
            Calibration(label=c.choice("label", LABELS), answer=c.text("answer"), choice=choice)
        )
    missing = [label for label in LABELS if not any(c.label == label for c in calibration)]
    if missing:
        raise r.fail("calibration", f"needs at least one answer labelled {', '.join(missing)}")

    return Scenario(
        id=scenario_id,
        title=r.text("title"),
        topic=topic,
        companies=companies,
        difficulty=r.integer("difficulty", 1, 3),
        kind=r.choice("kind", KINDS, required=False, default="decision"),
        situation=r.text("situation"),
        snippet=r.text("snippet", required=False),
        question=decision.text("question"),
        options=tuple(options),
        right=right,
        also_right=also_right,
        audience=explain.choice("audience", AUDIENCES),
        prompt=explain.text("prompt"),
        concepts=concepts,
        unsafe=unsafe,
        hints=explain.strings("hints"),
        reference=explain.text("reference"),
        calibration=tuple(calibration),
        path=r.path,
        lab=_lab(r),
        format_version=FORMAT_VERSION,
    )


def _lab(r: _Reader) -> Lab | None:
    lab = r.table_("lab", required=False)
    if lab is None:
        return None
    lab.only("api", "goal", "check", "faults", "params")
    faults: list[dict[str, Any]] = []
    for f in lab.tables("faults", required=False, minimum=0):
        f.text("fault")  # every rule names its fault; the rest is the fault engine's business
        faults.append(dict(f.table))
    params = lab.table.get("params", {})
    if not isinstance(params, dict):
        raise lab.fail("params", "must be a table ([lab.params])")
    return Lab(
        api=lab.choice("api", LAB_APIS),
        goal=lab.text("goal"),
        check=lab.ident("check"),
        faults=tuple(faults),
        params=dict(params),
    )


def load_pack(directory: Path | str | None = None) -> list[Scenario]:
    """Every ``*.toml`` scenario under ``directory`` (the bundled packs by default), sorted by topic and id."""
    root = Path(directory) if directory is not None else bundled_pack_dir()
    if not root.is_dir():
        raise ScenarioError(f"{root}: not a directory of scenario packs")
    scenarios = [load_scenario(p) for p in sorted(root.rglob("*.toml"))]
    if not scenarios:
        raise ScenarioError(f"{root}: no scenario files (*.toml) in this pack directory")
    seen: dict[str, Path] = {}
    for s in scenarios:
        if s.id in seen:
            raise ScenarioError(f"{s.path}: field 'id': '{s.id}' is also used by {seen[s.id]}")
        seen[s.id] = s.path
    return sorted(scenarios, key=lambda s: (s.topic, s.difficulty, s.id))


def find_scenario(reference: str, pack: Path | None = None) -> Scenario:
    """A bundled (or ``pack``) id, or a path to a scenario file."""
    as_path = Path(reference)
    if reference.endswith(".toml") or as_path.is_file():
        return load_scenario(as_path)
    scenarios = load_pack(pack)
    for s in scenarios:
        if s.id == reference:
            return s
    raise unknown_id(reference, [s.id for s in scenarios])


def unknown_id(
    reference: str, ids: list[str], *, what: str = "scenario", listing: str = "api-trainer scenarios list"
) -> ScenarioError:
    """An unknown id: the near matches among ``ids`` (the set the command accepts), else where to see them."""
    near = difflib.get_close_matches(reference, ids, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(near)}?" if near else f"`{listing}` shows all {len(ids)}"
    return ScenarioError(f"unknown {what} '{reference}'; {hint}")

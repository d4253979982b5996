"""``specs validate``: every problem of a document, each with its file, JSON pointer and line."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import SpecRefusedError
from ._bundle import BundledDocument
from ._documents import line_of_pointer
from ._loader import bundle_source, resolve_reference
from ._model import Spec
from ._pointers import join

_MAX_MESSAGE = 240


@dataclass(frozen=True)
class Problem:
    file: str
    pointer: str
    message: str
    line: int | None = None
    at_key: bool = False  # located at the member's name (an unknown field), not at its value

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where} at {self.pointer or '/'}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The result of validating one document."""

    source: str
    openapi_version: str
    operation_count: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_reference(
    reference: str, *, allow_remote_refs: bool = False, allow_outside_refs: bool = False
) -> ValidationReport:
    """Validate the document a spec reference names. Input it cannot read raises; problems are returned."""
    source = resolve_reference(reference)
    spec, bundled = bundle_source(
        source, allow_remote_refs=allow_remote_refs, allow_outside_refs=allow_outside_refs
    )
    problems = [Problem(p.file, p.pointer, p.message) for p in bundled.problems]
    if not problems:  # the schema validator cannot run over references that lead nowhere
        problems = schema_problems(spec, bundled)
    problems = _with_lines(problems)
    return ValidationReport(source.shown, spec.openapi_version, len(spec.operations()), problems)


def schema_problems(spec: Spec, bundled: BundledDocument) -> list[Problem]:
    # Imported here: openapi-spec-validator takes a third of a second to import, and most commands never
    # validate. Its 0.9 picks the jsonschema-rs backend whenever that is installed (schemathesis brings it),
    # which words and locates errors differently; the problems we report are jsonschema's, whatever else is
    # installed (an explicit OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND still wins).
    os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator_class = (
        OpenAPIV31SpecValidator if spec.openapi_version.startswith("3.1") else OpenAPIV30SpecValidator
    )
    try:
        found_errors = list(validator_class(spec.document).iter_errors())
    except RecursionError as exc:
        # The validator recurses several frames per level; a document can pass the loader's depth limit
        # and still be too deep for it.
        raise SpecRefusedError(
            "nested too deeply for the OpenAPI validator (refused, not validated)", file=spec.source
        ) from exc
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for found in found_errors:
        base = [str(t) for t in getattr(found, "absolute_path", [])]
        for tokens, error in _causes(found, base):
            pointer = join("", *tokens) if tokens else "/"
            message = " ".join(str(error.message).split())
            if len(message) > _MAX_MESSAGE:
                message = message[: _MAX_MESSAGE - 3] + "..."
            file, file_pointer = bundled.origin(pointer, spec.source)
            if (file_pointer, message) in seen:
                continue
            seen.add((file_pointer, message))
            problems.append(Problem(file, file_pointer, message))
    # The validator reports some schema errors twice, once with a path relative to the schema; keep the
    # one located from the document root.
    return _merge_typos(
        [
            p
            for p in problems
            if not any(
                q is not p
                and q.message == p.message
                and q.pointer.endswith(p.pointer)
                and q.pointer != p.pointer
                for q in problems
            )
        ]
    )


_REQUIRED = re.compile(r"^'(?P<name>[^']+)' is a required property$")
_UNEXPECTED = (
    re.compile(r"^'(?P<name>[^']+)' does not match any of the regexes: "),
    re.compile(r"^Additional properties are not allowed \('(?P<name>[^']+)' was unexpected\)$"),
)


def _merge_typos(problems: list[Problem]) -> list[Problem]:
    """One misspelt field is one problem: the validator says both that ``responses`` is missing and that
    ``respones`` is not allowed, at the object that holds them; report the typo, at its own line."""
    missing: dict[tuple[str, str], list[tuple[str, Problem]]] = {}
    for problem in problems:
        if found := _REQUIRED.match(problem.message):
            missing.setdefault((problem.file, problem.pointer), []).append((found["name"], problem))
    merged: dict[int, Problem | None] = {}
    for problem in problems:
        found = next((m for m in (r.match(problem.message) for r in _UNEXPECTED) if m), None)
        candidates = missing.get((problem.file, problem.pointer), [])
        if found is None or not candidates:
            continue
        typo = found["name"]
        close = difflib.get_close_matches(typo, [name for name, _ in candidates], n=1, cutoff=0.75)
        if not close:
            continue
        required = next(p for name, p in candidates if name == close[0])
        if id(required) in merged:
            continue
        merged[id(required)] = None
        merged[id(problem)] = Problem(
            problem.file,
            join(problem.pointer, typo),
            f"unknown field '{typo}': did you mean '{close[0]}'? ('{close[0]}' is required here)",
            at_key=True,
        )
    return [merged.get(id(p), p) for p in problems if merged.get(id(p), p) is not None]  # type: ignore[misc]


def _causes(error: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    """The errors that say why: "X is not valid under any of the given schemas" (a oneOf between a value
    and a ``$ref``) says nothing, so report the leaves of its context tree, without the alternative that
    only complains that ``$ref`` is missing."""
    context = getattr(error, "context", None) or []
    if not context:
        return [(path, error)]
    leaves: list[tuple[list[str], Any]] = []
    for sub in context:
        if sub.validator == "required" and "'$ref'" in str(sub.message) and len(context) > 1:
            continue
        leaves.extend(_causes(sub, path + [str(t) for t in sub.path]))
    return leaves or [(path, error)]


def _with_lines(problems: list[Problem]) -> list[Problem]:
    """Add line numbers: each file is composed once, and only when it has problems."""
    texts: dict[str, str | None] = {}
    located: list[Problem] = []
    for problem in problems:
        if problem.file not in texts:
            path = Path(problem.file)
            texts[problem.file] = path.read_text(encoding="utf-8-sig") if path.is_file() else None
        text = texts[problem.file]
        line = (
            line_of_pointer(text, problem.pointer, key=problem.at_key)
            if text is not None and problem.pointer != "/"
            else None
        )
        located.append(Problem(problem.file, problem.pointer, problem.message, line, problem.at_key))
    return located

"""From a spec reference (file, ``payments@2022-11-15``, ``payments``) to a loaded :class:`Spec`."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import NotOpenAPIError, SpecInvalidError, SpecRefError
from ._bundle import BundledDocument, bundle
from ._documents import parse_text, read_document
from ._git import is_git_reference, read_git_reference
from ._model import Spec
from ._registry import BundledSpec, find_bundled, looks_like_bundled


@dataclass(frozen=True)
class SpecSource:
    """Where a spec reference points: a file, and the bundled id when it is a bundled spec."""

    path: Path
    shown: str
    bundled: BundledSpec | None = None
    text: str | None = None  # the document's text when it does not come from ``path`` (git:REV:PATH)


def resolve_reference(reference: str) -> SpecSource:
    """The one resolver every command uses for a spec argument."""
    if is_git_reference(reference):
        git_path, text = read_git_reference(reference)
        return SpecSource(git_path, reference, text=text)
    path = Path(reference).expanduser()
    if path.exists() or not looks_like_bundled(reference):
        return SpecSource(path, reference)
    bundled = find_bundled(reference)
    return SpecSource(bundled.path, bundled.id, bundled)


def read_openapi(source: SpecSource) -> dict[str, Any]:
    """Parse the file and check that it is an OpenAPI 3.0 or 3.1 document."""
    if source.text is not None:
        document = parse_text(source.text, source.shown, as_json=source.path.suffix.lower() == ".json")
    else:
        document = read_document(source.path)
    if not isinstance(document, dict):
        kind = type(document).__name__ if document is not None else "nothing"
        raise NotOpenAPIError(
            f"not an OpenAPI document: the top level is a {kind}, not a mapping", file=source.shown
        )
    if "swagger" in document:
        raise NotOpenAPIError(
            f"Swagger {document.get('swagger')} is not supported: api-trainer reads OpenAPI 3.0 and 3.1 "
            "(convert it with swagger2openapi or the Swagger Editor)",
            file=source.shown,
        )
    version = document.get("openapi")
    if not isinstance(version, str):
        raise NotOpenAPIError(
            "not an OpenAPI document: no 'openapi: 3.x' field at the top level", file=source.shown
        )
    if not version.startswith(("3.0", "3.1")):
        raise NotOpenAPIError(f"OpenAPI {version} is not supported (3.0 and 3.1 are)", file=source.shown)
    for name in ("info", "paths", "components", "webhooks"):
        value = document.get(name)
        if value is not None and not isinstance(value, dict):
            raise NotOpenAPIError(
                f"not an OpenAPI document: '{name}' is a {type(value).__name__}, not a mapping",
                file=source.shown,
                pointer=f"/{name}",
            )
    return document


def bundle_source(
    source: SpecSource, *, allow_remote_refs: bool = False, allow_outside_refs: bool = False
) -> tuple[Spec, BundledDocument]:
    document = read_openapi(source)
    bundled = bundle(
        document,
        source=source.shown,
        base=source.path.resolve().parent,
        root_path=source.path,
        allow_remote_refs=allow_remote_refs,
        allow_outside_refs=allow_outside_refs,
    )
    spec = Spec(
        bundled.document,
        source=source.shown,
        path=source.path,
        bundled_id=source.bundled.id if source.bundled else None,
    )
    return spec, bundled


def load_spec(
    reference: str,
    *,
    allow_remote_refs: bool = False,
    allow_outside_refs: bool = False,
    validate: bool = False,
) -> Spec:
    """Load a spec for a command that needs one that works: a ``$ref`` that does not resolve is an error,
    and with ``validate`` so is any violation of the OpenAPI schema."""
    source = resolve_reference(reference)
    if source.bundled is not None and not allow_remote_refs:
        return _fresh_copy(_load_bundled(source))
    spec, bundled = bundle_source(
        source, allow_remote_refs=allow_remote_refs, allow_outside_refs=allow_outside_refs
    )
    if bundled.problems:
        first = bundled.problems[0]
        more = f" (and {len(bundled.problems) - 1} more)" if len(bundled.problems) > 1 else ""
        raise SpecRefError(first.message + more, file=first.file, pointer=first.pointer)
    if validate:
        from ._validate import schema_problems

        problems = schema_problems(spec, bundled)
        if problems:
            first_problem = problems[0]
            more = (
                f" (and {len(problems) - 1} more; run 'api-trainer specs validate')"
                if len(problems) > 1
                else ""
            )
            raise SpecInvalidError(
                first_problem.message + more,
                file=first_problem.file,
                pointer=first_problem.pointer,
                line=first_problem.line,
            )
    return spec


@lru_cache(maxsize=32)
def _load_bundled(source: SpecSource) -> Spec:
    spec, bundled = bundle_source(source)
    if bundled.problems:  # a bundled spec that does not resolve is our bug, not the user's
        raise SpecRefError(
            bundled.problems[0].message, file=source.shown, pointer=bundled.problems[0].pointer
        )
    return spec


def _fresh_copy(spec: Spec) -> Spec:
    # Bundled specs are parsed once per process; callers get their own tree so none can change another's.
    return Spec(copy.deepcopy(spec.document), source=spec.source, path=spec.path, bundled_id=spec.bundled_id)

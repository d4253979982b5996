"""Bundling a multi-file spec into one document whose ``$ref``s are all internal.

Every file reached through a file ``$ref`` is mounted, whole and unexpanded, under
``/x-api-trainer-bundled/<n>`` of the root document, and every ``$ref`` is rewritten to point into the
mount. Nothing is inlined, so circular references across files stay references and the result is no
larger than its files; internal references are then followed lazily by :class:`~api_trainer.specs.Spec`.

Why not prance: ``prance.ResolvingParser(resolve_types=RESOLVE_FILES)`` (also with ``TRANSLATE_EXTERNAL``)
inlines the external schema but leaves the external file's own ``#/...`` references pointing into the root
document, where they do not exist (tried with prance 26.7.19.0), and its default eager resolution of
internal refs runs out of memory on the Stripe spec.

What a ``$ref`` may reach (each refusal is a :class:`SpecRefError`, exit 2, naming the ``$ref`` and the rule,
never the target's content):

* a **file** ``$ref`` resolves only to a regular file inside the root spec's folder tree (after symlinks are
  resolved), read with the document size cap; ``allow_outside_refs`` (``--allow-outside-refs``) lifts the
  folder rule, never the regular-file rule or the cap;
* an **http(s)** ``$ref`` only with ``allow_remote_refs`` (``--allow-remote-refs``), streamed with the same
  size cap and an overall timeout of :data:`REMOTE_TIMEOUT_SECONDS`;
* a chain of pure ``$ref`` nodes that loops without reaching a value is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import SpecError, SpecRefError, SpecRefusedError
from . import _pointers
from ._documents import DEFAULT_LIMITS, Limits, parse_text, read_document

MOUNT = "x-api-trainer-bundled"
REMOTE_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class RefProblem:
    """A ``$ref`` that does not resolve: where it stands (file and pointer in that file) and why."""

    file: str
    pointer: str
    message: str


@dataclass
class BundledDocument:
    document: dict[str, Any]
    #: mount prefix (``/x-api-trainer-bundled/0``) -> the file it holds, to map pointers back for messages
    mounts: dict[str, str] = field(default_factory=dict)
    problems: list[RefProblem] = field(default_factory=list)

    def origin(self, pointer: str, root_file: str) -> tuple[str, str]:
        """The file and the pointer in that file for a pointer into the bundled document."""
        for prefix, file in self.mounts.items():
            if pointer == prefix or pointer.startswith(prefix + "/"):
                return file, pointer[len(prefix) :] or "/"
        return root_file, pointer


def bundle(
    document: dict[str, Any],
    *,
    source: str,
    base: Path | None,
    root_path: Path | None = None,
    allow_remote_refs: bool = False,
    allow_outside_refs: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> BundledDocument:
    """Mount every file ``document`` reaches through ``$ref`` and collect refs that do not resolve."""
    result = BundledDocument(document)
    loaded: dict[str, tuple[str, Any]] = {}  # file key -> (mount prefix, document)
    if root_path is not None:  # a file that refers back into the root document lands in the root, not a copy
        loaded[str(root_path.resolve())] = ("", document)
    mounted: dict[str, Any] = {}
    folder = base.resolve() if base is not None else None
    pending: list[tuple[str, Any, Path | None, str]] = [("", document, base, source)]

    def mount(ref: str, here: Path | None, shown: str, at: str) -> str | None:
        """Load the file ``ref`` names (relative to ``here``); return its mount prefix."""
        target = ref.partition("#")[0]
        parts = urlsplit(target)
        if parts.scheme in ("http", "https"):
            if not allow_remote_refs:
                raise SpecRefError(
                    f"remote $ref '{ref}' refused (pass --allow-remote-refs to fetch it)",
                    file=shown,
                    pointer=at,
                )
            key = target
        elif parts.scheme not in ("", "file"):
            result.problems.append(RefProblem(shown, at, f"$ref '{ref}' uses an unsupported scheme"))
            return None
        else:
            path = Path(unquote(parts.path))
            if not path.is_absolute():
                if here is None:
                    result.problems.append(
                        RefProblem(shown, at, f"$ref '{ref}' has no file to be relative to")
                    )
                    return None
                path = here / path
            resolved = path.resolve()
            if not allow_outside_refs and (folder is None or not resolved.is_relative_to(folder)):
                raise SpecRefError(
                    f"$ref '{ref}' refused: it points outside the spec's folder {folder} (file $refs "
                    "resolve only inside the root spec's folder tree; --allow-outside-refs widens that)",
                    file=shown,
                    pointer=at,
                )
            key = str(resolved)
        if key in loaded:
            return loaded[key][0]
        try:
            if parts.scheme in ("http", "https"):
                other = _fetch_remote(target, limits)
                other_base: Path | None = None
            else:
                other = read_document(Path(key), limits=limits, regular_only=True)
                other_base = Path(key).parent
        except SpecRefError:
            raise
        except SpecRefusedError as exc:
            raise SpecRefError(f"$ref '{ref}' refused: {exc.message}", file=shown, pointer=at) from exc
        except SpecError as exc:
            result.problems.append(RefProblem(shown, at, f"$ref '{ref}' does not resolve: {exc.message}"))
            return None
        prefix = _pointers.join("", MOUNT, str(len(mounted)))
        loaded[key] = (prefix, other)
        mounted[str(len(mounted))] = other
        result.mounts[prefix] = key
        pending.append((prefix, other, other_base, key))
        return prefix

    while pending:
        prefix, doc, here, shown = pending.pop()
        for node, at in _ref_holders(doc):
            ref = node["$ref"]
            if not isinstance(ref, str):
                result.problems.append(RefProblem(shown, at, "$ref is not a string"))
                continue
            target, _, fragment = ref.partition("#")
            if target:
                target_prefix = mount(ref, here, shown, at)
                if target_prefix is None:
                    continue
            else:
                target_prefix = prefix
            node["$ref"] = "#" + target_prefix + unquote(fragment)
    if mounted:
        document[MOUNT] = mounted
    _check_internal_refs(result, source)
    return result


def _ref_holders(document: Any) -> list[tuple[dict[str, Any], str]]:
    """Every mapping with a ``$ref`` key, with its pointer; shared (aliased) nodes are visited once."""
    found: list[tuple[dict[str, Any], str]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, at = stack.pop()
        if id(node) in seen:
            continue
        if isinstance(node, dict):
            seen.add(id(node))
            if "$ref" in node:
                found.append((node, at))
            for key, child in node.items():
                if isinstance(child, dict | list):
                    stack.append((child, at + "/" + _pointers.escape(key)))
        elif isinstance(node, list):
            seen.add(id(node))
            for index, child in enumerate(node):
                if isinstance(child, dict | list):
                    stack.append((child, f"{at}/{index}"))
    return found


def _check_internal_refs(result: BundledDocument, source: str) -> None:
    for node, at in _ref_holders(result.document):
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            continue
        try:
            _follow_chain(result.document, ref, at, source, result)
        except (KeyError, ValueError):
            file, pointer = result.origin(at, source)
            shown_ref = ref
            target_file, target_pointer = result.origin(ref[1:], source)
            if target_file != source:
                shown_ref = f"{Path(target_file).name}#{target_pointer}"
            result.problems.append(RefProblem(file, pointer, f"$ref '{shown_ref}' does not resolve"))


def _follow_chain(document: Any, ref: str, at: str, source: str, result: BundledDocument) -> None:
    """Resolve ``ref`` and, while it lands on another pure ``$ref``, that one: refuse a chain that loops."""
    seen = [ref]
    node = _pointers.resolve_pointer(document, ref[1:])
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        following = node["$ref"]
        if following in seen:
            file, pointer = result.origin(at, source)
            chain = " -> ".join(result.origin(r[1:], source)[1] for r in [*seen, following])
            raise SpecRefError(
                f"$ref chain loops without reaching a value: {chain}", file=file, pointer=pointer
            )
        seen.append(following)
        node = _pointers.resolve_pointer(document, following[1:])


def _fetch_remote(url: str, limits: Limits) -> Any:
    """GET ``url`` streaming: refused once past the size cap or the overall timeout, never read whole first."""
    import time

    import httpx  # only when remote refs are allowed and present

    deadline = time.monotonic() + REMOTE_TIMEOUT_SECONDS
    body = bytearray()
    try:
        with httpx.stream("GET", url, timeout=REMOTE_TIMEOUT_SECONDS, follow_redirects=True) as response:
            response.raise_for_status()
            for piece in response.iter_bytes():
                body.extend(piece)
                if len(body) > limits.max_bytes:
                    raise SpecRefError(
                        f"remote document is over the {limits.max_bytes}-byte limit (refused)", file=url
                    )
                if time.monotonic() > deadline:
                    raise SpecRefError(
                        f"remote document took longer than {REMOTE_TIMEOUT_SECONDS:g} s (refused)", file=url
                    )
    except httpx.HTTPError as exc:
        raise SpecRefError(f"cannot fetch remote $ref: {exc}", file=url) from exc
    try:
        text = bytes(body).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecRefError(f"remote document is not UTF-8 text (byte {exc.start})", file=url) from exc
    return parse_text(text, url, as_json=url.lower().endswith(".json"), limits=limits)

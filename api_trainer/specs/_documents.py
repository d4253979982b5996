"""Reading one YAML or JSON file safely.

Only safe YAML (no Python tags). A document is refused, never expanded, when it is past the size, depth or
alias-expansion limits: PyYAML builds aliases as shared references, so a "billion laughs" file loads as a
small graph; we measure the size it *would* have if expanded (memoised per node, so the measurement is
linear in the graph, not in the expansion) and refuse it before anything walks it.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._cache import cached_parse, is_bundled
from ..errors import SpecParseError, SpecReadError, SpecRefusedError

try:  # libyaml is ten times faster on the 4 MB Stripe spec; the pure loader is the same language.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class _SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML that keeps ``2022-11-15`` a string: OpenAPI is JSON, which has no dates, and a version
    string or an example date turned into a ``datetime.date`` breaks JSON output and schema validation."""


_SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Limits:
    """What a document may be before it is refused."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 256
    max_expanded_nodes: int = 20_000_000


DEFAULT_LIMITS = Limits()


def read_document(path: Path, *, limits: Limits = DEFAULT_LIMITS, regular_only: bool = False) -> Any:
    """Parse ``path`` as JSON (``.json``) or YAML (anything else) and check it against ``limits``.

    The file is read with a cap (``limits.max_bytes`` + 1 bytes at most), never whole, so ``/dev/zero`` or a
    growing file is refused instead of filling memory. With ``regular_only`` (a ``$ref`` target) anything but
    a regular file is refused before a byte is read: a FIFO would block, a device never ends.
    """
    shown = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer must not hang before fstat can tell what it is.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise SpecReadError("no such file", file=shown) from exc
    except IsADirectoryError as exc:
        raise SpecReadError("is a directory, not a spec file", file=shown) from exc
    except OSError as exc:
        raise SpecReadError(f"cannot read: {exc.strerror or exc}", file=shown) from exc
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode) or (regular_only and not stat.S_ISREG(mode)):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise SpecReadError("is a directory, not a spec file", file=shown)
        raise SpecRefusedError("not a regular file (a device, FIFO or socket)", file=shown)
    os.set_blocking(fd, True)  # a root spec from `<(...)` waits for its writer
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(limits.max_bytes + 1)
        except OSError as exc:
            raise SpecReadError(f"cannot read: {exc.strerror or exc}", file=shown) from exc
    if len(raw) > limits.max_bytes:
        raise SpecRefusedError(f"file is over the {limits.max_bytes}-byte limit", file=shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecParseError(f"not UTF-8 text (byte {exc.start})", file=shown) from exc
    as_json = path.suffix.lower() == ".json"
    if limits == DEFAULT_LIMITS and not as_json and is_bundled(path):  # our own YAML: parsed once (_cache)
        return cached_parse(raw, lambda: parse_text(text, shown, as_json=False, limits=limits))
    return parse_text(text, shown, as_json=as_json, limits=limits)


def parse_text(text: str, shown: str, *, as_json: bool, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Parse a document's text; ``shown`` names it in errors."""
    if not text.strip():
        raise SpecReadError("file is empty", file=shown)
    if as_json:
        try:
            document = json.loads(text)
        except RecursionError as exc:
            raise SpecRefusedError(f"nesting deeper than {limits.max_depth} levels", file=shown) from exc
        except json.JSONDecodeError as exc:
            raise SpecParseError(
                f"invalid JSON: {exc.msg} (column {exc.colno})", file=shown, line=exc.lineno
            ) from exc
    else:
        try:
            document = yaml.load(text, Loader=_SafeLoader)
        except RecursionError as exc:
            raise SpecRefusedError(f"nesting deeper than {limits.max_depth} levels", file=shown) from exc
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark is not None else None
            problem = exc.problem or "syntax error"
            raise SpecParseError(f"invalid YAML: {problem}", file=shown, line=line) from exc
        except yaml.YAMLError as exc:
            raise SpecParseError(f"invalid YAML: {exc}", file=shown) from exc
    check_limits(document, shown, limits)
    return document


def check_limits(document: Any, shown: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a document that is too deep, cyclic through aliases, or too large once aliases expand."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def expanded_size(node: Any, depth: int) -> int:
        if not isinstance(node, dict | list):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > limits.max_depth:
            raise SpecRefusedError(f"nesting deeper than {limits.max_depth} levels", file=shown)
        if key in on_path:
            raise SpecRefusedError("a YAML alias refers to itself (a recursive document)", file=shown)
        on_path.add(key)
        children = node.values() if isinstance(node, dict) else node
        total = 1
        for child in children:
            total += expanded_size(child, depth + 1)
            if total > limits.max_expanded_nodes:
                raise SpecRefusedError(
                    f"expands to more than {limits.max_expanded_nodes} nodes through YAML aliases "
                    "(refused, not expanded)",
                    file=shown,
                )
        on_path.discard(key)
        sizes[key] = total
        return total

    expanded_size(document, 0)


def line_of_pointer(text: str, pointer: str, *, key: bool = False) -> int | None:
    """The 1-based line where the node at ``pointer`` starts in YAML or JSON ``text``, if it can be found;
    with ``key``, the line of the member's name (a misspelt field is on its name's line)."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None
    best = node.start_mark.line + 1 if node is not None else None
    tokens = _pointer_tokens(pointer)
    for index, token in enumerate(tokens):
        if isinstance(node, yaml.MappingNode):
            member = next(((k, v) for k, v in node.value if getattr(k, "value", None) == token), None)
            if member is not None and key and index == len(tokens) - 1:
                return int(member[0].start_mark.line) + 1
            node = member[1] if member is not None else None
        elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
            node = node.value[int(token)]
        else:
            node = None
        if node is None:
            break
        best = node.start_mark.line + 1
    return best


def _pointer_tokens(pointer: str) -> list[str]:
    if pointer in ("", "/"):
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]

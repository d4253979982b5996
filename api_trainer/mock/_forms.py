"""Form bodies and query strings with bracket paths, as Stripe's clients send them.

Three spellings of a nested value are accepted, literal or percent-encoded (``%5B``/``%5D``):
``metadata[order_id]=6735`` (a key), ``expand[]=customer`` (append) and ``expand[0]=customer`` (an index).
A mapping whose keys are all decimal indexes becomes a list ordered by index.

Nesting is capped at :data:`MAX_DEPTH` levels in forms and JSON bodies alike (:func:`parse_json`): deeper input
is a :class:`FormError` (a 400 in the API's shape), never a recursion error and a 500 that clients retry.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["MAX_DEPTH", "FormError", "parse_form", "parse_json", "parse_multipart", "parse_pairs"]

MAX_DEPTH = 32

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


class FormError(ValueError):
    """A body or query string that cannot be read as bracketed form data; ``param`` names the bad key."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


def parse_form(data: bytes | str) -> dict[str, Any]:
    """Decode ``application/x-www-form-urlencoded`` data (or a query string) into nested values."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormError(f"the body is not UTF-8 (byte {exc.start})") from exc
    if not data:
        return {}
    try:
        pairs = parse_qsl(data, keep_blank_values=True, strict_parsing=True, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise FormError(f"malformed form data: {exc}") from exc
    return parse_pairs(pairs)


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Nest ``(key, value)`` pairs whose keys carry bracket paths."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        if match is None:
            raise FormError(f"malformed parameter name '{key}'", param=key)
        segments = [match.group(1), *_SEGMENT.findall(match.group(2))]
        if len(segments) > MAX_DEPTH:
            raise FormError(
                f"parameter '{key[:60]}...' is nested deeper than {MAX_DEPTH} levels", param=key[:60]
            )
        _insert(root, segments, value, key)
    # The top level is always a mapping of parameter names, even when every name is a digit (``0=x``).
    return {key: _listify(value) for key, value in root.items()}


def _insert(node: dict[str, Any], segments: list[str], value: str, key: str) -> None:
    *parents, last = segments
    for index, segment in enumerate(parents):
        if segment == "":
            # ``items[][price]=a&items[][quantity]=1``: a new element starts when the next key repeats.
            items = node.setdefault("\0append", [])
            following = segments[index + 1]
            if not items or following in items[-1]:
                items.append({})
            node = items[-1]
            continue
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            raise FormError(f"parameter '{key}' mixes a value and nested keys", param=key)
        node = child
    if last == "":
        existing = node.setdefault("\0append", [])
        existing.append(value)
        return
    if isinstance(node.get(last), dict):
        raise FormError(f"parameter '{key}' mixes a value and nested keys", param=key)
    node[last] = value


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    appended = node.pop("\0append", None)
    converted = {k: _listify(v) for k, v in node.items()}
    if appended is not None:
        items = [_listify(item) for item in appended]
        if converted:
            # ``a[]=x`` and ``a[k]=y`` together: keep the indexed ones first, then the appended.
            if all(k.isdigit() for k in converted):
                return [converted[k] for k in sorted(converted, key=int)] + items
            raise FormError("a parameter mixes [] and named keys")
        return items
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def parse_json(data: bytes | str) -> Any:
    """A JSON body, refused (:class:`FormError`) when it is not JSON or nests deeper than :data:`MAX_DEPTH`."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise FormError(f"the JSON body is nested deeper than {MAX_DEPTH} levels") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormError(f"the body is not valid JSON: {exc}") from None
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise FormError(f"the JSON body is nested deeper than {MAX_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return value


def parse_multipart(content_type: str | None, body: bytes) -> dict[str, Any]:
    """``multipart/form-data`` parts by name (a file part as its text, undecodable bytes replaced), via the
    standard library's MIME parser; bracketed names nest as in forms."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + (content_type or "").encode() + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise FormError("the body is not multipart/form-data (no boundary)")
    pairs: list[tuple[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            raise FormError("a multipart part has no name")
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        pairs.append((name, raw.decode("utf-8", errors="replace")))
    return parse_pairs(pairs)

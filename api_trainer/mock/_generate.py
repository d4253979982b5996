"""Values for a schema: the spec's own examples first, else generated, deterministically for a seed.

A spec-served answer is built from what the document says: a media type's ``example`` or named
``examples``, then schema-level ``example``/``examples`` (at any depth), then a value generated from the
schema that honours ``enum``/``const``, ``format`` (date-time, date, email, uuid, uri, ipv4, ...), numeric
and length bounds, ``minItems``, and ``readOnly``/``writeOnly`` (a response never carries a ``writeOnly``
property, a request body never a ``readOnly`` one). Generation draws from a :class:`random.Random` seeded
by the caller, so one ``--seed`` gives the same bodies on every run. ``dynamic`` (Prism's
``Prefer: dynamic=true``) ignores examples and draws every value.

jsf (JSON Schema faker) was the library candidate; it knows neither OpenAPI's ``nullable``,
``readOnly``/``writeOnly`` nor lazily followed ``$ref``s into a 4 MB document, which is what this walks.
"""

from __future__ import annotations

import copy
import random
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ..specs import Spec

__all__ = ["Generator", "media_example"]

Direction = Literal["response", "request"]
_MAX_DEPTH = 8
_EPOCH = 1_700_000_000  # 2023-11-14: generated timestamps sit near it, never in the far future


def media_example(spec: Spec, media: dict[str, Any], name: str | None = None) -> tuple[bool, Any]:
    """``(True, value)`` for a media type's ``example`` or its named (or first) ``examples`` entry."""
    examples = spec.deref(media.get("examples"))
    if isinstance(examples, dict) and examples:
        chosen = examples.get(name) if name is not None else next(iter(examples.values()))
        chosen = spec.deref(chosen)
        if isinstance(chosen, dict) and "value" in chosen:
            return True, copy.deepcopy(chosen["value"])
    if name is None and "example" in media:
        return True, copy.deepcopy(media["example"])
    return False, None


@dataclass
class Generator:
    spec: Spec
    rng: random.Random
    direction: Direction = "response"
    dynamic: bool = False
    keep: Callable[[str], bool] | None = None  # None: every property; else required ones and keep(name)

    def value(self, schema: Any) -> Any:
        return self._value(schema, 0, ())

    def _value(self, schema: Any, depth: int, refs: tuple[str, ...]) -> Any:
        pointer = Spec.ref_of(schema)
        if pointer is not None:
            if refs.count(pointer) >= 1 and depth > 2:
                return _EMPTY  # a recursive schema: stop at its second visit
            refs = (*refs, pointer)
        schema = self.spec.deref(schema)
        if not isinstance(schema, dict):
            return None
        if not self.dynamic:
            if "example" in schema:
                return copy.deepcopy(schema["example"])
            examples = schema.get("examples")
            if isinstance(examples, list) and examples:
                return copy.deepcopy(examples[0])
        if "const" in schema:
            return copy.deepcopy(schema["const"])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            choices = [e for e in enum if e is not None] or enum
            return copy.deepcopy(self.rng.choice(choices) if self.dynamic else choices[0])
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, depth, refs)
        for combinator in ("oneOf", "anyOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options:
                usable = [o for o in options if _types(self.spec.deref(o)) != ["null"]] or options
                option = self.rng.choice(usable) if self.dynamic else usable[0]
                return self._value(option, depth, refs)
        kinds = [k for k in _types(schema) if k != "null"]
        kind = kinds[0] if kinds else ("object" if "properties" in schema else None)
        if kind == "object":
            return self._object(schema, depth, refs)
        if kind == "array":
            return self._array(schema, depth, refs)
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return int(self._number(schema, integer=True))
        if kind == "number":
            return self._number(schema, integer=False)
        if kind == "boolean":
            return self.rng.random() < 0.5 if self.dynamic else True
        return None

    def _all_of(self, schema: dict[str, Any], depth: int, refs: tuple[str, ...]) -> Any:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = self._value(part, depth, refs)
            if isinstance(value, dict):
                merged.update(value)
            elif value is not None and value is not _EMPTY:
                return value
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        if rest.get("properties"):
            extra = self._object(rest, depth, refs)
            if isinstance(extra, dict):
                merged.update(extra)
        return merged

    def _object(self, schema: dict[str, Any], depth: int, refs: tuple[str, ...]) -> dict[str, Any]:
        properties = self.spec.deref(schema.get("properties")) or {}
        required = set(schema.get("required") or [])
        result: dict[str, Any] = {}
        for name, sub in properties.items():
            resolved = self.spec.deref(sub)
            if isinstance(resolved, dict) and self._hidden(resolved):
                continue
            if name not in required and (
                depth >= _MAX_DEPTH or (self.keep is not None and not self.keep(name))
            ):
                continue
            value = self._value(sub, depth + 1, refs)
            if value is _EMPTY:
                if name in required:
                    result[name] = None
                continue
            result[name] = value
        return result

    def _hidden(self, schema: dict[str, Any]) -> bool:
        if self.direction == "response":
            return bool(schema.get("writeOnly"))
        return bool(schema.get("readOnly"))

    def _array(self, schema: dict[str, Any], depth: int, refs: tuple[str, ...]) -> list[Any]:
        minimum = int(schema.get("minItems") or 0)
        maximum = schema.get("maxItems")
        count = max(minimum, 1)
        if isinstance(maximum, int):
            count = min(count, maximum)
        if depth >= _MAX_DEPTH:
            count = minimum
        items = []
        for _ in range(count):
            value = self._value(schema.get("items") or {}, depth + 1, refs)
            if value is _EMPTY:
                return []
            items.append(value)
        return items

    def _number(self, schema: dict[str, Any], *, integer: bool) -> float:
        low = schema.get("minimum")
        high = schema.get("maximum")
        exclusive_low = schema.get("exclusiveMinimum")
        exclusive_high = schema.get("exclusiveMaximum")
        # 3.0 spells exclusivity as a boolean beside minimum; 3.1 as the bound itself.
        if isinstance(exclusive_low, int | float) and not isinstance(exclusive_low, bool):
            low = exclusive_low + (1 if integer else 1e-6)
        elif exclusive_low is True and low is not None:
            low = low + (1 if integer else 1e-6)
        if isinstance(exclusive_high, int | float) and not isinstance(exclusive_high, bool):
            high = exclusive_high - (1 if integer else 1e-6)
        elif exclusive_high is True and high is not None:
            high = high - (1 if integer else 1e-6)
        low = 0 if low is None else low
        high = max(low, low + 1000) if high is None else high
        if integer:
            number: float = self.rng.randint(int(low), max(int(low), int(high)))
        else:
            number = round(self.rng.uniform(float(low), float(high)), 2)
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            number = (number // step) * step
            if number < low:
                number += step
        return number

    def _string(self, schema: dict[str, Any]) -> str:
        text = _formatted(str(schema.get("format") or ""), self.rng)
        if text is None:
            text = "".join(self.rng.choices(string.ascii_lowercase, k=8))
        minimum = int(schema.get("minLength") or 0)
        maximum = schema.get("maxLength")
        if len(text) < minimum:
            text = text + "x" * (minimum - len(text))
        if isinstance(maximum, int) and len(text) > maximum:
            text = text[:maximum]
        return text


class _Empty:
    """Nothing to put here (the second visit of a recursive schema)."""


_EMPTY: Any = _Empty()


def _types(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    kind = schema.get("type")
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return [str(kind)] if isinstance(kind, str) else []


def _formatted(fmt: str, rng: random.Random) -> str | None:
    if fmt == "date-time":
        moment = _EPOCH + rng.randint(0, 365 * 86400)
        return _iso(moment)
    if fmt == "date":
        return _iso(_EPOCH + rng.randint(0, 365) * 86400)[:10]
    if fmt == "time":
        return _iso(_EPOCH + rng.randint(0, 86399))[11:]
    if fmt == "email":
        return f"user{rng.randint(1, 9999)}@example.com"
    if fmt == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if fmt in ("uri", "url", "uri-reference", "iri"):
        return f"https://example.com/{rng.randint(1, 9999)}"
    if fmt == "hostname":
        return f"host{rng.randint(1, 999)}.example.com"
    if fmt == "ipv4":
        return f"192.0.2.{rng.randint(1, 254)}"  # TEST-NET-1 (RFC 5737)
    if fmt == "ipv6":
        return f"2001:db8::{rng.randint(1, 0xFFFF):x}"  # documentation prefix (RFC 3849)
    if fmt == "byte":
        return "aGVsbG8="
    if fmt == "password":
        return "********"
    if fmt in ("int64", "int32", "decimal"):
        return str(rng.randint(0, 1000))
    return None


def _iso(timestamp: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")

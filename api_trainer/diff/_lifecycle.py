"""Reading the lifecycle of an operation, parameter or property: deprecation, sunset date, stability.

The rules that use it (``rules_lifecycle``) and the schema comparison share these readings, so that an
``x-sunset`` means the same date wherever it is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from ._policy import Policy
from ._shapes import Tokens

if TYPE_CHECKING:
    from ._schemas import SchemaComparer, _Pair

#: ``x-stability-level`` values, least to most stable (oasdiff's and Zalando's reading)
STABILITY = ("draft", "alpha", "beta", "stable")
#: levels whose operations promise nothing yet: removing or deprecating them needs no period
UNSTABLE = frozenset(("draft", "alpha"))


@dataclass(frozen=True)
class Lifecycle:
    deprecated: bool
    #: the sunset date, None when absent or when ``sunset_text`` does not parse
    sunset: date | None
    sunset_text: str | None
    stability: str | None
    stability_valid: bool

    @property
    def sunset_invalid(self) -> bool:
        return self.sunset_text is not None and self.sunset is None

    @property
    def unstable(self) -> bool:
        return self.stability in UNSTABLE


def read(node: Any) -> Lifecycle:
    if not isinstance(node, Mapping):
        return Lifecycle(False, None, None, None, True)
    raw = node.get("x-sunset")
    if raw is None:
        raw = _sunset_header(node)
    sunset, text = _sunset(raw) if raw is not None else (None, None)
    level = node.get("x-stability-level")
    stability = level if isinstance(level, str) and level in STABILITY else None
    return Lifecycle(
        node.get("deprecated") is True or raw is not None,
        sunset,
        text,
        stability,
        level is None or stability is not None,
    )


def _sunset_header(operation: Mapping[str, Any]) -> Any:
    """The date an operation's responses announce in a ``Sunset`` header (RFC 8594), written inline as the
    header's or its schema's ``example``, ``default`` or ``const``; None when there is none."""
    responses = operation.get("responses")
    for response in responses.values() if isinstance(responses, Mapping) else ():
        headers = response.get("headers") if isinstance(response, Mapping) else None
        for name, header in headers.items() if isinstance(headers, Mapping) else ():
            if str(name).lower() != "sunset" or not isinstance(header, Mapping):
                continue
            schema = header.get("schema")
            for holder in (header, schema if isinstance(schema, Mapping) else {}):
                for keyword in ("example", "default", "const"):
                    if holder.get(keyword) is not None:
                        return holder[keyword]
    return None


def _sunset(raw: Any) -> tuple[date | None, str]:
    """A sunset date: an RFC 3339 date or date-time (YAML may have parsed it already), or the HTTP date of
    a ``Sunset`` header (``Wed, 11 Nov 2026 23:59:59 GMT``)."""
    if isinstance(raw, datetime):
        return raw.date(), raw.isoformat()
    if isinstance(raw, date):
        return raw, raw.isoformat()
    text = str(raw)
    try:
        return date.fromisoformat(text), text
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date(), text
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date(), text
    except (TypeError, ValueError):
        return None, text


def required_days(policy: Policy, life: Lifecycle) -> int:
    """The minimum deprecation period for a subject of this stability (beta has its own)."""
    if life.unstable:
        return 0
    return policy.deprecation_days_beta if life.stability == "beta" else policy.deprecation_days_stable


def earliest_sunset(policy: Policy, life: Lifecycle) -> date:
    return policy.today + timedelta(days=required_days(policy, life))


def stability_rank(level: str | None) -> int:
    """Unset counts as stable: a spec that says nothing promises its operations."""
    return STABILITY.index(level) if level in STABILITY else len(STABILITY) - 1


def compare_lifecycle(
    c: SchemaComparer, o: Any, n: Any, nt: Tokens, ot: Tokens, prop: Tokens, pair: _Pair
) -> None:
    """A property deprecated (or no longer) in NEW: its sunset date, and the period the policy asks."""
    was, now = read(o), read(n)
    if now.sunset_invalid and (not was.deprecated or was.sunset_text != now.sunset_text):
        c._emit(pair, "sunset-invalid", (*nt, "x-sunset"), ot, prop, value=now.sunset_text or "")
        return
    if was.deprecated or not now.deprecated:
        if was.deprecated and not now.deprecated:
            c._emit(pair, "reactivated", nt, ot, prop)
        return
    c._emit(pair, "became-deprecated", nt, ot, prop)
    days = required_days(c.policy, now)
    if days == 0:
        return
    earliest = earliest_sunset(c.policy, now)
    if now.sunset is None:
        c._emit(pair, "deprecated-sunset-missing", nt, ot, prop, days=str(days))
    elif now.sunset < earliest:
        c._emit(
            pair, "sunset-date-too-small", (*nt, "x-sunset"), ot, prop,
            sunset=now.sunset.isoformat(), days=str(days), earliest=earliest.isoformat(),
        )  # fmt: skip

"""The SQL details the statement API needs: named markers, typed parameters, Databricks type names, values.

* ``:name`` markers become DuckDB ``$name`` markers (outside strings, quoted identifiers and comments, and
  never the ``::`` cast operator); values are then bound by DuckDB, never formatted into the SQL text.
* A parameter's ``type`` (Databricks SQL type names, default ``STRING``) converts its string value before
  binding. Assumption (the reference says only "typed values are checked with cast"): a value that does
  not convert is rejected up front with 400 ``INVALID_PARAMETER_VALUE`` rather than run as a failing
  statement.
* Result columns carry Databricks ``type_name`` / ``type_text``; values travel as strings or null, as in
  ``JSON_ARRAY`` results.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import invalid_parameter

__all__ = ["ColumnType", "bind_parameters", "column_type", "find_markers", "render_value", "rewrite_markers"]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _scan(sql: str, on_marker: Callable[[int, str], None]) -> None:
    """Walk ``sql`` and call ``on_marker(position, name)`` for each ``:name`` marker outside literals."""
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"', "`"):
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:  # doubled quote escapes itself
                        end += 2
                        continue
                    break
                end += 1
            i = end + 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            i = n if close < 0 else close + 2
        elif ch == ":" and sql.startswith("::", i):
            i += 2
        elif ch == ":" and (match := _IDENT.match(sql, i + 1)):
            on_marker(i, match.group(0))
            i = match.end()
        else:
            i += 1


def find_markers(sql: str) -> list[str]:
    found: list[str] = []
    _scan(sql, lambda _pos, name: found.append(name))
    return found


def rewrite_markers(sql: str) -> str:
    """``WHERE id > :min_id`` -> ``WHERE id > $min_id`` (DuckDB's named-parameter syntax)."""
    positions: list[int] = []
    _scan(sql, lambda pos, _name: positions.append(pos))
    chars = list(sql)
    for pos in positions:
        chars[pos] = "$"
    return "".join(chars)


def _to_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise ValueError(value)


def _to_decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "STRING": str,
    "VARCHAR": str,
    "CHAR": str,
    "BOOLEAN": _to_bool,
    "BYTE": int,
    "TINYINT": int,
    "SHORT": int,
    "SMALLINT": int,
    "INT": int,
    "INTEGER": int,
    "LONG": int,
    "BIGINT": int,
    "FLOAT": float,
    "DOUBLE": float,
    "DECIMAL": _to_decimal,
    "DATE": date.fromisoformat,
    "TIMESTAMP": datetime.fromisoformat,
}


def bind_parameters(parameters: list[dict[str, Any]], used: list[str]) -> dict[str, Any]:
    """Convert the request's ``parameters`` into DuckDB bindings for the markers the SQL uses."""
    bound: dict[str, Any] = {}
    for index, item in enumerate(parameters):
        name = item.get("name")
        if not isinstance(name, str) or not _IDENT.fullmatch(name):
            raise invalid_parameter(f"parameters[{index}].name must be a SQL identifier, got {name!r}.")
        type_text = str(item.get("type") or "STRING").strip().upper()
        base = type_text.split("(", 1)[0].strip()
        converter = _CONVERTERS.get(base)
        if converter is None:
            known = ", ".join(sorted(_CONVERTERS))
            raise invalid_parameter(
                f"Parameter '{name}' has unsupported type '{type_text}'; use one of {known}."
            )
        value = item.get("value")
        if value is None:
            converted: Any = None
        else:
            try:
                converted = converter(str(value))
            except ValueError:
                raise invalid_parameter(
                    f"Parameter '{name}' value {value!r} is not a valid {type_text}."
                ) from None
        if name in used:
            bound[name] = converted
    return bound


@dataclass(frozen=True)
class ColumnType:
    type_name: str
    type_text: str
    precision: int | None = None
    scale: int | None = None


_SIMPLE = {
    "BOOLEAN": ("BOOLEAN", "BOOLEAN"),
    "TINYINT": ("BYTE", "TINYINT"),
    "SMALLINT": ("SHORT", "SMALLINT"),
    "INTEGER": ("INT", "INT"),
    "BIGINT": ("LONG", "BIGINT"),
    # DuckDB widens SUM(BIGINT) to HUGEINT; Databricks' SUM of a BIGINT column is a BIGINT.
    "HUGEINT": ("LONG", "BIGINT"),
    "UTINYINT": ("SHORT", "SMALLINT"),
    "USMALLINT": ("INT", "INT"),
    "UINTEGER": ("LONG", "BIGINT"),
    "UBIGINT": ("DECIMAL", "DECIMAL(20,0)"),
    "FLOAT": ("FLOAT", "FLOAT"),
    "DOUBLE": ("DOUBLE", "DOUBLE"),
    "VARCHAR": ("STRING", "STRING"),
    "UUID": ("STRING", "STRING"),
    "DATE": ("DATE", "DATE"),
    # Naive DuckDB timestamps are treated as UTC, the session time zone of a default Databricks warehouse.
    "TIMESTAMP": ("TIMESTAMP", "TIMESTAMP"),
    "TIMESTAMP WITH TIME ZONE": ("TIMESTAMP", "TIMESTAMP"),
    "BLOB": ("BINARY", "BINARY"),
    "INTERVAL": ("INTERVAL", "INTERVAL"),
    '"NULL"': ("NULL", "VOID"),
    "NULL": ("NULL", "VOID"),
}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def column_type(duckdb_type: str) -> ColumnType:
    text = duckdb_type.upper()
    if text in _SIMPLE:
        name, type_text = _SIMPLE[text]
        if name == "DECIMAL":
            return ColumnType(name, type_text, 20, 0)
        return ColumnType(name, type_text)
    if match := _DECIMAL.fullmatch(text):
        precision, scale = int(match.group(1)), int(match.group(2))
        return ColumnType("DECIMAL", f"DECIMAL({precision},{scale})", precision, scale)
    if text.endswith("[]"):
        return ColumnType("ARRAY", f"ARRAY<{column_type(text[:-2]).type_text}>")
    if text.startswith("STRUCT"):
        return ColumnType("STRUCT", text)
    if text.startswith("MAP"):
        return ColumnType("MAP", text)
    return ColumnType("USER_DEFINED_TYPE", text)


def render_value(value: Any) -> str | None:
    """A result cell as JSON_ARRAY carries it: a string, or null."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        moment: datetime = value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
        return moment.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, date | time):
        return str(value.isoformat())
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, default=str)
    return str(value)

"""SQL fluency drills: the learner's query and the reference run on the mock's sample data; results compare.

Never the SQL text: any query that returns the same rows (same column count, cells equal, numbers within
``tolerance``) passes. Rows compare as a multiset unless ``ordered = true``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import LabError
from ._model import LabClient, LabResult, verdict
from ._registry import lab_check
from ._statements import QueryResult, first_warehouse, run_sql

__all__ = ["compare_results"]

Cell = str | None
Row = tuple[Cell, ...]


def _number(cell: Cell) -> float | None:
    if cell is None:
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _sort_key(row: Row) -> tuple[tuple[int, float, str], ...]:
    key: list[tuple[int, float, str]] = []
    for cell in row:
        number = _number(cell)
        if cell is None:
            key.append((2, 0.0, ""))
        elif number is not None:
            key.append((0, round(number, 6), ""))
        else:
            key.append((1, 0.0, cell))
    return tuple(key)


def _cells_equal(mine: Cell, theirs: Cell, tolerance: float) -> bool:
    if mine is None or theirs is None:
        return mine is theirs
    a, b = _number(mine), _number(theirs)
    if a is not None and b is not None:
        return abs(a - b) <= tolerance
    return mine.strip() == theirs.strip()


def _show(row: Row) -> str:
    return "(" + ", ".join("NULL" if c is None else c for c in row) + ")"


def compare_results(
    mine: Sequence[Row], reference: Sequence[Row], *, ordered: bool, tolerance: float
) -> list[str]:
    """Why ``mine`` is not ``reference`` (empty when they match)."""
    width_mine = len(mine[0]) if mine else None
    width_ref = len(reference[0]) if reference else None
    if width_mine is not None and width_ref is not None and width_mine != width_ref:
        return [f"your query returns {width_mine} columns; the drill expects {width_ref}"]
    if len(mine) != len(reference):
        return [f"your query returns {len(mine)} rows; the drill expects {len(reference)}"]
    left, right = (
        (list(mine), list(reference))
        if ordered
        else (sorted(mine, key=_sort_key), sorted(reference, key=_sort_key))
    )
    wrong = [
        (i, a, b)
        for i, (a, b) in enumerate(zip(left, right, strict=True))
        if not all(_cells_equal(x, y, tolerance) for x, y in zip(a, b, strict=True))
    ]
    if not wrong:
        return []
    index, got, expected = wrong[0]
    where = f"row {index + 1}" if ordered else "in sorted order, row " + str(index + 1)
    reasons = [
        f"{len(wrong)} of {len(right)} rows differ; first, {where}: you return {_show(got)}, expected {_show(expected)}"
    ]
    if ordered and sorted(mine, key=_sort_key) == sorted(reference, key=_sort_key):
        reasons.append("the rows are right but in the wrong order: this drill asks for an ORDER BY")
    return reasons


def _short(name: str, width: int = 32) -> str:
    return name if len(name) <= width else name[: width - 3] + "..."


def _finite(params: Mapping[str, Any], name: str, default: float) -> float:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise LabError(f"[lab.params] {name}: must be a number, 0 or more")
    return float(value)


@lab_check(
    "sql-result",
    api="dataplatform",
    summary="your query's result set equals the reference query's (order-insensitive unless ordered = true)",
    params=("reference_sql", "ordered", "tolerance"),
    needs_answer=True,
)
def sql_result(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    reference_sql = params.get("reference_sql")
    if not isinstance(reference_sql, str) or not reference_sql.strip():
        raise LabError("[lab.params] reference_sql: missing; a sql-result drill needs its reference query")
    ordered = bool(params.get("ordered", False))
    tolerance = _finite(params, "tolerance", 1e-6)
    mine_sql = client.answer_text()
    warehouse = first_warehouse(client)
    reference = run_sql(client, reference_sql, warehouse)
    if reference.error is not None:
        raise LabError(f"the drill's reference query fails on this mock: {reference.error}")
    mine: QueryResult = run_sql(client, mine_sql, warehouse)
    if mine.error is not None:
        return LabResult(
            False,
            (f"your query did not run: {mine.error}",),
            (f"statement {mine.statement_id} {mine.state}",),
        )
    observations = [
        f"your query: {len(mine.rows)} rows x {len(mine.columns)} columns ({', '.join(_short(c) for c in mine.columns)})",
        f"reference: {len(reference.rows)} rows x {len(reference.columns)} columns",
    ]
    reasons = compare_results(mine.rows, reference.rows, ordered=ordered, tolerance=tolerance)
    return verdict(reasons, observations)

"""SQL drills: queries written independently of the reference pass, plausible wrong ones fail with the reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from api_trainer.labs import build_lab_mock, check_lab
from api_trainer.labs.checks_sql import compare_results
from api_trainer.mock import BackgroundServer

from ..conftest import CliResult


@pytest.fixture(scope="module")
def dataplatform() -> Iterator[str]:
    mock = build_lab_mock("dataplatform", seed=3)
    with BackgroundServer(mock.app).running() as server:
        yield server.base_url
    mock.close()


RETENTION_OK = """
-- written without looking at the reference: one join, DISTINCT everywhere, columns in another style
SELECT strftime(date_trunc('month', c.signup_date), '%Y-%m') AS cohort,
       COUNT(DISTINCT c.customer_id) AS n,
       ROUND(COUNT(DISTINCT o1.customer_id) / COUNT(DISTINCT c.customer_id), 4),
       ROUND(COUNT(DISTINCT o3.customer_id) / COUNT(DISTINCT c.customer_id), 4)
FROM samples.sales.customers c
LEFT JOIN samples.sales.orders o1 ON o1.customer_id = c.customer_id AND o1.status = 'completed'
  AND date_trunc('month', o1.order_ts) = date_trunc('month', c.signup_date) + INTERVAL 1 MONTH
LEFT JOIN samples.sales.orders o3 ON o3.customer_id = c.customer_id AND o3.status = 'completed'
  AND date_trunc('month', o3.order_ts) = date_trunc('month', c.signup_date) + INTERVAL 3 MONTH
GROUP BY 1 ORDER BY 1 DESC
"""
# The classic mistake: the denominator counts joined rows, not customers.
RETENTION_WRONG_DENOMINATOR = RETENTION_OK.replace("/ COUNT(DISTINCT c.customer_id), 4)", "/ COUNT(*), 4)")
FUNNEL_OK = """
SELECT step, sessions, ROUND(sessions / LAG(sessions) OVER (ORDER BY k), 4)
FROM (
  SELECT CASE event_type WHEN 'visit' THEN 1 WHEN 'add_to_cart' THEN 2 WHEN 'checkout' THEN 3 ELSE 4 END AS k,
         event_type AS step, COUNT(DISTINCT session_id) AS sessions
  FROM samples.sales.events GROUP BY event_type
) ORDER BY k
"""
FUNNEL_CUSTOMERS = FUNNEL_OK.replace("COUNT(DISTINCT session_id)", "COUNT(DISTINCT customer_id)")
FUNNEL_UNORDERED = FUNNEL_OK.replace("ORDER BY k\n", "ORDER BY step\n")
REVENUE_OK = """
SELECT strftime(order_ts, '%Y-%m') AS m, COUNT(DISTINCT customer_id),
       ROUND(COUNT(order_id) * 1.0 / COUNT(DISTINCT customer_id), 4), ROUND(SUM(amount) / COUNT(*), 2), SUM(amount)
FROM samples.sales.orders
WHERE status = 'completed' AND year(order_ts) = 2024 AND month(order_ts) <= 6
GROUP BY 1
"""
REVENUE_ALL_STATUSES = REVENUE_OK.replace("status = 'completed' AND ", "")


def _check(base_url: str, lab_id: str, sql: str, tmp_path: Path) -> tuple[bool, tuple[str, ...]]:
    answer = tmp_path / "my.sql"
    answer.write_text(sql)
    report = check_lab(lab_id, base_url=base_url, answer_file=answer)
    return report.passed, report.result.reasons


@pytest.mark.parametrize(
    ("lab_id", "sql"),
    [
        ("sql-cohort-retention", RETENTION_OK),
        ("sql-funnel-conversion", FUNNEL_OK),
        ("sql-revenue-decomposition", REVENUE_OK),
    ],
)
def test_an_independent_correct_query_passes(
    dataplatform: str, tmp_path: Path, lab_id: str, sql: str
) -> None:
    passed, reasons = _check(dataplatform, lab_id, sql, tmp_path)
    assert passed, reasons


@pytest.mark.parametrize(
    ("lab_id", "sql", "reason"),
    [
        ("sql-cohort-retention", RETENTION_WRONG_DENOMINATOR, "6 of 6 rows differ"),
        (
            "sql-funnel-conversion",
            FUNNEL_CUSTOMERS,
            "rows differ; first, row 1: you return (visit, 300, NULL)",
        ),
        ("sql-funnel-conversion", FUNNEL_UNORDERED, "the rows are right but in the wrong order"),
        ("sql-revenue-decomposition", REVENUE_ALL_STATUSES, "6 of 6 rows differ"),
        ("sql-revenue-decomposition", "SELECT 1 AS a", "your query returns 1 columns; the drill expects 5"),
        ("sql-cohort-retention", "SELECT * FROM samples.sales.nope", "your query did not run"),
    ],
)
def test_a_plausible_wrong_query_fails_with_the_reason(
    dataplatform: str, tmp_path: Path, lab_id: str, sql: str, reason: str
) -> None:
    passed, reasons = _check(dataplatform, lab_id, sql, tmp_path)
    assert not passed
    assert any(reason in r for r in reasons), reasons


def test_compare_is_order_insensitive_with_numeric_tolerance() -> None:
    mine = [("b", "0.33334"), ("a", "1")]
    reference = [("a", "1.0"), ("b", "0.3333")]
    assert compare_results(mine, reference, ordered=False, tolerance=0.001) == []
    assert compare_results(mine, reference, ordered=False, tolerance=0.00001) != []
    assert compare_results(mine, reference, ordered=True, tolerance=0.001) != []
    assert compare_results([("a", None)], [("a", "0")], ordered=False, tolerance=1.0) != []


def test_lab_check_without_base_url_runs_its_own_mock(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    answer = tmp_path / "my.sql"
    answer.write_text(FUNNEL_OK)
    result = run_cli("lab", "check", "sql-funnel-conversion", "--answer-file", str(answer))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("PASSED  sql-funnel-conversion")
    answer.write_text(FUNNEL_CUSTOMERS)
    result = run_cli("lab", "check", "sql-funnel-conversion", "--answer-file", str(answer))
    assert result.exit_code == 1
    assert result.stdout.startswith("NOT YET  sql-funnel-conversion")

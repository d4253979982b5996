"""The experiment sample table and the statistics SQL drills built on it; every Databricks-tagged drill's
reference SQL parses as Databricks SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot
from api_trainer.mock_servers.dataplatform.samples import load_samples
from sqlglot import exp

from api_trainer.labs import build_lab_mock, check_lab
from api_trainer.mock import BackgroundServer
from api_trainer.trainer import Scenario, load_pack

DRILLS = [s for s in load_pack() if s.lab is not None and s.lab.check == "sql-result"]


@pytest.mark.parametrize("scenario", DRILLS, ids=[s.id for s in DRILLS])
def test_databricks_drills_reference_sql_parses_as_databricks_sql(scenario: Scenario) -> None:
    if "databricks" not in scenario.companies:
        pytest.skip("not a Databricks drill")
    assert scenario.lab is not None
    tree = sqlglot.parse_one(scenario.lab.params["reference_sql"], read="databricks")
    unknown = sorted({f.name for f in tree.find_all(exp.Anonymous)})
    assert not unknown, f"{scenario.id}: functions Databricks SQL does not know: {unknown}"


def test_experiment_table_is_deterministic_and_shows_the_readout_the_drills_describe() -> None:
    def readout(seed: int) -> list[tuple[object, ...]]:
        con = duckdb.connect()
        load_samples(con, seed)
        return con.execute(
            "SELECT variant, COUNT(*), AVG(CASE WHEN converted THEN 1.0 ELSE 0 END), SUM(revenue) / COUNT(*) "
            "FROM samples.experiments.checkout_test GROUP BY 1 ORDER BY 1"
        ).fetchall()

    assert readout(42) == readout(42)
    for seed in (0, 3, 42):
        (_, n_control, conv_control, rpu_control), (_, n_treat, conv_treat, rpu_treat) = readout(seed)
        assert n_control + n_treat == 40000
        assert conv_treat > conv_control  # the discount converts more users ...
        assert rpu_treat < rpu_control  # ... and earns less per user


@pytest.fixture(scope="module")
def dataplatform() -> Iterator[str]:
    mock = build_lab_mock("dataplatform", seed=3)
    with BackgroundServer(mock.app).running() as server:
        yield server.base_url
    mock.close()


# Written without looking at the reference: other spellings, FILTER, casts.
READOUT_OK = """
SELECT variant, count(user_id) AS n,
       round(sum(CAST(converted AS INT)) / count(*), 4),
       round(sum(revenue) / count(user_id), 2)
FROM samples.experiments.checkout_test GROUP BY variant ORDER BY variant
"""
# The classic mistake: revenue averaged over buyers only, which is order value, not revenue per user.
READOUT_BUYERS_ONLY = READOUT_OK.replace(
    "round(sum(revenue) / count(user_id), 2)", "round(avg(revenue) FILTER (WHERE converted), 2)"
)
DECOMPOSITION_OK = """
SELECT variant,
       round(count(*) FILTER (WHERE converted) * 1.0 / count(*), 4) AS c,
       round(sum(revenue) / count(*) FILTER (WHERE converted), 2) AS aov,
       round(avg(revenue), 2) AS rpu
FROM samples.experiments.checkout_test GROUP BY 1 ORDER BY 1
"""
# Order value over every user (zeros included) is revenue per user again.
DECOMPOSITION_AOV_OVER_USERS = DECOMPOSITION_OK.replace(
    "round(sum(revenue) / count(*) FILTER (WHERE converted), 2) AS aov", "round(avg(revenue), 2) AS aov"
)


def _check(base_url: str, lab_id: str, sql: str, tmp_path: Path) -> tuple[bool, tuple[str, ...]]:
    answer = tmp_path / "my.sql"
    answer.write_text(sql)
    report = check_lab(lab_id, base_url=base_url, answer_file=answer)
    return report.passed, report.result.reasons


@pytest.mark.parametrize(
    ("lab_id", "sql", "passes"),
    [
        ("experiment-significance-vs-impact", READOUT_OK, True),
        ("experiment-significance-vs-impact", READOUT_BUYERS_ONLY, False),
        ("revenue-per-user-decomposition", DECOMPOSITION_OK, True),
        ("revenue-per-user-decomposition", DECOMPOSITION_AOV_OVER_USERS, False),
    ],
)
def test_statistics_drills_pass_a_right_query_and_fail_a_plausible_wrong_one(
    dataplatform: str, tmp_path: Path, lab_id: str, sql: str, passes: bool
) -> None:
    passed, reasons = _check(dataplatform, lab_id, sql, tmp_path)
    assert passed == passes, reasons
    if not passes:
        assert any("rows differ" in r for r in reasons), reasons

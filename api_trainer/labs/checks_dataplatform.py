"""Checks for labs on the data-platform mock: run-now under 429s, page tokens, statement polling and chunks.

Each reads ``GET /_mock/requests`` and the public Jobs / SQL API with the learner's token, never the process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from ._model import LabClient, LabResult, verdict
from ._registry import lab_check

_MAX_PAGES = 200
# The SDK picks the Jobs API version (2.1 or 2.2, by release); every check accepts each.
_RUN_NOW = re.compile(r"^/api/2\.\d/jobs/run-now$")
_JOBS_LIST = re.compile(r"^/api/2\.\d/jobs/list$")


def _query(entry: Mapping[str, Any]) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(str(entry.get("query") or "")).items()}


def _all_runs(client: LabClient, version: str) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    token: str | None = None
    for _ in range(_MAX_PAGES):
        params: dict[str, Any] = {"limit": 24, **({"page_token": token} if token else {})}
        body = client.json("GET", f"/api/{version}/jobs/runs/list", params=params)
        runs.extend(body.get("runs") or [])
        token = body.get("next_page_token")
        if not token or not body.get("has_more", True):
            break
    return runs


@lab_check(
    "dp-run-once",
    api="dataplatform",
    summary="exactly one run for the idempotency_token, retried through the injected 429s, polled to TERMINATED",
)
def run_once(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    journal = client.journal()
    path = "/api/2.x/jobs/run-now"
    calls = [e for e in journal if e.get("method") == "POST" and _RUN_NOW.match(str(e.get("path", "")))]
    version = str(calls[-1].get("version") or "2.1") if calls else "2.1"
    reasons: list[str] = []
    observations = [f"{len(calls)} POST {path} request(s) in the journal"]
    if not calls:
        return verdict([f"no POST {path} in the journal: trigger the job with run-now"], observations)
    limited = [e for e in calls if e.get("status") == 429]
    observations.append(f"{len(limited)} answered 429 REQUEST_LIMIT_EXCEEDED")
    if not limited:
        reasons.append("none of your run-now requests met the injected 429: run it against this lab's mock")
    keyless = [e for e in calls if not e.get("idempotency_key")]
    if keyless:
        reasons.append(f"{len(keyless)} run-now request(s) carried no idempotency_token")
    tokens = {e.get("idempotency_key") for e in calls if e.get("idempotency_key")}
    if len(tokens) > 1:
        reasons.append(
            f"your retries used {len(tokens)} different idempotency_tokens: one logical run needs one token"
        )
    if limited and not any(e.get("status") == 200 for e in calls[calls.index(limited[-1]) :]):
        reasons.append("no run-now succeeded after the 429: retry after Retry-After seconds")
    runs = _all_runs(client, version)
    observations.append(f"{len(runs)} run(s) exist")
    if len(runs) != 1:
        reasons.append(f"{len(runs)} runs exist; one logical trigger must make exactly one run")
    else:
        run = runs[0]
        run_id = run.get("run_id")
        polls = [
            e
            for e in journal
            if e.get("method") == "GET"
            and str(e.get("path", "")).endswith("/jobs/runs/get")
            and _query(e).get("run_id") == str(run_id)
        ]
        observations.append(f"{len(polls)} GET runs/get poll(s) for run {run_id}")
        state = (
            client.json("GET", f"/api/{version}/jobs/runs/get", params={"run_id": run_id}).get("state") or {}
        )
        observations.append(f"run {run_id} is {state.get('life_cycle_state')} / {state.get('result_state')}")
        if not polls:
            reasons.append(
                f"the journal shows no GET runs/get for run {run_id}: poll the run until it terminates"
            )
        elif state.get("life_cycle_state") != "TERMINATED":
            reasons.append(f"run {run_id} is {state.get('life_cycle_state')}, not TERMINATED: keep polling")
    return verdict(reasons, observations)


@lab_check(
    "dp-jobs-pages",
    api="dataplatform",
    summary="every page of jobs/list read by following next_page_token to the end",
    params=("min_jobs",),
)
def jobs_pages(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    min_jobs = int(params.get("min_jobs", 5))
    journal = client.journal()
    lists = [
        e
        for e in journal
        if e.get("method") == "GET" and _JOBS_LIST.match(str(e.get("path", ""))) and e.get("status") == 200
    ]
    path = str(lists[0]["path"]) if lists else "/api/2.x/jobs/list"
    observations = [f"{len(lists)} successful GET {path} request(s)"]
    first = next((e for e in lists if "page_token" not in _query(e)), None)
    if first is None:
        return verdict(
            [f"no GET {path} without a page_token in the journal: start listing from the first page"],
            observations,
        )
    limit = int(_query(first).get("limit", "20"))
    # Walk the same pages with the learner's page size to learn which tokens a complete walk sends.
    expected: list[str] = []
    total = 0
    token: str | None = None
    for _ in range(_MAX_PAGES):
        body = client.json("GET", path, params={"limit": limit, **({"page_token": token} if token else {})})
        total += len(body.get("jobs") or [])
        token = body.get("next_page_token") if body.get("has_more") else None
        if not token:
            break
        expected.append(token)
    observations.append(f"{total} job(s) exist; with limit={limit} that is {len(expected) + 1} page(s)")
    reasons: list[str] = []
    if total < min_jobs:
        reasons.append(
            f"only {total} job(s) exist; create at least {min_jobs} so that the list spans several pages"
        )
    if not expected:
        reasons.append(f"with limit={limit} everything fits on one page: list with a smaller limit (2 or 3)")
    sent = {_query(e).get("page_token") for e in lists}
    missing = [t for t in expected if t not in sent]
    if expected and missing:
        reasons.append(
            f"you read {len(expected) + 1 - len(missing)} of {len(expected) + 1} pages: follow next_page_token "
            "until has_more is false"
        )
    return verdict(reasons, observations)


_CHUNK_PATH = re.compile(r"^/api/2\.0/sql/statements/([^/]+)/result/chunks/(\d+)$")
_STATEMENT_PATH = re.compile(r"^/api/2\.0/sql/statements/([^/]+)$")


@lab_check(
    "dp-statement-chunks",
    api="dataplatform",
    summary="a statement submitted asynchronously, polled to SUCCEEDED, and every result chunk read",
    params=("min_rows",),
)
def statement_chunks(client: LabClient, params: Mapping[str, Any]) -> LabResult:
    min_rows = int(params.get("min_rows", 1))
    journal = client.journal()
    submits = [e for e in journal if e.get("method") == "POST" and e.get("path") == "/api/2.0/sql/statements"]
    observations = [f"{len(submits)} statement(s) submitted"]
    if not submits:
        return verdict(["no POST /api/2.0/sql/statements in the journal: submit the statement"], observations)
    polled: dict[str, int] = {}
    chunks: dict[str, set[int]] = {}
    for e in journal:
        if e.get("method") != "GET" or e.get("status") != 200:
            continue
        path = str(e.get("path", ""))
        if m := _STATEMENT_PATH.match(path):
            polled[m.group(1)] = polled.get(m.group(1), 0) + 1
        elif m := _CHUNK_PATH.match(path):
            chunks.setdefault(m.group(1), set()).add(int(m.group(2)))
    best: list[str] | None = None
    for statement_id in polled:
        body = client.json("GET", f"/api/2.0/sql/statements/{statement_id}")
        manifest = body.get("manifest") or {}
        state = (body.get("status") or {}).get("state")
        rows, total = int(manifest.get("total_row_count") or 0), int(manifest.get("total_chunk_count") or 0)
        read = {0} | chunks.get(statement_id, set())  # chunk 0 comes inline with the statement
        observations.append(
            f"statement {statement_id}: {state}, {rows} rows in {total} chunk(s), polled {polled[statement_id]}x, "
            f"read chunks {sorted(read)}"
        )
        problems: list[str] = []
        if state not in ("SUCCEEDED", "CLOSED"):
            problems.append(f"statement {statement_id} is {state}: poll until SUCCEEDED")
        if rows < min_rows:
            problems.append(
                f"statement {statement_id} returned {rows} rows; the lab's query returns at least {min_rows}"
            )
        unread = [i for i in range(total) if i not in read]
        if unread:
            problems.append(
                f"you read {total - len(unread)} of {total} chunks of statement {statement_id}: follow "
                "next_chunk_index to the last chunk"
            )
        if best is None or len(problems) < len(best):
            best = problems
    if best is None:
        return verdict(
            ["the journal shows no GET /api/2.0/sql/statements/{id}: submit with wait_timeout=0s and poll"],
            observations,
        )
    return verdict(best, observations)

"""Payments mock throughput and p99 latency, as ratios against a bare FastAPI + uvicorn route.

Run: ``python benchmarks/bench_mock.py [--seconds 5] [--connections 10]``. Needs ``wrk``
(``apt-get install wrk``). Both servers run in this process, one at a time, on 127.0.0.1, and are measured
by the same wrk settings in the same run:

* ``GET /v1/customers/{id}`` on the mock vs ``GET /bare`` returning a fixed JSON body;
* ``POST /v1/customers`` with a **unique** ``Idempotency-Key`` per request (a wrk Lua script), so every
  request executes and stores its idempotency record (the expensive path, not replays), vs ``POST /bare``.

Target: the mock's GET at 0.5x or more of the baseline's requests per second.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock
from fastapi import FastAPI

from api_trainer.mock import BackgroundServer

KEY = "sk_test_bench_0001"

POST_SCRIPT = """
counter = 0
math.randomseed(os.time())
local prefix = tostring(math.random(1, 1000000000))
request = function()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["Authorization"] = "Bearer %s"
  headers["Idempotency-Key"] = "bench-" .. prefix .. "-" .. counter
  return wrk.format("POST", "%s", headers, "email=bench%%40example.com&metadata[run]=1")
end
"""


def bare_app() -> FastAPI:
    app = FastAPI()
    body = {"id": "cus_fixed", "object": "customer", "email": "bench@example.com", "metadata": {}}

    @app.get("/bare")
    def get_bare() -> dict[str, Any]:
        return body

    @app.post("/bare")
    def post_bare() -> dict[str, Any]:
        return body

    return app


class PlainServer:
    """Bare uvicorn in a thread, exactly as ``uvicorn.run`` would configure it (the baseline)."""

    def __init__(self, app: FastAPI) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        ready = threading.Event()
        for _ in range(1500):
            if self.server.started:
                break
            ready.wait(0.01)
        sock = self.server.servers[0].sockets[0]
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> tuple[float, float]:
    """Requests per second and p99 latency in ms."""
    args = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Authorization: Bearer {KEY}",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        if script is not None:
            path = Path(tmp) / "post.lua"
            path.write_text(script)
            args += ["-s", str(path)]
        out = subprocess.run(
            [*args, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx answers from {url}", file=sys.stderr)
    return rps, p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: install it (Debian/Ubuntu: apt-get install -y wrk) and run again.",
            file=sys.stderr,
        )
        return 2
    seconds, conns = options.seconds, options.connections
    runs: dict[str, list[tuple[float, float]]] = {}
    mock = PaymentsMock(PaymentsConfig())
    # Both servers run at once and are measured in alternating rounds (median of each), so load from
    # other processes on the machine falls on both sides of each ratio alike.
    with PlainServer(bare_app()) as bare, BackgroundServer(mock.app).running() as server:
        customer = httpx.post(
            server.base_url + "/v1/customers", data={"email": "b@example.com"}, auth=(KEY, "")
        ).json()["id"]
        targets = {
            "bare GET": (bare + "/bare", None),
            "mock GET": (f"{server.base_url}/v1/customers/{customer}", None),
            "bare POST": (bare + "/bare", POST_SCRIPT % (KEY, "/bare")),
            "mock POST": (server.base_url, POST_SCRIPT % (KEY, "/v1/customers")),
        }
        for url, script in targets.values():
            wrk(url, 1, conns, script)  # warm-up
        for _ in range(options.rounds):
            for name, (url, script) in targets.items():
                runs.setdefault(name, []).append(wrk(url, seconds, conns, script))
        created = mock.runtime.store.count(KEY, "customer")
    results = {
        name: (statistics.median(r for r, _ in got), statistics.median(p for _, p in got))
        for name, got in runs.items()
    }
    print(
        f"wrk -t1 -c{conns} -d{seconds}s, median of {options.rounds} alternating rounds, same run "
        "(POST: a unique Idempotency-Key per request)"
    )
    print(f"{'':38} {'req/s':>9} {'p99 ms':>8}")
    for name, (rps, p99) in results.items():
        print(f"{name:38} {rps:9.0f} {p99:8.2f}")
    for verb, label in (("GET", "GET /v1/customers/{id}"), ("POST", "POST /v1/customers (new key each)")):
        rps, p99 = results[f"mock {verb}"]
        base_rps, base_p99 = results[f"bare {verb}"]
        print(f"ratio {label:32} throughput {rps / base_rps:.2f}x of bare, p99 {p99 / base_p99:.2f}x of bare")
    get_ratio = results["mock GET"][0] / results["bare GET"][0]
    print(
        f"target GET >= 0.5x: {'met' if get_ratio >= 0.5 else 'NOT met'} ({get_ratio:.2f}x); "
        f"{created - 1} customers created by the POST run"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

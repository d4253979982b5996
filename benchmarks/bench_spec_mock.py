"""GET throughput of ``api-trainer mock FILE`` against Prism on the same spec, both measured by wrk in one run.

Run: ``python benchmarks/bench_spec_mock.py [--seconds 5] [--rounds 3] [--prism PATH]``. Needs ``wrk``
(``apt-get install wrk``); Prism is ``npm install @stoplight/prism-cli`` anywhere outside the repository,
found through ``--prism``, ``$PRISM``, ``prism`` on PATH or ``/work/tools/node_modules/.bin/prism``; without it
the script prints one line and measures the spec mock alone.

Both serve the bundled payments spec (``payments@2023-08-16``) from its file, started as their users start
them (``api-trainer mock FILE``, ``prism mock FILE``), and answer ``GET /v1/customers/{id}`` with
``wrk -t1 -c16``: the spec mock reads a customer created beforehand from its store (stateful), Prism renders
its static example (stateless). Rounds alternate between the two (median of each), so load from other
processes falls on both sides of the ratio alike. Goal: at least 10 times Prism's requests per second.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from bench_mock import KEY, wrk  # the same wrk settings and parsing as the payments benchmark

from api_trainer.specs import find_bundled

LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_prism(given: str | None) -> str | None:
    for candidate in (
        given,
        os.environ.get("PRISM"),
        shutil.which("prism"),
        "/work/tools/node_modules/.bin/prism",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@contextmanager
def spec_mock(spec: Path) -> Iterator[str]:
    script = Path(sys.executable).with_name("api-trainer")
    command = [str(script) if script.exists() else "api-trainer", "mock", str(spec), "--port", "0", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    try:
        for _ in range(20):  # bounded: the banner is the first lines
            found = LISTENING.search(process.stdout.readline())
            if found:
                threading.Thread(target=process.stdout.read, daemon=True).start()
                yield found.group(1)
                break
        else:
            raise SystemExit("api-trainer mock printed no banner")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


@contextmanager
def prism_mock(prism: str, spec: Path) -> Iterator[str]:
    port = free_port()
    command = [prism, "mock", str(spec), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # bounded: Prism takes a few seconds to start under node
            try:
                httpx.get(url + "/v1/customers", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("prism did not start within 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--prism", help="path to the prism executable")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: install it (Debian/Ubuntu: apt-get install -y wrk) and run again.")
        return 2
    spec = find_bundled("payments@2023-08-16").path
    prism = find_prism(options.prism)
    seconds, conns = options.seconds, options.connections
    runs: dict[str, list[tuple[float, float]]] = {}
    with spec_mock(spec) as mock_url:
        auth = {"Authorization": f"Bearer {KEY}"}
        created = httpx.post(mock_url + "/v1/customers", data={"email": "bench@example.com"}, headers=auth)
        created.raise_for_status()
        targets = {"api-trainer mock FILE": f"{mock_url}/v1/customers/{created.json()['id']}"}
        if prism is None:
            print(
                "prism not found (npm install @stoplight/prism-cli; --prism PATH): measuring the spec mock alone"
            )
            measure(targets, runs, seconds, conns, options.rounds)
        else:
            with prism_mock(prism, spec) as prism_url:
                targets["prism mock FILE"] = f"{prism_url}/v1/customers/cus_bench"
                for name, url in targets.items():
                    status = httpx.get(url, headers=auth, timeout=10).status_code
                    print(f"{name}: GET {url} -> {status}")
                measure(targets, runs, seconds, conns, options.rounds)
    results = {
        name: (statistics.median(r for r, _ in got), statistics.median(p for _, p in got))
        for name, got in runs.items()
    }
    print(
        f"wrk -t1 -c{conns} -d{seconds}s GET /v1/customers/{{id}}, median of {options.rounds} alternating rounds"
    )
    print(f"{'':24} {'req/s':>9} {'p99 ms':>9}")
    for name, (rps, p99) in results.items():
        print(f"{name:24} {rps:9.0f} {p99:9.2f}")
    if "prism mock FILE" in results:
        ratio = results["api-trainer mock FILE"][0] / results["prism mock FILE"][0]
        verdict = "met" if ratio >= 10 else "NOT met"
        print(f"ratio: api-trainer mock FILE at {ratio:.1f}x Prism's requests/s (goal >= 10x: {verdict})")
    return 0


def measure(
    targets: dict[str, str], runs: dict[str, list[tuple[float, float]]], seconds: int, conns: int, rounds: int
) -> None:
    for url in targets.values():
        wrk(url, 1, conns)  # warm-up
    for _ in range(rounds):
        for name, url in targets.items():
            runs.setdefault(name, []).append(wrk(url, seconds, conns))


if __name__ == "__main__":
    sys.exit(main())

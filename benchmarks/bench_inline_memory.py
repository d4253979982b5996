"""Peak memory of the data-platform mock answering a 10-million-row INLINE statement, against its idle memory.

The mock runs as its own process (``api-trainer mock dataplatform``), so its resident memory is the server's
alone. The baseline is the same process idle after a one-row statement; the peak is the kernel's high-water
mark (``VmHWM``, reset through ``/proc/<pid>/clear_refs`` before the big statement). The figure is the peak's
growth over idle as a multiple of the INLINE limit (25 MiB): the mock reads rows in chunks and gives up once the
limit is passed, so the growth should stay a small multiple of the limit however large the result.

Linux only (``/proc``). Run: ``python benchmarks/bench_inline_memory.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
from api_trainer.mock_servers.dataplatform.statements import INLINE_BYTE_LIMIT
from api_trainer.mock_servers.dataplatform.warehouses import DEFAULT_WAREHOUSE_ID

HEADERS = {"Authorization": "Bearer dapi-bench"}
_LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


def _kib(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
    if found is None:
        raise SystemExit(f"/proc/{pid}/status has no {field}")
    return int(found.group(1))


def _start() -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-c",
        "from api_trainer.cli import main; main()",
        "mock",
        "dataplatform",
        "--port",
        "0",
        "--quiet",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        found = _LISTENING.search(line)
        if found:
            return process, f"http://127.0.0.1:{found.group(1)}"
    raise SystemExit(f"the mock did not start (exit {process.wait()})")


def _execute(base: str, sql: str) -> dict[str, object]:
    body = {"statement": sql, "warehouse_id": DEFAULT_WAREHOUSE_ID, "wait_timeout": "50s"}
    answer = httpx.post(f"{base}/api/2.0/sql/statements", json=body, headers=HEADERS, timeout=120)
    return dict(answer.json()["status"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    if not Path("/proc/self/clear_refs").exists():
        print("skipped: needs Linux /proc to read a process's peak memory")
        return
    process, base = _start()
    try:
        _execute(base, "SELECT 1")
        idle = _kib(process.pid, "VmRSS")
        Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        sql = f"SELECT range AS id, 'row-' || range::VARCHAR AS label, range * 0.5 AS half FROM range({args.rows})"
        started = time.perf_counter()
        status = _execute(base, sql)
        seconds = time.perf_counter() - started
        peak = _kib(process.pid, "VmHWM")
    finally:
        process.terminate()
        process.wait(timeout=10)
    limit_kib = INLINE_BYTE_LIMIT // 1024
    print(f"{args.rows:,}-row INLINE statement: {status.get('state')} in {seconds:.1f} s")
    print(f"  {str(status.get('error', {}))[:120]}")
    print(
        f"  idle RSS {idle / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB, INLINE limit {limit_kib / 1024:.0f} MiB"
    )
    print(
        f"  peak growth over idle = {(peak - idle) / limit_kib:.2f} x the INLINE limit (target: at most 10 x)"
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()

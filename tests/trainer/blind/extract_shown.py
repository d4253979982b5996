"""Write the learner-visible text of chosen scenarios (what `train` shows before an answer), nothing else."""

import random
import tomllib
from pathlib import Path

ROOT = Path("/work/main/scenarios")
CHOSEN = [
    "lab-statement-chunks",
    "report-export-job-design",
    "status-200-but-failed",
    "tight-polling",
    "diff-gate-design",
    "enum-value-added",
    "new-response-field",
    "backfill-rerun-duplicates",
    "warehouse-export-design",
    "statement-parameters",
    "error-shape-design",
    "stable-error-codes",
    "bulk-partial-failure",
    "peak-event-capacity",
    "nightly-sync-request-budget",
    "idempotency-key-storage",
    "retry-without-key",
    "payouts-idempotency-design",
    "concurrent-same-key",
    "replayed-500-new-key",
    "audit-log-list-design",
    "short-page-not-end",
    "stripe-starting-after",
    "per-tenant-limits-design",
    "retry-storm-jitter",
    "quota-429-not-503",
    "lab-rate-limit-vs-lock-timeout",
    "payments-10k-tps-design",
    "latency-slo-percentile",
    "client-timeout-below-p99",
    "sql-cohort-retention",
    "sql-read-what-it-measures",
    "sql-funnel-conversion",
    "beta-channel-design",
    "pin-account-version",
    "sunset-with-signals",
    "duplicate-fulfilment",
    "out-of-order-events",
    "signature-raw-body",
    "delivery-retry-design",
]
AUD = {"pm": "a product manager", "executive": "an executive", "developer": "a developer"}


def visible(path: Path) -> str:
    d = tomllib.loads(path.read_text())
    opts = list(d["decision"]["options"])
    random.Random(d["id"]).shuffle(opts)
    out = [
        f"SCENARIO {d['id']}  ({d['kind']} question, topic: {d['topic']}, companies: {', '.join(d['companies'])})",
        f"TITLE: {d['title']}",
        "",
        "SITUATION:",
        d["situation"].strip(),
        "",
    ]
    if d.get("snippet", "").strip():
        out += ["SNIPPET:", d["snippet"].rstrip(), ""]
    out += ["QUESTION: " + d["decision"]["question"], "OPTIONS (shown to the learner in this order):"]
    for i, o in enumerate(opts, 1):
        out.append(f"  {i}. [{o['id']}] {o['text']}")
    ex = d["explain"]
    out += ["", f"EXPLAIN (audience: {AUD[ex['audience']]}): {ex['prompt']}"]
    if "lab" in d:
        out += ["", "LAB GOAL (the learner may also run a live lab): " + d["lab"]["goal"].strip()]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> None:
    """`extract_shown.py [DEST PREFIX WRITERS SEED ID...]`: no arguments writes round 1 as it was written."""
    dest_root, prefix, writers, seed = "/work/blind/visible", "w", 4, 7
    chosen = CHOSEN[:]
    if argv:
        dest_root, prefix, writers, seed = argv[0], argv[1], int(argv[2]), int(argv[3])
        chosen = argv[4:]
    paths = {p.stem: p for p in ROOT.rglob("*.toml")}
    order = chosen[:]
    random.Random(seed).shuffle(order)
    for w in range(writers):
        dest = Path(dest_root) / f"{prefix}{w + 1}"
        dest.mkdir(parents=True, exist_ok=True)
        for sid in order[w::writers]:
            (dest / f"{sid}.txt").write_text(visible(paths[sid]))
    print(len(chosen), len(set(chosen)))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])

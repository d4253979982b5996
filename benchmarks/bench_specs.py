"""Load + resolve + validate time for the real Stripe specs, as a ratio against ``json.loads`` of the same file.

Run: ``python benchmarks/bench_specs.py [CORPUS_DIR]`` (default: ../shared/corpus/stripe beside the repo).
Both the baseline and the measured path run in this process, on the same file, one after the other; each is
the best of ``--repeat`` runs. For the YAML corpus file the baseline is ``json.loads`` of the same document
serialised as JSON (a JSON parser cannot read YAML); that makes its ratio include YAML's slower parse.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api_trainer.specs import load_spec, validate_reference

HERE = Path(__file__).resolve().parent


def best_of(repeat: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def resolve_every_ref(reference: str) -> int:
    """Load, then follow every $ref in the document once (what the diff and the mock do lazily)."""
    spec = load_spec(reference)
    count = 0
    stack: list[Any] = [spec.document]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if spec.ref_of(node) is not None:
                spec.deref(node)
                count += 1
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus" / "stripe"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    files = sorted(Path(args.corpus).glob("spec3-*"))
    if not files:
        raise SystemExit(f"no spec3-* files in {args.corpus}")
    print(
        f"{'file':40} {'json.loads':>10} {'load':>8} {'+resolve':>9} {'validate':>9} {'total':>8} {'ratio':>7}"
    )
    for file in files:
        text = file.read_text()
        json_text = text if file.suffix == ".json" else json.dumps(load_spec(str(file)).document)
        baseline = best_of(args.repeat, lambda t=json_text: json.loads(t))  # type: ignore[misc]
        load = best_of(args.repeat, lambda f=file: load_spec(str(f)))  # type: ignore[misc]
        resolve = best_of(args.repeat, lambda f=file: resolve_every_ref(str(f))) - load  # type: ignore[misc]
        validate = best_of(args.repeat, lambda f=file: validate_reference(str(f))) - load  # type: ignore[misc]
        total = load + resolve + validate
        print(
            f"{file.name:40} {baseline:9.3f}s {load:7.3f}s {resolve:8.3f}s {validate:8.3f}s {total:7.2f}s "
            f"{total / baseline:6.0f}x"
        )


if __name__ == "__main__":
    main()

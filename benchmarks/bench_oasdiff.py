"""Score ``api-trainer diff`` against the verdicts oasdiff's own checker tests assert.

oasdiff (https://github.com/oasdiff/oasdiff, Apache-2.0) tests each check on pairs of small specs in its
``data/`` folder. ``--derive`` reads those Go tests from a local copy of the repository and writes
``oasdiff_verdicts.json`` beside this script: per test, the file pair, the rule ids and levels it asserts,
whether the assertion is complete, and the deprecation period it configures (file names and verdicts only;
see ``_oasdiff_tests.py`` for what is kept and what is skipped). The default run diffs every pair of that
table, read from the local copy, and prints:

- breaking agreement: tests whose breaking verdict (a change at oasdiff's error level, or none) is ours;
  oasdiff 3.0 and 3.1 pairs apart (by the base file's ``openapi`` field). A test that runs one oasdiff check
  (``singleCheckConfig``) sees only that check's part of the spec, so it is scored on our findings of the
  matching area (a ``RequestParameter...`` check on parameter findings, ``Response...`` on responses, ...);
- crashes: pairs where loading or diffing raised anything but a clean spec error;
- documented differences: disagreements listed on purpose in docs/diff-vs-oasdiff.md (by Go test name).

The local copy is a checkout or a bare git directory (``fetch github:oasdiff/oasdiff`` gives one), named
by ``--oasdiff PATH`` or ``OASDIFF_REPO``; without one the script says so in one line and exits 0.

Run: ``python benchmarks/bench_oasdiff.py [--oasdiff PATH] [--derive] [--show N]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _oasdiff_tests import derive

from api_trainer.diff import Level, Policy, check_readable, find_changes, rule
from api_trainer.errors import ApiTrainerError
from api_trainer.specs import load_spec

HERE = Path(__file__).resolve().parent
TABLE = HERE / "oasdiff_verdicts.json"
DOC = HERE.parent / "docs" / "diff-vs-oasdiff.md"
#: Sunsets are judged against the day of the run, as oasdiff's tests do (their dates are far past or future).
TODAY = date.today()


@contextmanager
def _checkout(path: Path) -> Iterator[Path]:
    """A directory with ``checker/`` and ``data/``: the path itself, or an export of a bare git copy."""
    if (path / "checker").is_dir() and (path / "data").is_dir():
        yield path
        return
    archive = subprocess.run(
        ["git", f"--git-dir={path}", "archive", "HEAD", "checker", "data"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryDirectory(prefix="oasdiff-") as tmp:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


def _documented() -> dict[str, str]:
    """Go test name -> the change it shows, from the differences table in docs/diff-vs-oasdiff.md."""
    documented: dict[str, str] = {}
    if not DOC.is_file():
        return documented
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[-1].startswith("`Test"):
            for test in re.findall(r"`(Test\w+)`", cells[-1]):
                documented[test] = cells[0]
    return documented


@dataclass
class Outcome:
    entry: dict[str, Any]
    ours: bool | None  # None: crashed
    refused: str | None = None
    error: str | None = None
    ids: tuple[str, ...] = ()


#: oasdiff check name fragments -> the areas of our catalogue the check looks at (first match wins).
_CHECK_AREAS = (
    ("NewRequiredRequestHeaderProperty", {"parameters"}),
    ("RequestHeaderProperty", {"parameters"}),
    ("RequestParameter", {"parameters"}),
    ("NewRequestNonPath", {"parameters"}),
    ("RequestPathParameter", {"parameters"}),
    ("Request", {"request-body"}),
    ("Response", {"responses"}),
    ("Security", {"security"}),
    ("Webhook", {"webhooks"}),
    ("API", {"paths"}),
)


def _areas(check: str | None) -> set[str] | None:
    if check is None:
        return None
    return next((areas for fragment, areas in _CHECK_AREAS if fragment in check), None)


def _policy(entry: dict[str, Any]) -> Policy:
    days = entry.get("deprecation_days") or [0, 0]
    return Policy(deprecation_days_beta=days[0], deprecation_days_stable=days[1], today=TODAY)


def _score(repo: Path, entry: dict[str, Any]) -> Outcome:
    try:
        old, new = load_spec(str(repo / entry["base"])), load_spec(str(repo / entry["revision"]))
        check_readable(old)  # what the command does before comparing
        check_readable(new)
        report = find_changes(old, new, policy=_policy(entry))
    except ApiTrainerError as exc:  # a spec we refuse, cleanly: counted as "breaking" (exit 2 fails CI)
        return Outcome(entry, True, refused=str(exc))
    except Exception as exc:
        return Outcome(entry, None, error=f"{type(exc).__name__}: {exc}")
    areas = _areas(entry.get("single_check"))
    breaking = [f for f in report.at_or_above(Level.BREAKING) if areas is None or rule(f.id).area in areas]
    return Outcome(entry, bool(breaking), ids=tuple(sorted({f.id for f in breaking})))


def _openapi(repo: Path, file: str) -> str:
    head = (repo / file).read_text(encoding="utf-8", errors="replace")[:4000]
    match = re.search(r"""^\s*"?openapi"?\s*:\s*["']?(3\.\d)""", head, re.M)
    return match.group(1) if match else "3.0"


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--oasdiff", default=os.environ.get("OASDIFF_REPO"), help="oasdiff checkout or git dir"
    )
    parser.add_argument("--derive", action="store_true", help="(re)write the verdict table from the copy")
    parser.add_argument("--show", type=int, default=0, help="print up to N disagreements")
    args = parser.parse_args()
    if not args.oasdiff or not Path(args.oasdiff).exists():
        print("skipped: no local copy of oasdiff (pass --oasdiff PATH or set OASDIFF_REPO)")
        return 0
    with _checkout(Path(args.oasdiff)) as repo:
        if args.derive:
            verdicts, skipped = derive(repo)
            TABLE.write_text(json.dumps([v.as_json() for v in verdicts], indent=1) + "\n", encoding="utf-8")
            print(f"wrote {len(verdicts)} verdicts to {TABLE.name}; skipped {sum(skipped.values())} tests:")
            for reason, count in sorted(skipped.items(), key=lambda item: -item[1]):
                print(f"  {count:4d}  {reason}")
        table = json.loads(TABLE.read_text(encoding="utf-8"))
        decided = [e for e in table if e["breaking"] is not None]
        documented = _documented()
        outcomes = [_score(repo, e) for e in decided]
        versions = {e["test"]: _openapi(repo, e["base"]) for e in decided}
    crashes = [o for o in outcomes if o.ours is None]
    agree = [o for o in outcomes if o.ours == o.entry["breaking"]]
    differ = [o for o in outcomes if o.ours is not None and o.ours != o.entry["breaking"]]
    listed = [o for o in differ if o.entry["test"] in documented]
    pairs = {(e["base"], e["revision"]) for e in decided}
    print(f"{len(decided)} oasdiff checker tests with a breaking verdict, over {len(pairs)} file pairs")
    print(f"breaking agreement: {_percent(len(agree), len(outcomes))}")
    for version in ("3.0", "3.1"):
        mine = [o for o in outcomes if versions[o.entry["test"]] == version]
        print(f"  OpenAPI {version}: {_percent(sum(o.ours == o.entry['breaking'] for o in mine), len(mine))}")
    listed_pairs = {(o.entry["base"], o.entry["revision"]) for o in listed}
    print(
        f"documented differences (docs/diff-vs-oasdiff.md): {_percent(len(listed), len(outcomes))} of the "
        f"tests, {_percent(len(listed_pairs), len(pairs))} of the pairs"
    )
    print(f"crashes: {len(crashes)}; refused as invalid: {sum(o.refused is not None for o in outcomes)}")
    for outcome in (crashes + [o for o in differ if o not in listed])[: args.show]:
        entry = outcome.entry
        said = "crash" if outcome.ours is None else ("breaking" if outcome.ours else "not breaking")
        print(
            f"- {entry['test']}: oasdiff {'breaking' if entry['breaking'] else 'not breaking'} "
            f"{entry.get('changes', [])}, ours {said} {list(outcome.ids)} "
            f"{outcome.error or outcome.refused or ''}\n    {entry['base']} -> {entry['revision']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

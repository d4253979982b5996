"""Regenerate the README's examples from the real commands, so the README shows what the program prints.

Each example lives in README.md between ``<!-- example: NAME -->`` and ``<!-- /example -->``; only those
blocks are rewritten, everything around them stays hand-written. The commands run as a user runs them
(the installed ``api-trainer``, output to a pipe, ``COLUMNS=80``), from a scratch folder, and what changes
from run to run is normalised: the mock's port (it runs on a free one) is shown as its default 12111 and the
command is shown without the ``--base-url`` that pointed at it; object and request ids, ``created`` times
and invoice prefixes become fixed placeholders of the same length (so tables keep their layout).

Run ``python scripts/readme_examples.py`` to rewrite README.md (atomically), or with ``--check`` to exit 1
and print a diff when it is out of date (``tests/cli/test_readme_examples.py`` does that in CI).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
DEFAULT_PORT = 12111
TIMEOUT = 120.0
ANSWER_SCENARIO = "retry-without-key"


@dataclass(frozen=True)
class Example:
    name: str
    commands: tuple[tuple[str, ...], ...]  # each shown as "$ api-trainer ARGS"
    needs_mock: bool = False


EXAMPLES = (
    Example("help", (("--help",),)),
    Example("specs-list", (("specs", "list"),)),
    Example(
        "diff",
        (("diff", "payments@2020-08-27", "payments@2022-11-15", "--include-path", "^/v1/payment_intents$"),),
    ),
    Example("grade-json", (("grade", ANSWER_SCENARIO, "--answer-file", "answer.txt", "--format", "json"),)),
    Example(
        "probe",
        (
            (
                "probe",
                "POST",
                "/v1/customers",
                "-d",
                "email=jenny@example.com",
                "--idempotency-key",
                "order-6736",
                "--fault",
                "drop-after-commit",
            ),
            (
                "probe",
                "POST",
                "/v1/customers",
                "-d",
                "email=jenny@example.com",
                "--fault",
                "drop-after-commit",
            ),
        ),
        needs_mock=True,
    ),
)

_ID = re.compile(
    r"\b(?P<prefix>cus|pi|pm|ch|re|req|evt|we|txn|seti|in|prod|price|src|card)_(?P<rest>[A-Za-z0-9]{8,})\b"
)
_FIXED = (
    (re.compile(r"127\.0\.0\.1:\d+"), f"127.0.0.1:{DEFAULT_PORT}"),
    (re.compile(r'"created": \d+'), '"created": 1700000000'),
    (re.compile(r'"invoice_prefix": "[A-Z0-9]+"'), '"invoice_prefix": "A1B2C3D4"'),
)


def normalise(text: str) -> str:
    """Run-dependent values as fixed placeholders; each distinct id keeps its prefix and length."""
    seen: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        whole, rest = match.group(0), match["rest"]
        if whole not in seen:
            seen[whole] = f"{match['prefix']}_{str(len(seen) + 1).rjust(len(rest), '0')}"
        return seen[whole]

    text = _ID.sub(placeholder, text)
    for pattern, replacement in _FIXED:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def _environment(scratch: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COLUMNS": "80",
        "LINES": "40",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "API_TRAINER_DB": str(scratch / "progress.sqlite3"),
    }


def _cli() -> str:
    beside = Path(sys.executable).with_name("api-trainer")
    found = str(beside) if beside.exists() else shutil.which("api-trainer")
    if found is None:
        raise SystemExit("api-trainer is not installed in this environment (pip install -e .)")
    return found


@contextmanager
def running_mock(cli: str, scratch: Path) -> Iterator[str]:
    """``api-trainer mock payments`` on a free port; yields its base URL once it printed its banner."""
    process = subprocess.Popen(
        [cli, "mock", "payments", "--port", "0", "--quiet"],
        cwd=scratch,
        env=_environment(scratch),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    watchdog = threading.Timer(TIMEOUT, process.kill)  # a mock that never says it listens is killed
    watchdog.start()
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", banner)
        if found is None:
            raise SystemExit(f"the payments mock did not start: {banner.strip()}")
        yield found.group(1)
    finally:
        watchdog.cancel()
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _run(cli: str, args: tuple[str, ...], scratch: Path) -> str:
    done = subprocess.run(
        [cli, *args],
        cwd=scratch,
        env=_environment(scratch),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return done.stdout + done.stderr


def generate() -> dict[str, str]:
    """Every example's block text (a ``console`` fence with its commands and their normalised output)."""
    from api_trainer.trainer import find_scenario

    cli = _cli()
    blocks: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        strong = next(c for c in find_scenario(ANSWER_SCENARIO).calibration if c.label == "strong")
        (scratch / "answer.txt").write_text(strong.answer, encoding="utf-8")
        for example in EXAMPLES:
            with running_mock(cli, scratch) if example.needs_mock else _no_mock() as base_url:
                extra = ("--base-url", base_url) if base_url is not None else ()
                parts = []
                for args in example.commands:
                    output = _run(cli, (*args, *extra), scratch)
                    parts.append(f"$ api-trainer {shlex.join(args)}\n{output.rstrip()}")
            # One normalisation over the whole block: a second object keeps a placeholder of its own.
            blocks[example.name] = "```console\n" + normalise("\n\n".join(parts)) + "\n```"
    return blocks


@contextmanager
def _no_mock() -> Iterator[None]:
    yield None


def _marker(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- example: {re.escape(name)} -->\n)(.*?)(\n<!-- /example -->)",
        re.DOTALL,
    )


def update(readme: str, blocks: dict[str, str]) -> str:
    """``readme`` with each marked block replaced by its new text; a missing marker is an error."""
    for name, block in blocks.items():
        found = _marker(name).search(readme)
        if found is None:
            raise SystemExit(f"README.md has no <!-- example: {name} --> ... <!-- /example --> block")
        readme = readme[: found.start(2)] + block + readme[found.end(2) :]
    return readme


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 with a diff when README.md is out of date"
    )
    parser.add_argument("--readme", type=Path, default=README, help="the README to update or check")
    args = parser.parse_args()
    current = args.readme.read_text(encoding="utf-8")
    fresh = update(current, generate())
    if args.check:
        if fresh == current:
            print(f"{args.readme}: examples up to date")
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(keepends=True), fresh.splitlines(keepends=True), "README.md", "fresh run"
            )
        )
        print(f"{args.readme}: examples out of date; run: python scripts/readme_examples.py")
        return 1
    if fresh != current:
        temporary = args.readme.with_name(f".{args.readme.name}.tmp")
        temporary.write_text(fresh, encoding="utf-8")
        os.replace(temporary, args.readme)
    print(f"{args.readme}: examples {'rewritten' if fresh != current else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

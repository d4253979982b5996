"""Spec references into git history: ``git:REV:PATH`` reads PATH as it was at REV in the current repository.

PATH is relative to the current directory, as in ``git show REV:./PATH``. The text is parsed like a file
(YAML, or JSON for ``.json``); relative file ``$ref``s inside it resolve against the working tree.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import SpecReadError, SpecRefusedError
from ._documents import DEFAULT_LIMITS

PREFIX = "git:"
_TIMEOUT_SECONDS = 60


def is_git_reference(reference: str) -> bool:
    return reference.startswith(PREFIX)


def _git(args: list[str], shown: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], capture_output=True, timeout=_TIMEOUT_SECONDS, check=False)
    except FileNotFoundError as exc:
        raise SpecReadError("git is not installed, so git: references cannot be read", file=shown) from exc
    except subprocess.TimeoutExpired as exc:
        raise SpecReadError(f"git {args[0]} took longer than {_TIMEOUT_SECONDS}s", file=shown) from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or ["git failed"]
        raise SpecReadError(lines[-1].removeprefix("fatal: "), file=shown)
    return done.stdout


def read_git_reference(reference: str) -> tuple[Path, str]:
    """The working-tree path PATH stands for, and its text at REV."""
    revision, separator, path = reference.removeprefix(PREFIX).partition(":")
    if not separator or not revision or not path:
        raise SpecReadError(
            "a git reference is git:REV:PATH, for example git:main:specs/api.yaml", file=reference
        )
    root = Path(_git(["rev-parse", "--show-toplevel"], reference).decode().strip())
    absolute = (Path.cwd() / path).resolve()
    try:
        relative = absolute.relative_to(root.resolve())
    except ValueError as exc:
        raise SpecReadError(f"{path} is outside the git repository at {root}", file=reference) from exc
    raw = _git(["show", f"{revision}:{relative.as_posix()}"], reference)
    if len(raw) > DEFAULT_LIMITS.max_bytes:
        raise SpecRefusedError(
            f"is {len(raw)} bytes, over the {DEFAULT_LIMITS.max_bytes}-byte limit", file=reference
        )
    try:
        return absolute, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecReadError(f"not UTF-8 text (byte {exc.start})", file=reference) from exc

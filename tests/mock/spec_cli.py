"""``api-trainer mock FILE`` run as a user runs it: a real process on a free port, read from its banner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..conftest import running_cli_mock

FIXTURES = Path(__file__).parent / "fixtures" / "public"


@contextmanager
def spec_mock(*args: str) -> Iterator[tuple[str, list[str]]]:
    """Start ``api-trainer mock ARGS --port 0``; yield its base URL and the banner lines; Ctrl-C it."""
    with running_cli_mock(*args, "--port", "0") as (url, banner, _):
        yield url, banner

"""api-trainer: become fluent in API contracts by mocking, diffing and explaining them."""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # The version is read from the installed metadata only when asked for: importlib.metadata costs a
    # noticeable part of a command's start-up (tests/cli/test_startup.py).
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("api-trainer")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
        return "0.0.0+unknown"

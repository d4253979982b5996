"""api-trainer: become fluent in API contracts by mocking, diffing and explaining them."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("api-trainer")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without installing
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]

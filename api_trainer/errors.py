"""The one exception tree of api-trainer.

Every error a user can cause is an ``ApiTrainerError``. Each class carries its exit code and the fields a
person needs to find the problem (file, JSON pointer, line). The CLI prints ``str(error)`` as one line and
exits with ``error.exit_code``; it shows a traceback only with ``--debug``.

Exit codes (documented in the README):

* 0: success.
* 1: the command ran and found what it looks for (an invalid spec under ``specs validate``, a breaking
  change, a failed grade, a calibration answer graded unlike its label).
* 2: input it cannot work on, or bad usage.

::

    ApiTrainerError                 exit 2
     ├── UsageError                 a bad option or argument value (a bad port, an unknown format)
     ├── SpecError                  anything wrong with a spec document, located by file/pointer/line
     │    ├── SpecReadError         missing, a directory, unreadable, empty
     │    ├── SpecParseError        not YAML or JSON
     │    ├── SpecRefusedError      past a size, depth or alias-expansion limit (a YAML bomb)
     │    ├── NotOpenAPIError       parses, but is not an OpenAPI 3.x document (Swagger 2.0 included)
     │    ├── SpecRefError          a $ref that does not resolve, or a remote $ref not allowed
     │    └── SpecInvalidError      violates the OpenAPI schema (commands other than ``specs validate``)
     ├── UnknownBundledSpecError    ``payments@1999-01-01``: the message lists what exists
     ├── ScenarioError              a scenario file or id the trainer cannot use
     ├── AnswerFileError            an answer file that cannot be read
 ├── ProgressStoreError         a progress database or export that cannot be opened or written
     ├── LabError                   a lab that cannot start or be checked
     └── ServerStartError           a mock that cannot start (port in use, bad host)
"""

from __future__ import annotations

__all__ = [
    "AnswerFileError",
    "ApiTrainerError",
    "LabError",
    "NotOpenAPIError",
    "ProgressStoreError",
    "ScenarioError",
    "ServerStartError",
    "SpecError",
    "SpecInvalidError",
    "SpecParseError",
    "SpecReadError",
    "SpecRefError",
    "SpecRefusedError",
    "UnknownBundledSpecError",
    "UsageError",
]

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_BAD_INPUT = 2


class ApiTrainerError(Exception):
    """Base of every error a user can cause. ``str()`` is the one line the CLI prints."""

    exit_code: int = EXIT_BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(ApiTrainerError):
    """A bad option or argument value."""


class SpecError(ApiTrainerError):
    """Something wrong with a spec document. Carries where: file, JSON pointer and line when known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.pointer = pointer
        self.line = line

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None and where:
            where = f"{where}:{self.line}"
        if self.pointer:
            where = f"{where} at {self.pointer}" if where else self.pointer
        return f"{where}: {self.message}" if where else self.message


class SpecReadError(SpecError):
    """The file is missing, a directory, unreadable or empty."""


class SpecParseError(SpecError):
    """The file is not valid YAML or JSON."""


class SpecRefusedError(SpecError):
    """The document is past a size, depth or alias-expansion limit and was refused without expanding it."""


class NotOpenAPIError(SpecError):
    """The document parses but is not an OpenAPI 3.0/3.1 document."""


class SpecRefError(SpecError):
    """A ``$ref`` that does not resolve, or a remote ``$ref`` that was not allowed."""


class SpecInvalidError(SpecError):
    """The document violates the OpenAPI schema (for commands that need a valid spec)."""


class UnknownBundledSpecError(ApiTrainerError):
    """A bundled id that does not exist. The message lists the ones that do."""


class ScenarioError(ApiTrainerError):
    """A scenario file or id the trainer cannot use."""


class AnswerFileError(ApiTrainerError):
    """An answer file that cannot be read or is empty."""


class ProgressStoreError(ApiTrainerError):
    """The trainer's progress database, or an export of it, cannot be opened or written."""


class LabError(ApiTrainerError):
    """A lab that cannot be started or checked."""


class ServerStartError(ApiTrainerError):
    """A mock server that cannot start, for example because its port is in use."""

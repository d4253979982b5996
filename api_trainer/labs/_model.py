"""The lab's value objects: what a check returns, and the handle it reads a running mock through."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..errors import AnswerFileError, LabError

__all__ = ["Check", "CheckFunction", "LabClient", "LabResult"]


@dataclass(frozen=True)
class LabResult:
    """A check's verdict. ``reasons`` say why not (empty when passed); ``observations`` what was seen."""

    passed: bool
    reasons: tuple[str, ...] = ()
    observations: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "reasons": list(self.reasons), "observations": list(self.observations)}


def verdict(reasons: list[str], observations: list[str]) -> LabResult:
    return LabResult(not reasons, tuple(reasons), tuple(observations))


@dataclass
class LabClient:
    """What a learner's own script has: the mock's base URL, a key, its public API and ``/_mock`` routes.

    ``answer_file`` is the learner's file for checks that read one (a SQL query, an edited spec, a short
    written answer). Every request is bounded by ``timeout``; a mock that does not answer is a ``LabError``.
    """

    base_url: str | None
    key: str | None = None
    answer_file: Path | None = None
    timeout: float = 30.0
    # The check's own requests use a key of their own and are left out of the journal it reads, so that
    # checking twice never counts the first check's requests as the learner's.
    exclude_own: bool = False
    _http: httpx.Client | None = field(default=None, repr=False)

    def _client(self) -> httpx.Client:
        if self.base_url is None:
            raise LabError("this lab needs a running mock: pass --base-url URL")
        if self._http is None:
            headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
            self._http = httpx.Client(
                base_url=self.base_url.rstrip("/"), headers=headers, timeout=self.timeout
            )
        return self._http

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client().request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise LabError(
                f"the mock at {self.base_url} is not reachable ({type(exc).__name__}: {exc})"
            ) from exc

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise LabError(
                f"{method} {path} on {self.base_url} answered {response.status_code}: {response.text[:200]}"
            )
        try:
            return response.json()
        except ValueError as exc:
            raise LabError(
                f"{method} {path} on {self.base_url} did not answer JSON; is this the right mock?"
            ) from exc

    def journal(self) -> list[dict[str, Any]]:
        """``GET /_mock/requests``: every API request the mock saw, oldest first."""
        body = self.json("GET", "/_mock/requests")
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise LabError(f"{self.base_url}/_mock/requests is not an api-trainer mock journal")
        own = self.key[-4:] if self.exclude_own and self.key else None
        return [e for e in data if isinstance(e, dict) and (own is None or e.get("api_key") != own)]

    def answer_text(self) -> str:
        if self.answer_file is None:
            raise AnswerFileError("this lab reads your answer: pass --answer-file FILE")
        try:
            text = self.answer_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AnswerFileError(
                f"--answer-file {self.answer_file}: cannot read it ({exc.__class__.__name__})"
            ) from exc
        if not text.strip():
            raise AnswerFileError(f"--answer-file {self.answer_file}: the file is empty")
        return text

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None


CheckFunction = Callable[[LabClient, Mapping[str, Any]], LabResult]


@dataclass(frozen=True)
class Check:
    """One named lab check: which mock it reads, the params it takes, and whether it needs an answer file."""

    name: str
    api: str
    summary: str
    run: CheckFunction
    params: tuple[str, ...] = ()
    needs_answer: bool = False
    needs_mock: bool = True

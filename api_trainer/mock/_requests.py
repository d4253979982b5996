"""Checking one request against its operation: credentials, parameters, the body in its media type, Prefer.

* **Security**: the declared credential must be present (an ``apiKey`` in its header, query or cookie; the
  ``Authorization`` scheme of ``http`` bearer/basic; a bearer token for ``oauth2``/``openIdConnect``). One
  satisfied alternative of the ``security`` list is enough; ``security: []`` opens an operation. Its value
  is not checked: this is a mock, not an identity provider.
* **Parameters**: path, query and header values are coerced from strings with
  :func:`~api_trainer.mock.validate_params` (unknown query parameters pass, as most servers let them).
* **Body**: the ``Content-Type`` must be one the operation declares (415 otherwise). JSON bodies are
  validated with openapi-schema-validator (the OpenAPI 3.0 or 3.1 dialect of the document); form bodies
  (urlencoded or multipart) are decoded with their brackets and coerced; other media types pass as bytes.
* **Prefer**: ``code=N``, ``example=NAME`` and ``dynamic=true``, as Prism spells them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from ..specs import Operation, Spec
from ._forms import FormError, parse_form, parse_json, parse_multipart
from ._validation import Problem, validate_params

__all__ = ["CheckedRequest", "OperationChecker", "Prefer", "RequestProblem", "parse_prefer"]


@dataclass(frozen=True)
class Prefer:
    code: int | None = None
    example: str | None = None
    dynamic: bool = False


def parse_prefer(header: str | None) -> Prefer:
    """``Prefer: code=404, example=cat, dynamic=true`` (commas or semicolons between preferences)."""
    if not header:
        return Prefer()
    values: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        key, sep, value = part.strip().partition("=")
        if sep:
            values[key.strip().lower()] = value.strip().strip('"')
    code = values.get("code")
    return Prefer(
        int(code) if code is not None and code.isdigit() else None,
        values.get("example"),
        values.get("dynamic", "").lower() == "true",
    )


@dataclass(frozen=True)
class RequestProblem(Exception):
    """Why a request is refused: 400 (parameters, body), 401 (credentials) or 415 (media type)."""

    status: int
    message: str
    param: str | None = None
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class CheckedRequest:
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any
    media_type: str | None
    raw_query: dict[str, Any] = field(default_factory=dict)


def _object_schema(params: list[dict[str, Any]], where: str, *, closed: bool) -> dict[str, Any]:
    properties = {str(p["name"]): p.get("schema") or {} for p in params if p.get("in") == where}
    required = [str(p["name"]) for p in params if p.get("in") == where and p.get("required")]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": not closed,
    }


class OperationChecker:
    """Everything needed to check requests for one operation, computed once."""

    def __init__(self, spec: Spec, operation: Operation) -> None:
        self.spec = spec
        self.operation = operation
        params = spec.parameters(operation)
        self._path = _object_schema(params, "path", closed=False)
        self._query = _object_schema(params, "query", closed=False)
        self._header = _object_schema(params, "header", closed=False)
        body = spec.deref(operation.node.get("requestBody"))
        self.body_required = bool(isinstance(body, dict) and body.get("required"))
        content = spec.deref(body.get("content")) if isinstance(body, dict) else None
        self.media: dict[str, Any] = {str(k).lower(): spec.deref(v) for k, v in (content or {}).items()}
        self._validators: dict[str, Any] = {}
        self._security = self._security_alternatives()

    # security ----------------------------------------------------------------------------------------

    def _security_alternatives(self) -> list[list[dict[str, Any]]]:
        requirements = self.operation.node.get("security", self.spec.document.get("security"))
        if not isinstance(requirements, list):
            return []
        schemes = self.spec.get(self.spec.document.get("components") or {}, "securitySchemes") or {}
        alternatives = []
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            alternatives.append([self.spec.deref(schemes.get(name)) or {} for name in requirement])
        return alternatives

    def check_credentials(self, headers: Mapping[str, str], query: Mapping[str, Any]) -> None:
        if not self._security or any(not alt for alt in self._security):
            return
        for alternative in self._security:
            if all(_has_credential(scheme, headers, query) for scheme in alternative):
                return
        wanted = " or ".join(
            " and ".join(_describe(scheme) for scheme in alternative) for alternative in self._security
        )
        raise RequestProblem(401, f"Missing credentials: send {wanted}", "Authorization")

    # parameters and body ----------------------------------------------------------------------------

    def check(
        self,
        path_params: dict[str, str],
        query: dict[str, Any],
        headers: Mapping[str, str],
        content_type: str | None,
        body: bytes,
    ) -> CheckedRequest:
        path = self._params(self._path, path_params)
        checked_query = self._params(self._query, query)
        header_values = {
            name: headers[name.lower()] for name in self._header["properties"] if name.lower() in headers
        }
        self._params(self._header, header_values)
        media_type, value = self._body(content_type, body)
        return CheckedRequest(path, checked_query, value, media_type, query)

    def _params(self, schema: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        checked = validate_params(self.spec, schema, values)
        if checked.problems:
            first = checked.problems[0]
            raise RequestProblem(400, first.message, first.param, tuple(checked.problems))
        for name, value in checked.params.items():
            fmt = (self.spec.deref((schema.get("properties") or {}).get(name)) or {}).get("format")
            if (
                isinstance(value, str)
                and fmt in _CHECKED_FORMATS
                and not _format_checker().conforms(value, fmt)
            ):
                raise RequestProblem(400, f"Invalid {name}: '{value}' is not a valid {fmt}", name)
        return checked.params

    def _body(self, content_type: str | None, body: bytes) -> tuple[str | None, Any]:
        if not body.strip():
            if self.body_required:
                raise RequestProblem(400, "The request body is required", "body")
            return None, None
        if not self.media:
            return None, None  # a body the operation does not describe is ignored, as servers do
        media_type = (content_type or "").partition(";")[0].strip().lower()
        media = self._media_for(media_type)
        if media is None:
            declared = ", ".join(self.media)
            raise RequestProblem(415, f"Unsupported Content-Type '{media_type}' (declared: {declared})")
        declared_type, node = media
        schema = node.get("schema") if isinstance(node, dict) else None
        if "json" in declared_type:
            try:
                value = parse_json(body)
            except FormError as exc:
                raise RequestProblem(400, str(exc), "body") from None
            if schema is not None:
                self._validate_json(declared_type, schema, value)
            return declared_type, value
        if declared_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                decoded = (
                    parse_form(body)
                    if declared_type != "multipart/form-data"
                    else parse_multipart(content_type, body)
                )
            except FormError as exc:
                raise RequestProblem(400, str(exc), exc.param) from None
            if schema is not None:
                form_schema = self.spec.deref(schema)
                return declared_type, self._params(form_schema, decoded) if isinstance(
                    form_schema, dict
                ) else decoded
            return declared_type, decoded
        return declared_type, body

    def _media_for(self, media_type: str) -> tuple[str, Any] | None:
        if media_type in self.media:
            return media_type, self.media[media_type]
        major = media_type.partition("/")[0]
        for declared, node in self.media.items():
            if declared in ("*/*", f"{major}/*"):
                return declared, node
        return None

    def _validate_json(self, media_type: str, schema: Any, value: Any) -> None:
        validator = self._validators.get(media_type)
        if validator is None:
            validator = self._validators[media_type] = _json_validator(self.spec, schema)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        if errors:
            problems = tuple(
                Problem("type", _json_path(list(e.absolute_path)) or "body", e.message) for e in errors[:20]
            )
            first = problems[0]
            raise RequestProblem(400, f"Invalid body: {first.param}: {first.message}", first.param, problems)


# Formats whose meaning is settled (RFC 3339, RFC 4122, RFC 5321); others (``int64``, ``byte``) pass.
_CHECKED_FORMATS = {"date", "date-time", "uuid", "email", "ipv4", "ipv6"}


def _format_checker() -> Any:
    from openapi_schema_validator import oas31_format_checker

    return oas31_format_checker


def _json_validator(spec: Spec, schema: Any) -> Any:
    # The document is the root resource, so ``#/components/...`` references resolve inside it.
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        oas30_format_checker,
        oas31_format_checker,
    )

    root = dict(spec.document)
    pointer = Spec.ref_of(schema)
    if pointer is not None:
        root["$ref"] = "#" + pointer
    else:
        root = {"components": spec.document.get("components") or {}, **schema}
    if spec.openapi_version.startswith("3.0"):
        return OAS30Validator(root, format_checker=oas30_format_checker)
    return OAS31Validator(root, format_checker=oas31_format_checker)


def _json_path(parts: list[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _has_credential(scheme: dict[str, Any], headers: Mapping[str, str], query: Mapping[str, Any]) -> bool:
    kind = scheme.get("type")
    authorization = headers.get("authorization", "")
    if kind == "apiKey":
        name = str(scheme.get("name") or "")
        where = scheme.get("in")
        if where == "header":
            return bool(headers.get(name.lower()))
        if where == "query":
            return bool(query.get(name))
        if where == "cookie":
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(headers.get("cookie", ""))
            return name in cookie and bool(cookie[name].value)
        return False
    if kind == "http":
        wanted = str(scheme.get("scheme") or "bearer").lower()
        given, _, credentials = authorization.partition(" ")
        return given.lower() == wanted and bool(credentials.strip())
    if kind in ("oauth2", "openIdConnect"):
        given, _, credentials = authorization.partition(" ")
        return given.lower() == "bearer" and bool(credentials.strip())
    return bool(authorization)  # mutualTLS and unknown kinds: any credential


def _describe(scheme: dict[str, Any]) -> str:
    kind = scheme.get("type")
    if kind == "apiKey":
        return f"the {scheme.get('in')} '{scheme.get('name')}'"
    if kind == "http":
        return f"Authorization: {str(scheme.get('scheme') or 'bearer').capitalize()} ..."
    return "Authorization: Bearer ..."

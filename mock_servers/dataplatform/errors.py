"""Databricks-shaped API errors: ``{"error_code", "message", "details"}`` with the real status pairings.

The databricks-sdk picks its exception class from ``error_code`` first and the HTTP status second
(reference B1), so each error here names both. Note the Jobs quirk the SDK relies on: a missing job or run
is **400** ``INVALID_PARAMETER_VALUE`` "Job N does not exist.", which the SDK rewrites to
``ResourceDoesNotExist``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "DatabricksApiError",
    "bad_request",
    "error_body",
    "invalid_parameter",
    "invalid_state",
    "not_found",
    "not_implemented",
]


class DatabricksApiError(Exception):
    """An error answer of the mocked API (not a user error of api-trainer itself)."""

    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message

    def body(self, request_id: str | None = None) -> dict[str, Any]:
        return error_body(self.error_code, self.message, request_id)


def error_body(error_code: str, message: str, request_id: str | None = None) -> dict[str, Any]:
    details: list[dict[str, Any]] = []
    if request_id:
        details.append({"@type": "type.googleapis.com/google.rpc.RequestInfo", "request_id": request_id})
    return {"error_code": error_code, "message": message, "details": details}


def invalid_parameter(message: str) -> DatabricksApiError:
    return DatabricksApiError(400, "INVALID_PARAMETER_VALUE", message)


def bad_request(message: str) -> DatabricksApiError:
    return DatabricksApiError(400, "MALFORMED_REQUEST", message)


def invalid_state(message: str) -> DatabricksApiError:
    return DatabricksApiError(400, "INVALID_STATE", message)


def not_found(message: str) -> DatabricksApiError:
    return DatabricksApiError(404, "RESOURCE_DOES_NOT_EXIST", message)


def not_implemented(message: str) -> DatabricksApiError:
    return DatabricksApiError(501, "NOT_IMPLEMENTED", message)

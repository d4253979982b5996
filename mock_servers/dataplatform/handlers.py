"""Operation id (from the bundled specs) -> the service call that answers it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from api_trainer.mock import Store

from .errors import invalid_parameter, not_implemented
from .jobs import USER_NAME, JobsService, as_int
from .runs import RunsService
from .statements import StatementEngine
from .warehouses import WAREHOUSES, get_warehouse

__all__ = ["Handlers"]

Handler = Callable[[str, Mapping[str, Any], Mapping[str, str]], dict[str, Any]]


class Handlers:
    def __init__(self, store: Store, clock: Callable[[], float], statements: StatementEngine) -> None:
        self.jobs = JobsService(store, clock)
        self.runs = RunsService(store, clock, self.jobs)
        self.statements = statements
        self._table: dict[str, Handler] = {
            "JobsCreate": lambda v, p, _: self.jobs.create(v, p),
            "JobsGet": lambda v, p, _: self.jobs.get(v, p),
            "JobsList": lambda v, p, _: self.jobs.list(v, p),
            "JobsUpdate": lambda v, p, _: self.jobs.update(v, p),
            "JobsReset": lambda v, p, _: self.jobs.reset(v, p),
            "JobsDelete": lambda v, p, _: self.jobs.delete(p),
            "JobsRunNow": lambda v, p, _: self.runs.run_now(v, p),
            "RunsSubmit": lambda v, p, _: self.runs.submit(v, p),
            "RunsGet": lambda v, p, _: self.runs.get(v, p),
            "RunsList": lambda v, p, _: self.runs.list(v, p),
            "RunsCancel": lambda v, p, _: self.runs.cancel(p),
            "RunsGetOutput": lambda v, p, _: self.runs.get_output(v, p),
            "RunsDelete": lambda v, p, _: self.runs.delete(p),
            "StatementExecutionExecute": lambda v, p, _: self.statements.execute(dict(p)),
            "StatementExecutionGet": lambda v, p, path: self.statements.get(path["statement_id"]),
            "StatementExecutionGetResultChunk": lambda v, p, path: self.statements.chunk(
                path["statement_id"], _chunk_index(path["chunk_index"])
            ),
            "StatementExecutionCancel": lambda v, p, path: self.statements.cancel(path["statement_id"]),
            "WarehousesList": lambda v, p, _: {"warehouses": [w.render() for w in WAREHOUSES]},
            "WarehousesGet": lambda v, p, path: get_warehouse(path["id"]).render(),
        }

    def dispatch(
        self, operation_id: str, version: str, params: Mapping[str, Any], path_params: Mapping[str, str]
    ) -> dict[str, Any]:
        handler = self._table.get(operation_id)
        if handler is None:
            raise not_implemented(f"Operation {operation_id or '(unnamed)'} is not implemented by this mock.")
        return handler(version, params, path_params)

    @staticmethod
    def me() -> dict[str, Any]:
        return {
            "id": "7000000000000001",
            "userName": USER_NAME,
            "displayName": "API Trainer",
            "active": True,
            "emails": [{"value": USER_NAME, "type": "work", "primary": True}],
            "groups": [{"display": "users", "value": "100"}],
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        }


def _chunk_index(text: str) -> int:
    index = as_int(text, "chunk_index")
    if index is None or index < 0:
        raise invalid_parameter(f"chunk_index must be a non-negative integer, got {text!r}.")
    return index

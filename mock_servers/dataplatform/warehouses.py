"""The SQL warehouses the mock offers. Every statement must name one of them by id.

Assumption (the reference is silent): an unknown id answers 404 ``RESOURCE_DOES_NOT_EXIST`` on
``warehouses/get`` and 400 ``INVALID_PARAMETER_VALUE`` when a statement names it, since there the id is a
request parameter that points at nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import invalid_parameter, not_found

__all__ = ["DEFAULT_WAREHOUSE_ID", "WAREHOUSES", "Warehouse", "get_warehouse", "require_warehouse"]

DEFAULT_WAREHOUSE_ID = "5a3c1e0d9b7f4a21"


@dataclass(frozen=True)
class Warehouse:
    id: str
    name: str
    cluster_size: str
    warehouse_type: str

    def render(self, host: str = "") -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "cluster_size": self.cluster_size,
            "min_num_clusters": 1,
            "max_num_clusters": 1,
            "auto_stop_mins": 10,
            "creator_name": "trainer@example.com",
            "enable_serverless_compute": self.warehouse_type == "PRO",
            "warehouse_type": self.warehouse_type,
            "state": "RUNNING",
            "num_clusters": 1,
            "num_active_sessions": 0,
            "spot_instance_policy": "COST_OPTIMIZED",
            "channel": {"name": "CHANNEL_NAME_CURRENT"},
            "health": {"status": "HEALTHY"},
            "odbc_params": {"hostname": host, "path": f"/sql/1.0/warehouses/{self.id}", "port": 443},
            "jdbc_url": f"jdbc:databricks://{host}:443/default;httpPath=/sql/1.0/warehouses/{self.id}",
            "tags": {},
        }


WAREHOUSES = (
    Warehouse(DEFAULT_WAREHOUSE_ID, "Starter Warehouse", "2X-Small", "PRO"),
    Warehouse("9e8d7c6b5a4f3e2d", "Reporting Warehouse", "Small", "CLASSIC"),
)


def get_warehouse(warehouse_id: str) -> Warehouse:
    for warehouse in WAREHOUSES:
        if warehouse.id == warehouse_id:
            return warehouse
    raise not_found(f"Warehouse {warehouse_id} does not exist.")


def require_warehouse(warehouse_id: object) -> Warehouse:
    if not isinstance(warehouse_id, str) or not warehouse_id:
        raise invalid_parameter(
            "warehouse_id is required: name one of the warehouses from GET /api/2.0/sql/warehouses."
        )
    for warehouse in WAREHOUSES:
        if warehouse.id == warehouse_id:
            return warehouse
    raise invalid_parameter(f"Warehouse {warehouse_id} does not exist.")

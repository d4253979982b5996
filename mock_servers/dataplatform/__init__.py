"""A Databricks-like data platform: Jobs API 2.0/2.1/2.2 and SQL Statement Execution on DuckDB samples.

Built from the generic engine in :mod:`api_trainer.mock` (faults, journal, clock, store, spec routing and
validation, server runner); this package holds only what is particular to the data platform:

* :mod:`.app`: the ASGI app and the request pipeline (auth, faults, routing from the bundled specs).
* :mod:`.jobs`, :mod:`.runs`, :mod:`.lifecycle`, :mod:`.runviews`: jobs, runs and their lifecycle on the
  simulated clock; :mod:`.versions`: what differs between Jobs 2.0, 2.1 and 2.2.
* :mod:`.statements`, :mod:`.sqltypes`, :mod:`.warehouses`: SQL statements executed on DuckDB.
* :mod:`.samples`: the deterministic sample datasets (``samples.nyctaxi.trips``, ``samples.sales.*``).
"""

from .app import DEFAULT_SAMPLE_SEED, DataPlatformMock, banner_lines, build_app, fault_registry
from .samples import SAMPLE_TABLES, load_samples

__all__ = [
    "DEFAULT_SAMPLE_SEED",
    "SAMPLE_TABLES",
    "DataPlatformMock",
    "banner_lines",
    "build_app",
    "fault_registry",
    "load_samples",
]

"""Building the mock a lab runs on, with the lab's faults loaded as startup rules.

The same app factories ``api-trainer mock payments|dataplatform`` serves; the lab's ``[[lab.faults]]`` are
added through the fault engine's own rule parser, exactly as a ``--faults FILE`` would add them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import LabError
from ..mock import FaultEngine, FaultRuleError, JournalEntry

__all__ = ["DATAPLATFORM_TOKEN", "PAYMENTS_KEY", "LabMock", "build_lab_mock", "default_key"]

PAYMENTS_KEY = "sk_test_api_trainer"
DATAPLATFORM_TOKEN = "dapi-lab-token"
CHECK_TOKEN = "dapi-lab-check"  # what `lab check` itself sends to the data-platform mock


@dataclass
class LabMock:
    api: str
    app: Any
    key: str
    close: Callable[[], None]


def default_key(api: str) -> str | None:
    return {"payments": PAYMENTS_KEY, "dataplatform": DATAPLATFORM_TOKEN}.get(api)


def _add_faults(engine: FaultEngine, faults: Iterable[dict[str, Any]], where: str) -> None:
    for index, raw in enumerate(faults, start=1):
        try:
            engine.add(dict(raw))
        except FaultRuleError as exc:
            raise LabError(
                f"{where}: [[lab.faults]] rule {index}: field '{exc.field}': {exc.message}"
            ) from exc


def build_lab_mock(
    api: str,
    *,
    log: Callable[[JournalEntry], None] | None = None,
    faults: Iterable[dict[str, Any]] = (),
    seed: int = 0,
    time_scale: float = 1.0,
    where: str = "lab",
) -> LabMock:
    """The app for ``api`` (``payments`` or ``dataplatform``) with ``faults`` as live rules."""
    if api == "dataplatform":
        from ..mock_servers.dataplatform.app import build_app

        dp = build_app(seed=seed, time_scale=time_scale, log=log)
        _add_faults(dp.runtime.faults, faults, where)
        return LabMock(api, dp.app, DATAPLATFORM_TOKEN, dp.close)
    if api == "payments":
        from ..mock_servers.payments.app import PaymentsConfig, PaymentsMock

        pm = PaymentsMock(PaymentsConfig(seed=seed, log=log))
        _add_faults(pm.runtime.faults, faults, where)
        return LabMock(api, pm.app, PAYMENTS_KEY, pm.runtime.store.close)
    raise LabError(f"no mock for api '{api}' (a '{api}' lab works on files, not on a mock)")

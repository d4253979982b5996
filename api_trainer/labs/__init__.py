"""Live labs: a scenario's ``[lab]`` sends the learner to a mock (or to the diff), and a check says if they did it.

A check is a small named unit in a registry (:func:`lab_check`): a function taking a :class:`LabClient` (the
mock's base URL and a key, its public API and ``/_mock/requests`` journal, the learner's answer file) and the
lab's ``[lab.params]``, returning a frozen :class:`LabResult` (passed, reasons, observations). Labs read, never
reach in: a check sees exactly what a learner's own script could see.
"""

from ._mocks import CHECK_TOKEN, DATAPLATFORM_TOKEN, PAYMENTS_KEY, LabMock, build_lab_mock, default_key
from ._model import Check, LabClient, LabResult
from ._registry import all_checks, get_check, lab_check
from ._runner import (
    DEFAULT_PORTS,
    LabReport,
    check_command,
    check_lab,
    find_lab,
    lab_scenarios,
    prepare_diff_lab,
)

__all__ = [
    "CHECK_TOKEN",
    "DATAPLATFORM_TOKEN",
    "DEFAULT_PORTS",
    "PAYMENTS_KEY",
    "Check",
    "LabClient",
    "LabMock",
    "LabReport",
    "LabResult",
    "all_checks",
    "build_lab_mock",
    "check_command",
    "check_lab",
    "default_key",
    "find_lab",
    "get_check",
    "lab_check",
    "lab_scenarios",
    "prepare_diff_lab",
]

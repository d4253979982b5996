"""The registry of lab checks: ``check name -> Check``. Each check module registers its own units."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from ..errors import LabError
from ._model import Check, CheckFunction

__all__ = ["all_checks", "get_check", "lab_check"]

_CHECKS: dict[str, Check] = {}


def lab_check(
    name: str,
    *,
    api: str,
    summary: str,
    params: tuple[str, ...] = (),
    needs_answer: bool = False,
    needs_mock: bool = True,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register ``function`` as the check ``name`` (kebab-case, as scenarios' ``[lab] check`` names it)."""

    def register(function: CheckFunction) -> CheckFunction:
        if name in _CHECKS:
            raise ValueError(f"lab check {name!r} is registered twice")
        _CHECKS[name] = Check(name, api, summary, function, params, needs_answer, needs_mock)
        return function

    return register


_CHECK_MODULES = ("checks_dataplatform", "checks_diff", "checks_payments", "checks_sql")


def _load() -> None:
    """Import the check modules, which register their checks as they load."""
    from importlib import import_module

    for name in _CHECK_MODULES:
        import_module(f"{__package__}.{name}")


def all_checks() -> list[Check]:
    _load()
    return sorted(_CHECKS.values(), key=lambda c: (c.api, c.name))


def get_check(name: str) -> Check:
    _load()
    found = _CHECKS.get(name)
    if found is None:
        near = difflib.get_close_matches(name, list(_CHECKS), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else f"; known: {', '.join(sorted(_CHECKS))}"
        raise LabError(f"unknown lab check '{name}'{hint}")
    return found

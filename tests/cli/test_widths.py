"""The probe timeline, ``specs list`` and the diff's text output at 80 and 160 columns (rich's recording
console, as a terminal): nothing runs past the width, the essential columns stay at 80, and 160 uses the
room for the rest. The probe runs against a real payments mock."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
from api_trainer.mock_servers.payments import PaymentsConfig, PaymentsMock
from rich.console import Console

from api_trainer.diff import find_changes
from api_trainer.mock import BackgroundServer
from api_trainer.probe import ProbeRequest, ProbeResult, policy_for, render_timeline, run_probe
from api_trainer.render.diff import render_text
from api_trainer.render.specs import render_bundled_list
from api_trainer.specs import bundled_specs, load_spec

KEY = "sk_test_widths_0001"
WIDTHS = (80, 160)


def _screen(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system=None, record=True)


def _lines(console: Console) -> list[str]:
    return console.export_text(clear=False).splitlines()


def _fits(lines: list[str], width: int) -> None:
    too_long = [line for line in lines if len(line.rstrip()) > width]
    assert not too_long, too_long
    assert not any("…" in line for line in lines), "a cell was cut"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    mock = PaymentsMock(PaymentsConfig())
    with BackgroundServer(mock.app).running() as server:
        yield server.base_url


def _probe(base_url: str, email: str, *, key: str | None) -> ProbeResult:
    request = ProbeRequest(
        method="POST",
        url=base_url + "/v1/customers",
        data=(("email", email),),
        key=KEY,
        idempotency_key=key,
        fault="drop-after-commit",
    )
    return run_probe(request, policy_for("payments"), sleep=lambda _seconds: None)


def _header(lines: list[str]) -> str:
    return next(line for line in lines if "status" in line and "decision" in line)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_probe_timeline_keeps_its_decision_column(base_url: str, width: int) -> None:
    result = _probe(base_url, f"keyed-{width}@example.com", key=f"widths-{width}")
    screen = _screen(width)
    render_timeline(result, screen)
    lines = _lines(screen)
    _fits(lines, width)
    header = _header(lines)
    for column in ("#", "status", "replayed", "fault", "decision"):
        assert column in header
    assert f"Idempotency-Key widths-{width} on every attempt" in " ".join(
        screen.export_text(clear=False).split()
    )
    # The decision reads whole, wrapped inside its column.
    decision_at = header.index("decision")
    decisions = " ".join(line[decision_at:].strip() for line in lines if "│" in line)
    assert "retry: connection error: retried" in " ".join(decisions.split())
    assert ("request id" in header) == (width == 160)
    assert ("latency" in header) == (width == 160)
    if width == 160:
        assert result.final.request_id is not None and result.final.request_id in screen.export_text(
            clear=False
        )


def _customers_with(base_url: str, email: str) -> int:
    answer = httpx.get(
        f"{base_url}/v1/customers/search",
        params={"query": f"email:'{email}'"},
        headers={"Authorization": f"Bearer {KEY}"},
    )
    if answer.status_code == 200:
        return len(answer.json()["data"])
    listed = httpx.get(
        f"{base_url}/v1/customers", params={"limit": 100}, headers={"Authorization": f"Bearer {KEY}"}
    )
    return sum(1 for c in listed.json()["data"] if c.get("email") == email)


@pytest.mark.parametrize("keyed", [False, True], ids=["no key", "with key"])
def test_the_probe_says_when_a_retry_without_a_key_ran_the_create_twice(base_url: str, keyed: bool) -> None:
    email = f"twice-{keyed}@example.com"
    result = _probe(base_url, email, key="twice-key" if keyed else None)
    screen = _screen(80)
    render_timeline(result, screen)
    text = " ".join(screen.export_text(clear=False).split())
    assert _customers_with(base_url, email) == (1 if keyed else 2)  # what the mock really holds
    assert ("duplicate: attempt 1 was committed" in text) == (not keyed)
    assert result.as_json()["notes"] == ([] if keyed else result.notes())
    _fits(screen.export_text(clear=False).splitlines(), 80)


@pytest.mark.parametrize("width", WIDTHS)
def test_specs_list_keeps_id_title_and_ops_and_shows_files_when_there_is_room(width: int) -> None:
    rows = [(bundled, load_spec(bundled.id)) for bundled in bundled_specs()]
    screen = _screen(width)
    render_bundled_list(screen, rows)
    lines = _lines(screen)
    _fits(lines, width)
    text = screen.export_text(clear=False)
    for bundled, spec in rows:
        row = next(line for line in lines if f" {bundled.id} " in line)
        assert spec.title in row and f" {len(spec.operations())} " in row
    assert ("dataplatform/2.1.yaml" in text) == (width == 160)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("group_by", ["operation", "component"])
def test_diff_text_wraps_each_finding_under_its_own_indent(width: int, group_by: str) -> None:
    report = find_changes(load_spec("dataplatform@2.1"), load_spec("dataplatform@2.2"))
    screen = _screen(width)
    render_text(screen, report, group_by=group_by)
    lines = _lines(screen)
    _fits(lines, width)
    text = " ".join(screen.export_text(clear=False).split())
    for finding in report.findings[:20]:
        if group_by == "operation":
            assert " ".join(f"{finding.message} [{finding.id}]".split()) in text
        assert (
            " ".join(f"-> {finding.component_impact or finding.impact}".split()) in text
            or group_by == "operation"
        )
    # A continuation line starts under the message (11 columns) or the impact (14), never at the edge.
    for line in lines:
        if line and not line.startswith(("  ", "component ", "GET ", "POST ", "DELETE ", "PUT ", "PATCH ")):
            assert line.startswith(("dataplatform@", "API-wide")), line
    if width == 160:
        assert max(len(line) for line in lines) > 80  # the room is used

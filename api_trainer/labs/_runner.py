"""Finding labs, preparing them, and running a lab's check against a mock (or, for SQL drills, one of its own)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import AnswerFileError, LabError
from ..trainer import Scenario, find_scenario, load_pack
from ..trainer._loader import unknown_id
from ._mocks import CHECK_TOKEN, build_lab_mock, default_key
from ._model import Check, LabClient, LabResult
from ._registry import get_check

__all__ = [
    "DEFAULT_PORTS",
    "LabReport",
    "check_command",
    "check_lab",
    "find_lab",
    "lab_scenarios",
    "prepare_diff_lab",
]

DEFAULT_PORTS = {"payments": 12111, "dataplatform": 8484}  # as `api-trainer mock`
SPEC_FILE = "openapi.yaml"


@dataclass(frozen=True)
class LabReport:
    """What ``lab check`` says: the check's verdict, for which lab, against what."""

    lab_id: str
    check: str
    target: str
    result: LabResult

    @property
    def passed(self) -> bool:
        return self.result.passed

    def as_json(self) -> dict[str, object]:
        return {"lab": self.lab_id, "check": self.check, "target": self.target, **self.result.as_json()}


def lab_scenarios(pack: Path | None = None) -> list[Scenario]:
    return [s for s in load_pack(pack) if s.lab is not None]


def find_lab(lab_id: str, pack: Path | None = None) -> tuple[Scenario, Check]:
    labs = {s.id: s for s in lab_scenarios(pack)}
    if lab_id in labs:
        scenario = labs[lab_id]
    elif lab_id.endswith(".toml") or Path(lab_id).is_file() or lab_id in {s.id for s in load_pack(pack)}:
        scenario = find_scenario(lab_id, pack)
    else:  # near matches among the labs only: a scenario without a lab is no answer here
        raise unknown_id(lab_id, sorted(labs), what="lab", listing="api-trainer lab list")
    if scenario.lab is None:
        raise LabError(f"scenario '{scenario.id}' has no lab; `api-trainer lab list` shows the ones that do")
    check = get_check(scenario.lab.check)
    if check.api != scenario.lab.api:
        raise LabError(
            f"{scenario.path}: [lab] check '{check.name}' works on the {check.api} mock, but [lab] api is "
            f"'{scenario.lab.api}'"
        )
    return scenario, check


def default_base_url(api: str) -> str:
    return f"http://127.0.0.1:{DEFAULT_PORTS[api]}"


def check_command(scenario: Scenario, base_url: str | None, answer: str | None = None) -> str:
    parts = ["api-trainer", "lab", "check", scenario.id]
    if base_url is not None and scenario.lab is not None and base_url != default_base_url(scenario.lab.api):
        parts += ["--base-url", base_url]
    if answer is not None:
        parts += ["--answer-file", answer]
    return " ".join(parts)


def prepare_diff_lab(scenario: Scenario, directory: Path) -> Path:
    """Copy the lab's bundled spec to ``directory/openapi.yaml`` (kept if it exists) for the learner to edit."""
    from ..specs import find_bundled

    assert scenario.lab is not None
    old = str(scenario.lab.params.get("old", ""))
    target = directory / SPEC_FILE
    if target.exists():
        return target
    try:
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(find_bundled(old).path, target)
    except OSError as exc:
        raise LabError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


@contextlib.contextmanager
def _own_dataplatform(seed: int) -> Iterator[str]:
    from ..mock import BackgroundServer

    mock = build_lab_mock("dataplatform", seed=seed)
    try:
        with BackgroundServer(mock.app).running() as server:
            yield server.base_url
    finally:
        mock.close()


def _reachable(client: LabClient, lab_id: str) -> None:
    try:
        client.journal()
    except LabError:
        raise LabError(
            f"no api-trainer mock is reachable at {client.base_url}; start it with `api-trainer lab start {lab_id}` "
            "or pass --base-url"
        ) from None


def check_lab(
    lab_id: str,
    *,
    base_url: str | None = None,
    key: str | None = None,
    answer_file: Path | None = None,
    pack: Path | None = None,
    seed: int = 0,
) -> LabReport:
    """Run the lab's check. A SQL drill with no ``base_url`` runs on a data-platform mock of its own."""
    scenario, check = find_lab(lab_id, pack)
    assert scenario.lab is not None
    if check.needs_answer and answer_file is None:
        raise AnswerFileError(f"lab '{lab_id}' reads your answer: pass --answer-file FILE")
    if answer_file is not None and not answer_file.is_file():
        raise AnswerFileError(f"--answer-file {answer_file}: no such file")
    if not check.needs_mock:
        client = LabClient(None, answer_file=answer_file)
        return LabReport(scenario.id, check.name, str(answer_file), check.run(client, scenario.lab.params))
    api = scenario.lab.api
    own = api == "dataplatform"  # any dapi token works there, so the check's own requests can be told apart
    with contextlib.ExitStack() as stack:
        if base_url is None and check.name == "sql-result":
            base_url = stack.enter_context(_own_dataplatform(seed))
        url = base_url or default_base_url(api)
        client = LabClient(url, CHECK_TOKEN if own else key or default_key(api), answer_file, exclude_own=own)
        stack.callback(client.close)
        _reachable(client, scenario.id)
        result = check.run(client, scenario.lab.params)
        return LabReport(scenario.id, check.name, url, result)
    raise AssertionError("unreachable")  # pragma: no cover

"""Read oasdiff's checker Go tests and derive, per test, the file pair and the verdict it asserts.

Only what a test states about two spec files as they are on disk is kept: a test that edits a loaded spec
in code (``s2.Spec.Paths.Value(...).X = ...``), builds one by hand, runs table-driven cases or uses a
configuration other than the default one (plus a deprecation period) is skipped, with its reason. Rule ids
come from the ``XId = "kebab-id"`` constants of ``checker/*.go`` and their levels from ``checker/rules.go``.

The result is data only: test names, data file names, rule ids and levels, never oasdiff's files.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

_FUNC = re.compile(r"^func (Test\w+)\(t \*testing\.T\) \{\n(.*?)^\}", re.M | re.S)
_ID_CONST = re.compile(r'^\s*(\w+Id)\s*=\s*"([a-z0-9-]+)"', re.M)
_RULE = re.compile(r"newBackwardCompatibilityRule\((\w+Id),\s*(ERR|WARN|INFO)\b")
_FILE_FN = re.compile(r'(\w+)\s*=\s*dataFileFn\("([^"]+)"\)')
_LOAD = re.compile(
    r"(\w+)(?:,\s*\w+)?\s*:?=\s*(?:open|loader\.LoadFromFile)\((?:(\w+)\()?\"([^\"]+)\"\)?(?:,[^)]*\))?\)?"
)
_L_LOAD = re.compile(r"(\w+)\s*:?=\s*l\(t,\s*(\d+)[,)]")
_D_CALL = re.compile(r"(\w+)\s*:?=\s*d\(t,\s*diff\.NewConfig\(\),\s*(\d+),\s*(\d+)")
_DIFF_CALL = re.compile(
    r"diff\.(?:GetWithOperationsSourcesMap|Get)\((diff\.NewConfig\(\)),\s*"
    r"(?:&load\.SpecInfo\{Spec:\s*)?(\w+)\}?,\s*(?:&load\.SpecInfo\{Spec:\s*)?(\w+)\}?\s*,?\s*\)"
)
_CHECK = re.compile(
    r"checker\.CheckBackwardCompatibility(UntilLevel)?\((.*?),\s*d,\s*osm(?:,\s*checker\.(\w+))?\)"
)
_CONFIG_VAR = re.compile(r"(\w+)\s*:=\s*((?:singleCheckConfig|allChecksConfig)\(.*\))\s*$", re.M)
_CONFIG = re.compile(r"^(singleCheckConfig|allChecksConfig)\((?:checker\.(\w+Check))?(.*)\)$")
_DEPRECATION = re.compile(r"^,?\s*checker\.WithDeprecation\((\d+),\s*(\d+)\)$")
_EMPTY = re.compile(r"require\.(?:Empty|Len)\(t,\s*(\w+)(?:,\s*0)?\)")
_LEVEL_OF = re.compile(r"require\.Equal\(t,\s*checker\.(ERR|WARN|INFO),\s*\w+(?:\[\d+\])?\.GetLevel\(\)\)")
_ABSENT = re.compile(
    r"requireNoChange\(t,\s*\w+,\s*checker\.(\w+Id)\)|require\.False\(t,\s*containsId\(\w+,\s*checker\.(\w+Id)\)"
    r"|require\.NotEqual\(t,\s*checker\.(\w+Id)"
)
_COMPLETE = re.compile(r"requireSingle(?:Api)?Change\(|requireApiChanges\(|require\.Len\(t,\s*\w+,\s*\d+\)")
_LEVELS = {"ERR": "breaking", "WARN": "warning", "INFO": "info"}


@dataclass
class Verdict:
    """What one Go test asserts about one file pair."""

    test: str
    go_file: str
    base: str
    revision: str
    #: the lowest level the test's run reports (oasdiff's CheckBackwardCompatibility stops at WARN)
    threshold: str
    #: the one check the test runs, or None when it runs all of them
    single_check: str | None
    #: asserted changes: [rule id, level]
    changes: list[list[str]] = field(default_factory=list)
    #: rule ids the test asserts are not reported
    absent: list[str] = field(default_factory=list)
    #: whether the asserted changes are all the run reports (an exact count, or "empty")
    complete: bool = False
    #: ``WithDeprecation(beta, stable)``: the minimum deprecation periods in days, when set
    deprecation_days: list[int] | None = None

    @property
    def breaking(self) -> bool | None:
        """oasdiff's breaking verdict: True, False, or None when the assertions do not decide it."""
        if any(level == "breaking" for _, level in self.changes):
            return True
        return False if self.complete else None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["breaking"] = self.breaking
        return {k: v for k, v in data.items() if v not in (None, [], False) or k in ("breaking", "complete")}


def rule_levels(checker: Path) -> dict[str, tuple[str, str]]:
    """Go constant name -> (rule id, level) for every rule of the checker."""
    ids: dict[str, str] = {}
    for source in sorted(checker.glob("*.go")):
        if source.name.endswith("_test.go"):
            continue
        ids.update(_ID_CONST.findall(source.read_text(encoding="utf-8")))
    levels = dict(_RULE.findall((checker / "rules.go").read_text(encoding="utf-8")))
    return {name: (rule_id, _LEVELS[levels.get(name, "INFO")]) for name, rule_id in ids.items()}


def derive(repo: Path) -> tuple[list[Verdict], dict[str, int]]:
    """Every usable test's verdict, and how many tests were skipped for each reason."""
    checker = repo / "checker"
    rules = rule_levels(checker)
    helpers = (checker / "helpers_test.go").read_text(encoding="utf-8")
    file_fns = {name: f"data/{sub}/" for name, sub in _FILE_FN.findall(helpers)}
    verdicts: list[Verdict] = []
    skipped: dict[str, int] = {}
    for go_file in sorted(checker.glob("*_test.go")):
        if go_file.name.endswith("_windows_test.go"):
            continue  # the platform twins of *_unix_test.go: the same tests with other path separators
        text = go_file.read_text(encoding="utf-8")
        for name, body in _FUNC.findall(text):
            verdict_or_reason = _one_test(name, go_file.name, body, rules, file_fns, repo)
            if isinstance(verdict_or_reason, str):
                skipped[verdict_or_reason] = skipped.get(verdict_or_reason, 0) + 1
            elif any(
                (v.test, v.base, v.revision)
                == (verdict_or_reason.test, verdict_or_reason.base, verdict_or_reason.revision)
                for v in verdicts
            ):
                skipped["the same test in another file"] = skipped.get("the same test in another file", 0) + 1
            else:
                verdicts.append(verdict_or_reason)
    return verdicts, skipped


def _data_path(raw: str, prefix: str | None, file_fns: dict[str, str]) -> str | None:
    if prefix is not None:
        return file_fns[prefix] + raw if prefix in file_fns else None
    return raw[3:] if raw.startswith("../data/") else None


def _edited(body: str, var: str) -> bool:
    """Whether a test touches a loaded spec other than by loading and diffing it (``s2.Spec...`` or
    ``setRequestBodyType(t, s1, ...)``)."""
    for line in body.splitlines():
        if not re.search(rf"\b{re.escape(var)}\b", line) or _DIFF_CALL.search(line):
            continue
        if re.match(rf"\s*{re.escape(var)}(?:,\s*\w+)?\s*:?=", line):
            continue  # the load itself
        return True
    return False


def _one_test(
    name: str,
    go_file: str,
    body: str,
    rules: dict[str, tuple[str, str]],
    file_fns: dict[str, str],
    repo: Path,
) -> Verdict | str:
    if "t.Run(" in body or "for _, " in body:
        return "table-driven"
    loads: dict[str, str] = {}
    for var, prefix, raw in _LOAD.findall(body):
        path = _data_path(raw, prefix or None, file_fns)
        if path is None:
            return "file outside data/"
        loads[var] = path
    for var, number in _L_LOAD.findall(body):
        loads[var] = f"data/openapi-test{number}.yaml"
    d_call = _D_CALL.search(body)
    if d_call is not None:
        errs_var = d_call.group(1)
        base, revision = (
            f"data/openapi-test{d_call.group(2)}.yaml",
            f"data/openapi-test{d_call.group(3)}.yaml",
        )
        threshold, single, config_rest = "warning", None, ""
        used = set()
    else:
        diff_call = _DIFF_CALL.search(body)
        check = _CHECK.search(body)
        if diff_call is None or check is None:
            return "no plain diff and check of two loaded specs"
        base_var, revision_var = diff_call.group(2), diff_call.group(3)
        if base_var not in loads or revision_var not in loads:
            return "a spec built in code"
        base, revision = loads[base_var], loads[revision_var]
        used = {base_var, revision_var}
        config_text = check.group(2).strip()
        config_vars = dict(_CONFIG_VAR.findall(body))
        config_text = config_vars.get(config_text, config_text)
        config = _CONFIG.match(config_text)
        if config is None:
            return "a configuration built in code"
        single, config_rest = config.group(2), config.group(3)
        threshold = _LEVELS[check.group(3)] if check.group(1) else "warning"
        errs_line = body[: check.start()].rsplit("\n", 1)[-1]
        errs_var = errs_line.split(":=")[0].split("=")[0].strip() or "errs"
    if any(_edited(body, var) for var in used):
        return "a spec edited in code"
    if re.search(r"config\.\w+\s*=|\bc\.\w+\s*=", body):
        return "a configuration built in code"
    deprecation: list[int] | None = None
    if config_rest.strip():
        option = _DEPRECATION.match(config_rest.strip())
        if option is None:
            return "a configuration option other than WithDeprecation"
        deprecation = [int(option.group(1)), int(option.group(2))]
    if not (repo / base).is_file() or not (repo / revision).is_file():
        return "a data file that is not there"
    verdict = Verdict(name, go_file, base, revision, threshold, single, deprecation_days=deprecation)
    assertions = body[body.find(errs_var) :] if errs_var in body else body
    explicit = _LEVEL_OF.findall(assertions)
    absent = {"".join(groups) for groups in _ABSENT.findall(assertions)}
    # ``Comment: checker.PatternAddedCommentId`` names an explanation, not a rule
    for const in re.findall(r"checker\.(\w+Id)\b", re.sub(r"Comment:\s*checker\.\w+", "", assertions)):
        if const not in rules:
            return "an id that is not a rule"
        rule_id, level = rules[const]
        if const in absent:
            continue
        if [rule_id, level] not in verdict.changes:
            verdict.changes.append([rule_id, level])
    verdict.absent = sorted(rules[c][0] for c in absent)
    if len(explicit) == 1 and len(verdict.changes) == 1:
        verdict.changes[0][1] = _LEVELS[explicit[0]]
    empty = _EMPTY.search(assertions)
    if (empty is not None and empty.group(1) == errs_var and not verdict.changes) or (
        _COMPLETE.search(assertions) and verdict.changes
    ):
        verdict.complete = True
    if not verdict.changes and not verdict.complete:
        return "no assertion on rule ids"
    return verdict

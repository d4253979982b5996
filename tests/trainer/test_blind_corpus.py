"""The blind answer corpus is well-formed: labels complete, halves disjoint, enough test answers of each kind,
and every answer names a scenario and options that exist (rewording keeps option ids)."""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from pathlib import Path

from api_trainer.trainer import load_pack

BLIND = Path(__file__).parent / "blind"
KINDS = {
    "strong-natural": "pass",
    "strong-terse": "pass",
    "strong-nonnative": "pass",
    "strong-bullets": "pass",
    "engineering": "fail",
    "hedge": "fail",
    "salad": "fail",
    "fluent-wrong": "fail",
    "rubric-stuffed": "fail",
    "generic-template": "fail",
}
SIDES = {"safe", "unsafe", "sound", "unsound", "none"}


def _files() -> list[dict[str, object]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((BLIND / "answers").glob("*/*.json"))]


def test_every_answer_is_labelled_and_names_real_options() -> None:
    files = _files()
    assert files
    pack = {s.id: s for s in load_pack()}
    for data in files:
        scenario = pack[str(data["scenario"])]
        options = {o.id for o in scenario.options}
        for a in data["answers"]:  # type: ignore[attr-defined]
            assert KINDS[a["kind"]] == a["expect"], (data["scenario"], a["kind"])
            assert a["side"] in SIDES
            assert a["choice"] is None or a["choice"] in options, (data["scenario"], a["choice"])
            assert a["text"].strip()


def test_halves_are_disjoint_cover_the_corpus_and_the_test_half_has_thirty_of_each_kind() -> None:
    split = tomllib.loads((BLIND / "split.toml").read_text(encoding="utf-8"))
    halves = [set(split[name]) for name in split]
    assert sum(len(h) for h in halves) == len(set().union(*halves))  # disjoint
    scenarios = {str(d["scenario"]) for d in _files()}
    assert scenarios == set().union(*halves)
    test_kinds = Counter(
        a["kind"]
        for d in _files()
        if d["scenario"] in split["test"]
        for a in d["answers"]  # type: ignore[attr-defined]
    )
    assert set(test_kinds) == set(KINDS)
    assert min(test_kinds.values()) >= 30

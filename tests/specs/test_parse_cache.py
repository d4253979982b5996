"""The parse cache (bundled specs, scenario packs): the same document as parsing, keyed by the bytes, never in
the way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from api_trainer._cache import ENV_CACHE_DIR, cached_parse
from api_trainer.specs import bundled_specs
from api_trainer.specs._documents import parse_text, read_document


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(ENV_CACHE_DIR, str(folder))
    return folder / "specs"


def test_a_bundled_spec_reads_back_from_the_cache_as_the_same_document(cache: Path) -> None:
    path = bundled_specs()[0].path
    parsed = parse_text(path.read_text(encoding="utf-8"), str(path), as_json=False)
    assert read_document(path) == parsed
    entries = list(cache.glob("*.json"))
    assert len(entries) == 1
    assert read_document(path) == parsed  # now from the entry
    entries[0].write_text("{not json", encoding="utf-8")  # a damaged entry is parsed afresh, and replaced
    assert read_document(path) == parsed
    assert read_document(path) == parsed


def test_other_bytes_are_another_entry_and_never_the_stale_one(cache: Path) -> None:
    first = cached_parse(b"a: 1\n", lambda: {"a": 1})
    second = cached_parse(b"a: 2\n", lambda: {"a": 2})
    assert (first, second) == ({"a": 1}, {"a": 2})
    assert len(list(cache.glob("*.json"))) == 2
    assert cached_parse(b"a: 1\n", lambda: pytest.fail("parsed again")) == {"a": 1}


def test_a_document_json_cannot_hold_is_not_cached(cache: Path) -> None:
    document = yaml.safe_load("responses:\n  200: {description: ok}\n")  # an integer key
    assert cached_parse(b"int keys", lambda: document) == document
    assert not list(cache.glob("*.json"))


def test_an_unusable_cache_folder_only_means_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(ENV_CACHE_DIR, str(blocker / "cache"))  # its parent is a file: nothing can be written
    assert cached_parse(b"x: 1\n", lambda: {"x": 1}) == {"x": 1}
    monkeypatch.setenv(ENV_CACHE_DIR, "")  # off
    assert cached_parse(b"x: 1\n", lambda: {"x": 1}) == {"x": 1}
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_file_outside_the_bundled_specs_is_not_cached(cache: Path, tmp_path: Path) -> None:
    spec = tmp_path / "mine.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", encoding="utf-8")
    assert read_document(spec)["openapi"] == "3.0.3"
    assert not cache.exists()


def test_scenario_packs_read_back_from_the_cache_as_the_same_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api_trainer.errors import ScenarioError
    from api_trainer.trainer import load_pack, load_scenario

    monkeypatch.setenv(ENV_CACHE_DIR, "")
    parsed = load_pack()
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    assert load_pack() == parsed
    assert len(list((tmp_path / "cache" / "scenarios").glob("*.json"))) == len(parsed)
    assert load_pack() == parsed  # now from the entries
    broken = tmp_path / "broken.toml"
    broken.write_text("id = \n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(broken)

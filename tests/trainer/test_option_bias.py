"""``scenarios check`` fails a pack whose right option is recognisable by its length, and passes the bundled one."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api_trainer.trainer import load_pack
from api_trainer.trainer._check import MAX_LONGEST_SHARE, RATIO_BOUNDS, option_bias

from ..conftest import copy_bundled

SAMPLE = ("retry-without-key", "quota-429-not-503", "offset-vs-cursor")


def _lengthen_right(text: str) -> str:
    """The right option's text gains a long, detailed tail, the way the pack used to read."""
    right = re.search(r'^right = "([^"]+)"$', text, re.M)
    assert right is not None
    return re.sub(
        rf'(id = "{right.group(1)}"\ntext = ")([^"]*)"',
        lambda m: (
            f"{m.group(1)}{m.group(2)} Document it in the reference, ship it in the SDKs with"
            ' examples, measure adoption per account, and alert when the old behaviour is still seen."'
        ),
        text,
    )


def _copy(tmp_path: Path, lengthen_right: bool) -> Path:
    return copy_bundled(tmp_path, *SAMPLE, **({"edit": _lengthen_right} if lengthen_right else {}))


def test_the_bundled_pack_gives_nothing_away_by_length() -> None:
    bias = option_bias(load_pack())
    low, high = RATIO_BOUNDS
    assert bias.ok
    assert bias.longest_share <= MAX_LONGEST_SHARE
    assert low <= bias.median_ratio <= high


def test_check_fails_a_pack_whose_right_option_is_the_longest(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    biased = run_cli("scenarios", "check", str(_copy(tmp_path / "biased", lengthen_right=True)))
    assert biased.exit_code == 1
    out = " ".join(biased.stdout.split())
    assert "strictly the longest in 3 of 3 scenarios (100%, at most 40% allowed)" in out
    assert "answers of 3 scenarios grade as labelled" in out  # it fails on bias alone
    fair = run_cli("scenarios", "check", str(_copy(tmp_path / "fair", lengthen_right=False)))
    assert fair.exit_code == 0, fair.stdout


def test_one_scenario_file_is_not_judged_on_pack_bias(tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    pack = _copy(tmp_path, lengthen_right=True)
    single = run_cli("scenarios", "check", str(next(pack.rglob("retry-without-key.toml"))))
    assert single.exit_code == 0
    assert "option length bias" not in single.stdout

"""What a learner sees before answering: seeded shuffles with no positional bias, and ``scenarios show``."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from api_trainer.trainer import find_scenario, load_pack
from api_trainer.trainer._present import present

PACK = load_pack()
SEEDS = range(200)


def test_the_same_seed_gives_the_same_order_and_other_seeds_differ() -> None:
    scenario = find_scenario("retry-without-key")
    assert present(scenario, 5).options == present(scenario, 5).options
    orders = {tuple(o.id for o in present(scenario, seed).options) for seed in SEEDS}
    assert len(orders) == 24  # every order of four options occurs over 200 seeds


def test_the_right_option_lands_in_each_position_within_ten_percent_of_uniform() -> None:
    pack_wide: Counter[tuple[int, int]] = Counter()  # (option count, position) -> times right
    for scenario in PACK:
        n = len(scenario.options)
        positions = Counter(
            [o.id for o in present(scenario, seed, open_answer=False).options].index(scenario.right)
            for seed in SEEDS
        )
        for position in range(n):
            share = positions[position] / len(SEEDS)
            assert abs(share - 1 / n) <= 0.1, (scenario.id, position, share)
            pack_wide[n, position] += positions[position]
    for (n, position), count in pack_wide.items():
        total = sum(c for (m, _), c in pack_wide.items() if m == n)
        if total < 20 * len(SEEDS):
            continue  # too few scenarios with n options for a relative bound: the absolute one above holds
        assert abs(count / total - 1 / n) <= 0.1 / n, (n, position, count / total)  # within 10% relative


def test_always_picking_1_scores_at_most_one_in_n_plus_a_tenth() -> None:
    picks = [
        (present(s, seed, open_answer=False).options[0].id == s.right, 1 / len(s.options))
        for s in PACK
        for seed in SEEDS
    ]
    right_rate = sum(right for right, _ in picks) / len(picks)
    chance = sum(expected for _, expected in picks) / len(picks)
    assert right_rate <= chance + 0.1


def test_scenarios_show_json_holds_the_learner_visible_fields_in_presentation_order(
    run_cli: Callable[..., Any],
) -> None:
    scenario = find_scenario("retry-without-key")
    result = run_cli("scenarios", "show", "retry-without-key", "--seed", "7", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == [
        "id", "title", "situation", "snippet", "question", "options", "prompt", "audience",
        "options_shown_by_default", "seed",
    ]  # fmt: skip
    assert [o["id"] for o in data["options"]] == [o.id for o in present(scenario, 7).options]
    assert all(set(o) == {"id", "text"} for o in data["options"])
    assert data["options_shown_by_default"] is True
    text = json.dumps(data)
    for secret in (scenario.reference, *(o.developer for o in scenario.options), *scenario.hints):
        assert secret not in text
    assert "right" not in data and "concepts" not in data


def test_scenarios_show_text_is_the_train_screen(run_cli: Callable[..., Any]) -> None:
    result = run_cli("scenarios", "show", "payments-10k-tps-design", "--seed", "3")
    assert result.exit_code == 0, result.stderr
    assert "Open answer: no options are shown" in result.stdout  # a design question is open by default
    assert "Your audience: an executive." in result.stdout
    with_options = run_cli("scenarios", "show", "payments-10k-tps-design", "--options", "--format", "json")
    data = json.loads(with_options.stdout)
    assert data["options_shown_by_default"] is False and len(data["options"]) >= 3
    unknown = run_cli("scenarios", "show", "no-such-scenario")
    assert unknown.exit_code == 2 and "unknown scenario" in unknown.stderr


def test_grade_counts_a_numeric_choice_as_scenarios_show_numbered_it(
    tmp_path: Any, run_cli: Callable[..., Any]
) -> None:
    scenario = find_scenario("retry-without-key")
    answer = tmp_path / "a.txt"
    answer.write_text(next(c.answer for c in scenario.calibration if c.label == "strong"), encoding="utf-8")
    shown = json.loads(run_cli("scenarios", "show", scenario.id, "--seed", "7", "--format", "json").stdout)
    number = next(n for n, o in enumerate(shown["options"], start=1) if o["id"] == scenario.right)
    assert number != 1  # seed 7 does not put it first, so the file order would pick another option
    graded = run_cli(
        "grade",
        scenario.id,
        "--answer-file",
        str(answer),
        "--choice",
        str(number),
        "--seed",
        "7",
        "--format",
        "json",
    )
    assert graded.exit_code == 0 and json.loads(graded.stdout)["decision"] == "right"
    unseeded = run_cli(
        "grade", scenario.id, "--answer-file", str(answer), "--choice", str(number), "--format", "json"
    )
    assert (
        json.loads(unseeded.stdout)["decision"] == "wrong"
    )  # the file's option at that number is another one

"""The trainer's screens at 80 and 160 columns, rendered the way Rich's own tests do (a Console on a StringIO):
lines fit, prose keeps a steady measure, wrapped options hang under their text, nothing is padded or boxed."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from rich.console import Console

from api_trainer.render.interview import render_report, report_markdown
from api_trainer.render.trainer import (
    MEASURE,
    render_explain_prompt,
    render_grade,
    render_option_feedback,
    render_reference,
    render_scenario,
)
from api_trainer.trainer import load_pack
from api_trainer.trainer._grader import grade
from api_trainer.trainer._interview import plan_loop, run_interview
from api_trainer.trainer._present import present
from api_trainer.trainer._store import ProgressStore
from api_trainer.trainer._styles import styles

PACK = load_pack()
WIDTHS = (80, 160)
BOX = set("┏┓┗┛┃━│─┌┐└┘╭╮╰╯")
# A readable measure for prose, whatever the terminal's width (a typographer's 60-100 characters).
READABLE = 100


def _screen(width: int, draw: Callable[[Console], None]) -> list[str]:
    out = io.StringIO()
    draw(Console(file=out, width=width, no_color=True, highlight=False))
    return out.getvalue().splitlines()


def _snippet_lines(scenario_snippet: str) -> set[str]:
    return {line.strip() for line in scenario_snippet.splitlines()}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_scenario_screen_fits_with_a_steady_measure(width: int) -> None:
    measure = min(width, READABLE)
    assert MEASURE <= READABLE
    for scenario in PACK:
        shown = present(scenario, 1, open_answer=False)
        lines = _screen(
            width, lambda c, shown=shown: (render_scenario(c, shown), render_explain_prompt(c, shown))
        )
        snippet = _snippet_lines(scenario.snippet)
        for line in lines:
            assert line == line.rstrip(), (scenario.id, line)  # no padding to the terminal's width
            assert not BOX & set(line), (scenario.id, line)  # no boxes
            if line.startswith("    ") and any(part and part in line for part in snippet):
                assert len(line) <= width, (scenario.id, line)  # code may use the full width, no more
            else:
                # prose keeps the measure; a single unbreakable word (a URL, an id) may overflow it
                assert len(line) <= measure or " " not in line.strip(), (scenario.id, width, line)
        # options are numbered in the order shown, and their wrapped lines hang under the text
        numbered = [
            i for i, line in enumerate(lines) if line[:4].strip().rstrip(".").isdigit() and line[2:4] == ". "
        ]
        assert len(numbered) == len(shown.options), scenario.id
        for k, i in enumerate(numbered):
            end = numbered[k + 1] if k + 1 < len(numbered) else lines.index("", i)
            for following in lines[i + 1 : end]:
                assert following.startswith("    ") and following[4] != " ", (scenario.id, following)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_audience_reads_as_words(width: int) -> None:
    seen = set()
    for scenario in PACK:
        shown = present(scenario, 0)
        text = " ".join(
            " ".join(_screen(width, lambda c, shown=shown: render_explain_prompt(c, shown))).split()
        )
        label = {"developer": "a developer", "pm": "a PM", "executive": "an executive"}[scenario.audience]
        assert f"Your audience: {label}." in text
        seen.add(scenario.audience)
    assert seen == {"developer", "pm", "executive"}


@pytest.mark.parametrize("width", WIDTHS)
def test_grade_feedback_and_reference_screens_fit(width: int) -> None:
    measure = min(width, READABLE)
    for scenario in PACK[::7]:
        wrong = next(o.id for o in scenario.options if o.id != scenario.right)
        shown = present(scenario, 2, open_answer=False)
        for answer, choice in ((scenario.reference, scenario.right), (scenario.calibration[0].answer, wrong)):
            result = grade(scenario, answer, choice)
            lines = _screen(
                width,
                lambda c, r=result, s=scenario, ch=choice, sh=shown: (
                    render_grade(c, r, s),
                    render_option_feedback(c, sh, ch),
                    render_reference(c, s),
                ),
            )
            for line in lines:
                assert line == line.rstrip() and not BOX & set(line), (scenario.id, line)
                assert len(line) <= measure or " " not in line.strip(), (scenario.id, width, line)
            checks = next(line for line in lines if "technical" in line and ("✓" in line or "✗" in line))
            assert "✓ " in checks or "✗ " in checks  # an item is never split from its mark


class _Typing:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def ask(self, prompt: Callable[[], str], seconds_left: float | None) -> str:
        self.now += 30
        return (
            ""
            if self.now % 60 == 0
            else "We keep the contract so developers can retry safely, which protects revenue."
        )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_interview_report_fits(width: int, tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    plan = plan_loop(styles()["google"], PACK, minutes=30, seed=5)
    typing = _Typing()
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = run_interview(
            Console(file=io.StringIO(), width=width), typing.ask, plan, store, PACK, clock=typing.clock
        )
    lines = _screen(width, lambda c: render_report(c, report))
    assert any(line.startswith("Q1 ") for line in lines)
    for line in lines:
        assert line == line.rstrip() and not BOX & set(line), line
        assert len(line) <= min(width, READABLE) or " " not in line.strip(), line
    assert report_markdown(report).count("## Q") == len(report.questions)


@pytest.mark.parametrize("width", WIDTHS)
def test_scenario_list_and_calibration_check_cut_nothing(width: int) -> None:
    from api_trainer.render.trainer import render_check, render_scenario_list
    from api_trainer.trainer._check import check_scenarios

    listing = _screen(width, lambda c: render_scenario_list(c, PACK))
    flat = " ".join(" ".join(listing).split())
    for s in PACK:
        assert s.id in flat and " ".join(s.title.split()) in flat  # every title whole, none cut
    longest_id = max(len(s.id) for s in PACK)
    checked = _screen(width, lambda c: render_check(c, check_scenarios(PACK[:6])))
    header = next(line for line in checked if "scenario" in line and "strong" in line)
    assert header.split() == ["scenario", "strong", "eng.", "hedge", "salad", "wrong", "ref.", "ok"]
    for line in listing + checked:
        assert len(line) <= width and "…" not in line, line
        assert line == line.rstrip() or line in checked, line
        assert not BOX & set(line) - {"─"}, line  # one rule under the header, no boxes
    assert longest_id < width

"""A mock interview loop: a plan of questions across a company's pillars, a clock, follow-ups, a report.

The loop is a session over the same scenarios, grader and store as ``train``. Questions are open (an
interview gives no options). Every line typed is saved as a draft at once, and each answer and follow-up is
saved as given, so a killed terminal loses nothing already typed. The clock is a function (monotonic seconds)
so tests drive time instead of waiting for it.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime

from rich.console import Console

from ..render.interview import (
    render_follow_up,
    render_loop_start,
    render_question_header,
    render_saved,
)
from ..render.trainer import render_explain_prompt, render_scenario
from ._grader import Grade, grade
from ._model import Scenario
from ._present import present
from ._session import Quit, Typed, read_lines
from ._store import ProgressStore
from ._styles import Pillar, Style, StyledGrade, apply_style, follow_up_questions

# ask(prompt, seconds_left): one line of input. ``prompt`` renders the prompt (with the countdown) each time
# it is drawn; ``seconds_left`` lets a terminal end the line when the time runs out.
LiveAsk = Callable[[Callable[[], str], float | None], str]
Clock = Callable[[], float]
MIN_QUESTIONS, MAX_QUESTIONS = 4, 6
FOLLOW_UP_SHARE = 0.25  # a follow-up gets a quarter of a question's time, at least a minute
LINKS = ("technical", "developer", "business")
MOVES = (
    "requirements",
    "requirements_first",
    "trade_off",
    "instrumentation",
    "failure_mode",
    "product_close",
)
_DESIGN_ONLY = {"requirements", "requirements_first"}


@dataclass(frozen=True)
class PlannedQuestion:
    scenario: Scenario
    pillar: Pillar


@dataclass(frozen=True)
class Plan:
    style: Style
    questions: tuple[PlannedQuestion, ...]
    empty_pillars: tuple[Pillar, ...]  # pillars whose topics hold no scenario yet
    seconds_per_question: float
    loop_seconds: float
    seed: int


@dataclass(frozen=True)
class FollowUp:
    move: str
    question: str
    answer: str
    passed: bool
    seconds: float
    timed_out: bool


@dataclass(frozen=True)
class QuestionResult:
    position: int
    scenario_id: str
    title: str
    kind: str
    pillar: str
    pillar_label: str
    answer: str
    passed: bool  # as the style judges it
    score: float
    decision: str
    links_made: tuple[str, ...]
    links_missed: tuple[str, ...]
    moves_made: tuple[str, ...]
    moves_missed: tuple[str, ...]
    style_reasons: tuple[str, ...]
    feedback: tuple[str, ...]
    seconds: float
    timed_out: bool
    follow_up: FollowUp | None


@dataclass(frozen=True)
class PillarSummary:
    id: str
    label: str
    asked: int
    passed: int
    links_made: tuple[str, ...]  # made in at least one answer of the pillar
    links_missed: tuple[str, ...]  # missed in at least one, most often missed first


@dataclass(frozen=True)
class LoopReport:
    loop_id: int
    company: str
    company_label: str
    started_at: str
    seed: int
    status: str  # finished | out-of-time | quit
    questions: tuple[QuestionResult, ...]
    pillars: tuple[PillarSummary, ...]
    empty_pillars: tuple[str, ...]
    seconds_used: float
    weakest_link: str | None
    practice: tuple[str, ...]  # scenario ids to practise next
    labs: tuple[str, ...]  # lab ids (`api-trainer lab start ID`)

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def plan_loop(
    style: Style,
    scenarios: Sequence[Scenario],
    *,
    minutes: float = 45,
    seconds_per_question: float | None = None,
    seed: int = 0,
) -> Plan:
    """4-6 questions across the style's pillars: scenarios tagged with the company first, then any others
    of the pillar's topics and kinds; never the same scenario twice."""
    rng = random.Random(f"{style.id}:{seed}")
    queues: list[tuple[Pillar, list[Scenario]]] = []
    empty: list[Pillar] = []
    for pillar in style.pillars:
        fits = [s for s in scenarios if s.topic in pillar.topics and s.kind in pillar.kinds]
        if not fits:
            empty.append(pillar)
            continue
        tagged = [s for s in fits if style.id in s.companies]
        others = [s for s in fits if style.id not in s.companies]
        rng.shuffle(tagged)
        rng.shuffle(others)
        queues.append((pillar, tagged + others))
    used: set[str] = set()
    questions: list[PlannedQuestion] = []

    def take(pillar: Pillar, queue: list[Scenario]) -> bool:
        while queue:
            s = queue.pop(0)
            if s.id not in used:
                used.add(s.id)
                questions.append(PlannedQuestion(s, pillar))
                return True
        return False

    # The pillar with the fewest candidates chooses first, so a broad pillar cannot take a narrow one's only
    # scenario (Databricks' Lakehouse design question).
    for pillar, queue in sorted(queues, key=lambda pq: len(pq[1])):
        for _ in range(pillar.questions):
            take(pillar, queue)
    # Too few (a pillar ran dry): one more from each pillar in turn, until the loop has its minimum.
    while len(questions) < MIN_QUESTIONS and any(
        take(p, q) for p, q in queues if len(questions) < MIN_QUESTIONS
    ):
        pass
    order = {p.id: i for i, p in enumerate(style.pillars)}
    questions.sort(key=lambda q: order[q.pillar.id])
    questions = questions[:MAX_QUESTIONS]
    loop_seconds = minutes * 60
    per = seconds_per_question if seconds_per_question is not None else loop_seconds / max(1, len(questions))
    return Plan(style, tuple(questions), tuple(empty), per, loop_seconds, seed)


def _field(grade: Grade, move: str) -> bool:
    if move in LINKS:
        return bool(getattr(grade.translation, move))
    return bool(getattr(grade.moves, move))


def choose_follow_up(styled: StyledGrade, scenario: Scenario) -> str | None:
    """The move to ask about: one the style requires and the answer missed, else the first missed in the
    follow-up table's order; None when the answer made every move it was asked for."""
    asked = follow_up_questions()
    for move in styled.missing:
        if move in asked:
            return move
    for move in asked:
        if move in _DESIGN_ONLY and scenario.kind != "design":
            continue
        if not _field(styled.grade, move):
            return move
    return None


def _fmt(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class _Timer:
    def __init__(self, clock: Clock, deadline: float, loop_end: float) -> None:
        self.clock, self.deadline, self.loop_end = clock, min(deadline, loop_end), loop_end
        self.start = clock()

    def left(self) -> float:
        return self.deadline - self.clock()

    def expired(self) -> bool:
        return self.left() <= 0

    def used(self) -> float:
        return round(min(self.clock(), self.deadline) - self.start, 1)

    def prompt(self, label: str) -> Callable[[], str]:
        return lambda: f"[{label} {_fmt(self.left())} left · loop {_fmt(self.loop_end - self.clock())}] > "


def _typed_answer(
    console: Console, ask: LiveAsk, timer: _Timer, label: str, save: Callable[[Typed], None]
) -> Typed:
    def one_line(_text: str) -> str:
        return ask(timer.prompt(label), max(0.0, timer.left()))

    return read_lines(console, one_line, None, expired=timer.expired, on_line=save)


def run_interview(
    console: Console,
    ask: LiveAsk,
    plan: Plan,
    store: ProgressStore,
    scenarios: Sequence[Scenario],
    *,
    clock: Clock = time.monotonic,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> LoopReport:
    """Run the loop; returns the report, which is also saved with progress."""
    style = plan.style
    started = now()
    loop_id = store.start_loop(style.id, plan.seed, started)
    loop_end = clock() + plan.loop_seconds
    render_loop_start(console, plan)
    ctx = _Loop(console, ask, plan, store, loop_id, clock, loop_end, now)
    results: list[QuestionResult] = []
    status = "finished"
    try:
        for position, planned in enumerate(plan.questions, start=1):
            if clock() >= loop_end:
                status = "out-of-time"
                break
            _one_question(ctx, position, planned, results)
    except Quit:
        status = "quit"
    used = round(sum(r.seconds + (r.follow_up.seconds if r.follow_up else 0) for r in results), 1)
    report = build_report(loop_id, plan, results, scenarios, store, status, started, used)
    store.finish_loop(loop_id, status, json.dumps(report.as_json()), now())
    return report


@dataclass(frozen=True)
class _Loop:
    """What every question of one running loop shares."""

    console: Console
    ask: LiveAsk
    plan: Plan
    store: ProgressStore
    loop_id: int
    clock: Clock
    loop_end: float
    now: Callable[[], datetime]


def _one_question(ctx: _Loop, position: int, planned: PlannedQuestion, results: list[QuestionResult]) -> None:
    console, ask, plan, store, loop_id, clock, loop_end, now = (
        ctx.console, ctx.ask, ctx.plan, ctx.store, ctx.loop_id, ctx.clock, ctx.loop_end, ctx.now
    )  # fmt: skip
    scenario, style = planned.scenario, plan.style
    render_question_header(
        console, position, len(plan.questions), planned.pillar.label, plan.seconds_per_question
    )
    shown = present(scenario, plan.seed + position, open_answer=True)
    render_scenario(console, shown)
    render_explain_prompt(console, shown)
    timer = _Timer(clock, clock() + plan.seconds_per_question, loop_end)
    row = store.start_answer(
        loop_id, position, "answer", scenario.id, planned.pillar.id, scenario.question, now()
    )
    # A quit here leaves the draft saved line by line; the loop's report marks it quit.
    typed = _typed_answer(
        console, ask, timer, f"Q{position}", lambda t: store.save_draft(row, t.text, timer.used())
    )
    text = typed.text
    result = grade(scenario, text, None)
    styled = apply_style(result, scenario, style, planned.pillar.id)
    store.finish_answer(
        row, text, timer.used(), typed.timed_out, styled.passed, result.score, _grade_json(styled)
    )
    if text.strip():
        store.record(scenario, result, text, when=now())
    render_saved(console, typed.timed_out)
    result_so_far = QuestionResult(
        position=position,
        scenario_id=scenario.id,
        title=scenario.title,
        kind=scenario.kind,
        pillar=planned.pillar.id,
        pillar_label=planned.pillar.label,
        answer=text,
        passed=styled.passed,
        score=result.score,
        decision=result.decision,
        links_made=tuple(k for k in LINKS if _field(result, k)),
        links_missed=tuple(k for k in LINKS if not _field(result, k)),
        moves_made=tuple(m for m in _moves_asked(scenario) if _field(result, m)),
        moves_missed=tuple(m for m in _moves_asked(scenario) if not _field(result, m)),
        style_reasons=styled.reasons,
        feedback=result.feedback,
        seconds=timer.used(),
        timed_out=typed.timed_out,
        follow_up=None,
    )
    results.append(result_so_far)  # in the report even if the learner quits during the follow-up
    move = choose_follow_up(styled, scenario) if clock() < loop_end else None
    if move is not None:
        results[-1] = replace(result_so_far, follow_up=_ask_follow_up(ctx, position, planned, move))


def _moves_asked(scenario: Scenario) -> tuple[str, ...]:
    return tuple(m for m in MOVES if scenario.kind == "design" or m not in _DESIGN_ONLY)


def _ask_follow_up(ctx: _Loop, position: int, planned: PlannedQuestion, move: str) -> FollowUp:
    console, ask, plan, store, loop_id, clock, loop_end, now = (
        ctx.console, ctx.ask, ctx.plan, ctx.store, ctx.loop_id, ctx.clock, ctx.loop_end, ctx.now
    )  # fmt: skip
    question = follow_up_questions()[move]
    budget = max(60.0, plan.seconds_per_question * FOLLOW_UP_SHARE)
    render_follow_up(console, question, budget)
    timer = _Timer(clock, clock() + budget, loop_end)
    row = store.start_answer(
        loop_id, position, "follow-up", planned.scenario.id, planned.pillar.id, question, now()
    )
    typed = _typed_answer(
        console, ask, timer, f"Q{position} follow-up", lambda t: store.save_draft(row, t.text, timer.used())
    )
    # Graded as its own short answer, on the one move it asks about.
    passed = bool(typed.text.strip()) and _field(grade(planned.scenario, typed.text, None), move)
    store.finish_answer(
        row,
        typed.text,
        timer.used(),
        typed.timed_out,
        passed,
        1.0 if passed else 0.0,
        json.dumps({"move": move}),
    )
    render_saved(console, typed.timed_out)
    return FollowUp(move, question, typed.text, passed, timer.used(), typed.timed_out)


def _grade_json(styled: StyledGrade) -> str:
    g = styled.grade
    return json.dumps(
        {
            "passed": g.passed,
            "styled_passed": styled.passed,
            "score": g.score,
            "decision": g.decision,
            "translation": asdict(g.translation),
            "moves": asdict(g.moves),
            "style_reasons": list(styled.reasons),
        }
    )


def build_report(
    loop_id: int,
    plan: Plan,
    results: Sequence[QuestionResult],
    scenarios: Sequence[Scenario],
    store: ProgressStore,
    status: str,
    started: datetime,
    seconds_used: float,
) -> LoopReport:
    """Per pillar what was asked and passed; the weakest link over every answer; what to practise next."""
    pillars = []
    for pillar in plan.style.pillars:
        mine = [r for r in results if r.pillar == pillar.id]
        if not mine:
            continue
        missed = Counter(link for r in mine for link in r.links_missed)
        made = tuple(k for k in LINKS if any(k in r.links_made for r in mine))
        pillars.append(
            PillarSummary(
                pillar.id,
                pillar.label,
                len(mine),
                sum(r.passed for r in mine),
                made,
                tuple(k for k, _ in missed.most_common()),
            )
        )
    misses: Counter[str] = Counter()
    for r in results:
        misses.update(r.links_missed)
        misses.update(r.moves_missed)
        if r.follow_up is not None and not r.follow_up.passed:
            misses[r.follow_up.move] += 1
    order = (*LINKS, *MOVES)  # ties go to the earlier link of the chain
    weakest = max(misses, key=lambda k: (misses[k], -order.index(k))) if misses else None
    practice = _practice(plan, results, scenarios, store)
    asked = {r.scenario_id for r in results}
    weak_pillars = {r.pillar for r in results if not r.passed}
    topics = {t for p in plan.style.pillars if p.id in weak_pillars for t in p.topics}
    labs = tuple(
        sorted(s.id for s in scenarios if s.lab is not None and (s.topic in topics or s.id in asked))
    )[:3]
    return LoopReport(
        loop_id=loop_id,
        company=plan.style.id,
        company_label=plan.style.label,
        started_at=started.isoformat(timespec="seconds"),
        seed=plan.seed,
        status=status,
        questions=tuple(results),
        pillars=tuple(pillars),
        empty_pillars=tuple(p.label for p in plan.empty_pillars),
        seconds_used=seconds_used,
        weakest_link=weakest,
        practice=practice,
        labs=labs,
    )


def _practice(
    plan: Plan, results: Sequence[QuestionResult], scenarios: Sequence[Scenario], store: ProgressStore
) -> tuple[str, ...]:
    """The questions failed here, then up to three unpassed scenarios from the pillars that failed."""
    failed = [r.scenario_id for r in results if not r.passed]
    asked = {r.scenario_id for r in results}
    passed_before = {a.scenario_id for a in store.attempts() if a.passed}
    weak = [p for p in plan.style.pillars if any(r.pillar == p.id and not r.passed for r in results)]
    extra: list[str] = []
    for pillar in weak:
        for s in scenarios:
            fits = s.topic in pillar.topics and s.kind in pillar.kinds
            if fits and s.id not in asked and s.id not in extra and s.id not in passed_before:
                extra.append(s.id)
                break
    return tuple(failed + extra[:3])

"""What the learner has mastered, what is due, and which translation link is weakest."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ._model import Scenario
from ._store import Attempt, LoopRow, ProgressStore

_LINKS = ("technical", "developer", "business", "product_last")
LEECH_FAILURES = 3  # a scenario failed this often is a leech: offer its hints, reference or lab


@dataclass(frozen=True)
class Mastery:
    name: str
    answered: int  # scenarios answered at least once
    total: int  # scenarios in the pack
    passed: int  # scenarios whose latest attempt passed
    mean_best: float  # mean of each answered scenario's best score


@dataclass(frozen=True)
class Progress:
    attempts: int
    topics: tuple[Mastery, ...]
    companies: tuple[Mastery, ...]
    due: tuple[tuple[str, datetime], ...]  # scenario id and due time, soonest first, due now or earlier
    upcoming: tuple[tuple[str, datetime], ...]  # not yet due
    link_rates: dict[str, float]  # share of attempts that reached each translation link
    weakest_link: str | None
    last_passed: dict[str, bool] = field(default_factory=dict)  # scenario id -> did its latest attempt pass
    leeches: tuple[tuple[str, int], ...] = ()  # scenario id and failures, for those failed LEECH_FAILURES+
    loops: tuple[LoopRow, ...] = ()  # past mock interview loops, oldest first


def _mastery(name: str, scenarios: Sequence[Scenario], attempts: Sequence[Attempt]) -> Mastery:
    ids = {s.id for s in scenarios}
    mine = [a for a in attempts if a.scenario_id in ids]
    best: dict[str, float] = {}
    latest: dict[str, bool] = {}
    for a in mine:
        best[a.scenario_id] = max(best.get(a.scenario_id, 0.0), a.score)
        latest[a.scenario_id] = a.passed
    mean = sum(best.values()) / len(best) if best else 0.0
    return Mastery(name, len(best), len(ids), sum(latest.values()), round(mean, 3))


def new_order(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """The order new scenarios arrive in: easiest level first, and within a level one topic after another
    (round robin over topics), so two scenarios of one topic never come back to back while others wait."""
    ordered: list[Scenario] = []
    for level in sorted({s.difficulty for s in scenarios}):
        by_topic: dict[str, list[Scenario]] = {}
        for s in sorted(scenarios, key=lambda s: (s.topic, s.id)):
            if s.difficulty == level:
                by_topic.setdefault(s.topic, []).append(s)
        queues = list(by_topic.values())
        while any(queues):
            for queue in queues:
                if queue:
                    ordered.append(queue.pop(0))
    return ordered


def next_scenario(
    scenarios: Sequence[Scenario],
    store: ProgressStore,
    now: datetime | None = None,
    skip: frozenset[str] = frozenset(),
    last_topic: str | None = None,
) -> Scenario | None:
    """Due reviews first (most overdue first), then new scenarios in :func:`new_order`, avoiding the
    topic just answered when another is waiting."""
    now = now or datetime.now(UTC)
    due = store.due()
    overdue = sorted(
        (d, s.id) for s in scenarios if (d := due.get(s.id)) is not None and d <= now and s.id not in skip
    )
    by_id = {s.id: s for s in scenarios}
    if overdue:
        return by_id[overdue[0][1]]
    fresh = [s for s in new_order(scenarios) if s.id not in due and s.id not in skip]
    if not fresh:
        return None
    lowest = fresh[0].difficulty
    return next((s for s in fresh if s.difficulty == lowest and s.topic != last_topic), fresh[0])


def summarise(scenarios: Sequence[Scenario], store: ProgressStore, now: datetime | None = None) -> Progress:
    now = now or datetime.now(UTC)
    attempts = store.attempts()
    topics = sorted({s.topic for s in scenarios})
    companies = sorted({c for s in scenarios for c in s.companies})
    due = sorted(store.due().items(), key=lambda item: item[1])
    rates = {
        link: (sum(getattr(a, link) for a in attempts) / len(attempts)) if attempts else 0.0
        for link in _LINKS
    }
    return Progress(
        attempts=len(attempts),
        topics=tuple(_mastery(t, [s for s in scenarios if s.topic == t], attempts) for t in topics),
        companies=tuple(_mastery(c, [s for s in scenarios if c in s.companies], attempts) for c in companies),
        due=tuple((sid, d) for sid, d in due if d <= now),
        upcoming=tuple((sid, d) for sid, d in due if d > now),
        link_rates={k: round(v, 3) for k, v in rates.items()},
        weakest_link=min(_LINKS, key=lambda k: rates[k]) if attempts else None,
        last_passed={a.scenario_id: a.passed for a in attempts},
        loops=tuple(store.loops()),
        leeches=tuple(
            (sid, n)
            for sid, n in sorted(Counter(a.scenario_id for a in attempts if not a.passed).items())
            if n >= LEECH_FAILURES
        ),
    )

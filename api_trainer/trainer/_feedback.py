"""Feedback a learner can act on: which gate failed, in words, and what to add, asked as a question about
this scenario (its own hints), never a rubric phrase to paste back."""

from __future__ import annotations

from . import _lexicon as lex
from ._model import Concept, Scenario
from ._moves import Moves, is_requirement
from ._reading import Reading
from ._text import Span, marker

_BUSINESS = tuple(marker(m) for m in (*lex.BUSINESS, "sla", "credit", "loss", "price", "bill"))
_DEVELOPER = tuple(marker(m) for m in (*lex.DEVELOPER, *lex.ACTORS))


def _hint_kind(hint: str) -> str:
    span = Span.of(hint)
    if any(span.find(m) >= 0 for m in _BUSINESS):
        return "business"
    if any(span.find(m) >= 0 for m in _DEVELOPER):
        return "developer"
    if is_requirement(span):
        return "requirements"
    return "technical"


class _Questions:
    """The scenario's hints by the kind of point they lead to, each asked at most once."""

    def __init__(self, scenario: Scenario) -> None:
        self.hints = [(_hint_kind(h), h) for h in scenario.hints]
        self.asked: set[str] = set()

    def ask(self, *kinds: str) -> str:
        for kind in kinds:
            for k, hint in self.hints:
                if k == kind and hint not in self.asked:
                    self.asked.add(hint)
                    return " Ask yourself: " + hint
        return ""


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def feedback_for(
    scenario: Scenario,
    reading: Reading,
    gates: tuple[str, ...],
    moves: Moves,
    hit: list[Concept],
    missed: list[Concept],
    buzz: int,
    hedging: int,
    passed: bool,
) -> list[str]:
    q = _Questions(scenario)
    out: list[str] = []
    if passed:
        out.append(
            "Strong: a clear decision, grounded in this scenario, taken through to the developer and the business."
        )
    if "prose" in gates:
        out.append(
            "Write it as an explanation: a list of terms says nothing about how one thing leads to the next "
            "(at least two real sentences)."
        )
    if reading.verdict == "wrong":
        if reading.unsafe and reading.evidence:
            claim = next(c.claim for c in scenario.unsafe if c.id == reading.unsafe[0])
            out.append(
                f"This sentence of yours argues an unsafe position: «{_short(reading.evidence)}» It reads as "
                f"saying that {claim[0].lower() + claim[1:]} Rethink that part."
            )
        else:
            option = scenario.option(reading.option or "") if reading.option else None
            out.append(
                "The contract you argue for is not the safe one here"
                + (f" ({option.id})." if option else ".")
                + q.ask("technical")
            )
    elif reading.verdict == "hedged":
        out.append(
            "Commit to one option: the answer weighs choices but never says which one you would ship, and why."
        )
    elif reading.verdict == "none":
        out.append(
            "Say which option you choose: I could not tell from your answer which contract you recommend."
        )
    elif reading.unclear and reading.option and reading.option not in scenario.acceptable:
        option = scenario.option(reading.option)
        out.append(
            f"You picked {reading.option if option is None else 'one option'}, but parts of your explanation read "
            "as arguing for another: say plainly which one you recommend."
        )
    if "grounding" in gates:
        out.append(
            "This could be said about any API: tie it to this scenario (its mechanism, its numbers, the people "
            "in it)." + q.ask("technical", "requirements")
        )
    if "technical" in gates:
        out.append("Name the mechanism you chose and what it does." + q.ask("technical"))
    if "developer" in gates:
        out.append(
            "Say what the integrating developer (or the user) sees, or no longer has to do."
            + q.ask("developer")
        )
    if "business" in gates:
        out.append(
            "Take it to the business: what it costs or earns, in tickets, revenue, risk or trust."
            + q.ask("business")
        )
    if "link" in gates:
        out.append(
            "Connect the steps: say how the mechanism leads to what the developer sees, and that to the business "
            "outcome (with 'so', 'which means', or an arrow)."
        )
    if "requirements" in gates:
        out.append(
            "Start from the requirements: the scale, the reliability target and the user problem, before the "
            "design." + q.ask("requirements")
        )
    if "coverage" in gates:
        kinds = [c.kind for c in missed] or ["technical"]
        out.append(
            f"Cover more of the ground: you made {len(hit)} of the {len(hit) + len(missed)} points a strong answer "
            "makes here." + q.ask(*kinds)
        )
    if not moves.trade_off:
        out.append("What are you giving up with this choice, and why is that acceptable here?")
    if not moves.instrumentation:
        out.append("How would you know it works: which number would you watch?")
    if "score" in gates and len(gates) == 1:
        out.append("Close to passing: the answer is thin; name a trade-off or the metric you would watch.")
    if "jargon" in gates:
        out.append(
            "Drop the buzzwords: this reads as a string of them. Say what the mechanism does and what changes for "
            "the developer and the business."
        )
    elif buzz:
        out.append("Drop the buzzwords: each one replaces a reason you could have given.")
    if hedging >= 2 and reading.verdict == "right":
        out.append("Fewer hedges: say what you would do and stand by it.")
    return out

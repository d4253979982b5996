"""The scenario-independent word lists the grader uses. Each list says *why* it exists."""

from __future__ import annotations

# Words that link a cause to its effect inside one sentence: the translation chain is linked by them.
CAUSAL = (
    "so",
    "so that",
    "because",
    "since",
    "which means",
    "that means",
    "this means",
    "meaning",
    "therefore",
    "as a result",
    "which lets",
    "which makes",
    "which keeps",
    "which cuts",
    "which protects",
    "which reduces",
    "which saves",
    "leads to",
    "lead to",
    "results in",
    "result in",
    "thus",
    "hence",
    "that way",
    "in turn",
    "thanks to",
    "so they",
    "so you",
    "so we",
    "means",
    "which protects",
    "which gives",
)

# Scenario-independent ways of saying "the integrating developer": translation.developer also counts these.
DEVELOPER = (
    "developer",
    "integrator",
    "integration",
    "integrating",
    "their code",
    "your code",
    "sdk",
    "engineer integrating",
    "their client",
    "your client",
    "their loop",
    "your loop",
    "their team",
    "your team",
)

# Scenario-independent business outcomes: translation.business and the product sentence also count these.
BUSINESS = (
    "revenue",
    "churn",
    "retention",
    "support ticket",
    "support load",
    "support cost",
    "conversion",
    "refund",
    "dispute",
    "chargeback",
    "trust",
    "merchant",
    "customer",
    "escalation",
    "time to integrate",
    "time to market",
    "sales",
    "renewal",
    "reputation",
    "adoption",
    "cost",
    "margin",
    "lost order",
    "abandon",
)

# Deferring without deciding. Sentences holding one of these never count as committing to an option.
HEDGES = (
    "it depends",
    "depends on",
    "either way",
    "pros and cons",
    "both options",
    "both sides",
    "both approaches",
    "hard to say",
    "no right answer",
    "case by case",
    "more data",
    "more research",
    "further analysis",
    "revisit",
    "before deciding",
    "not sure",
    "we could",
    "could consider",
    "might",
    "maybe",
    "perhaps",
    "possibly",
    "each have",
    "let the team decide",
    "up to the team",
    "gather more",
    "wait and see",
)

# Marketing words that carry no reasoning: each one lowers the score.
BUZZWORDS = (
    "synergy",
    "leverage",
    "best in class",
    "world class",
    "seamless",
    "next gen",
    "cutting edge",
    "game changer",
    "paradigm",
    "holistic",
    "frictionless",
    "cloud native",
    "empower",
    "unlock",
    "delight",
    "best of breed",
    "disrupt",
    "10x",
)

# Naming a trade-off, and saying why it is acceptable (the second list, in the same or the next sentence).
TRADE_OFF = (
    "trade off",
    "tradeoff",
    "the cost is",
    "downside",
    "at the expense",
    "in exchange",
    "we give up",
    "we lose",
    "you lose",
    "the price",
    "the catch",
    "drawback",
    "costs us",
    "the risk is",
    "the con is",
    "you give up",
    "pay for it",
    "we trade",
    "at the cost of",
    "the price is",
)
ACCEPTABLE = (
    "acceptable",
    "worth",
    "outweigh",
    "cheaper",
    "cheap",
    "small price",
    "fine because",
    "justified",
    "which is ok",
    "a price worth",
    "we accept",
    "i accept",
    "affordable",
    "negligible",
)

# Closing on how the design is measured.
INSTRUMENT = (
    "metric",
    "measure",
    "track",
    "monitor",
    "dashboard",
    "alert",
    "instrument",
    "watch the",
    "watch",
    "p99",
    "p95",
    "slo",
    "slos",
    "error budget",
    "success looks like",
    "alert on",
)

# Soft modals: a sentence carrying an unsafe claim with one of these floats the claim instead of asserting
# it ("better docs could be enough"); the answer hedges unless it asserts the claim plainly elsewhere.
SOFT_MODALS = ("could", "might", "maybe", "perhaps", "possibly")

# A claim stated as a consequence to avoid is not the learner asserting it: after the claim,
# "raising retries would make this worse", "a vague 400 is worse", "requiring it would fail pipelines".
CONSEQUENCE_AFTER = ("worse", "would fail", "would break", "would hurt")
# ... and before it, a reason frame: "which is why scripts regex the message".
REASON_BEFORE = ("is why", "that s why")

# Requirements and estimates surfaced before a design.
REQUIREMENTS = (
    "requirement",
    "first i would ask",
    "first i'd ask",
    "clarify",
    "assume",
    "assuming",
    "constraint",
    "how many",
    "what volume",
    "peak",
    "per second",
    "tps",
    "qps",
    "budget",
    "before choosing",
    "before designing",
    "we need to know",
    "estimate",
    "back of the envelope",
    "target",
    "given that",
)

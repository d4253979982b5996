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
    "which avoids",
    "which prevents",
    "would then",  # "developers would then see a clean 409"
    "will then",
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

# In a sentence that also hedges, an option named in passing ("an in-memory cache is fast, but it depends")
# commits the answer only in a clause that carries one of these, or opens with an imperative verb.
COMMITMENT = (
    "we should",
    "we must",
    "we will",
    "i would",
    "i d",
    "i will",
    "i recommend",
    "recommend",
    "i choose",
    "choose",
    "go with",
    "let s",
    "the right call",
    "the right choice",
    "make the contract",
    "require",
    "we ship",
    "ship",
    "pick",
    "use",
    "keep",
    "my decision",
    "decide",
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
    "costs",  # "it costs one extra API call"
    "there is a cost",
    "a cost",
    "one extra",
    "an extra",
    "overhead",
    "worse looking",
    "looks worse",
)
# A cost clause counts as a trade-off only when an acceptance marker follows it (in the same sentence, after
# it, or in the next sentence): "it adds a lookup on the error path, but that is cheap", "a few extra requests,
# which is acceptable", "launch slips by a week, a price worth paying". Alone, these words name no trade-off.
COST = (
    "adds",
    "add a",
    "extra",
    "slower",
    "more work",
    "more storage",
    "more expensive",
    "slips",
    "pay for",
    "we pay",
    "delays",
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
    "worth it",
    "cheap price",
    "it is cheap",
    "it s cheap",
    "a fair price",
    "fair price",
    "we can live with",
    "insurance",  # "which is cheap insurance"
    "is fine",
    "fine with",  # "which I'm fine with"
    "fine for",
    "are fine",
    "price worth",
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
    "keep an eye on",
)
# Metric closes said without a metric word, as regular expressions over the normalised sentence: "the number I
# would report to you every month", "compare the exported count with ours", "the rate we track".
INSTRUMENT_PATTERNS = (
    r"\b(?:number|figure|count|rate|ratio|percentage|share)s?\s+(?:that\s+)?(?:i|we)\s+(?:would\s+|will\s+|d\s+)?"
    r"(?:watch|report|track|check|chart|review|look at)",
    r"\bcompare\b(?:\s+\S+){0,4}?\s+(?:count|number|total|rate|figure)s?\b",
    r"\b(?:report|review|chart)\w*\b(?:\s+\S+){0,5}?\s+(?:every|each|per|a)\s+(?:day|week|month|quarter)\b",
)

# Soft modals: a sentence carrying an unsafe claim with one of these floats the claim instead of asserting
# it ("better docs could be enough"); the answer hedges unless it asserts the claim plainly elsewhere.
SOFT_MODALS = ("could", "might", "maybe", "perhaps", "possibly")

# A claim stated as a consequence to avoid is not the learner asserting it: after the claim,
# "raising retries would make this worse", "a vague 400 is worse", "requiring it would fail pipelines".
CONSEQUENCE_AFTER = ("worse", "would fail", "would break", "would hurt")
# ... or by "would" and a verb of damage: "retrying forever would hammer dead endpoints", "waiting for the next
# version would cost five months" (not "would work", "would deliver": those vouch for the claim).
CONSEQUENCE_VERBS = (
    "hammer",
    "cost",
    "hide",
    "mask",
    "delay",
    "postpone",
    "lose",
    "leak",
    "flood",
    "overload",
    "waste",
    "burn",
    "double",
    "strand",
    "miss",
    "expose",
    "break",
    "fail",
    "hurt",
    "block",
    "punish",
    "confuse",
    "annoy",
    "kill",
    "swamp",
    "spam",
    "stall",
    "trap",
    "stop",  # "every integration would quietly stop at the first page"
    "cap",
    "leave",  # "would leave holes in their ledger"
    "drop",
    "truncate",
    "corrupt",
    "duplicate",
)
# ... or by "only"/"just" and a verb that belittles it: "increasing the timeout only moves the wall" (not
# "only costs a little": that vouches for it).
DIMINISHING = ("only", "just", "merely")
DIMINISHED_VERBS = ("move", "shift", "push", "defer", "delay", "hide", "mask", "postpone", "paper over")
# ... or conceded right before a contrast clause: "following redirects sounds convenient, but it could send ...".
CONCESSION_AFTER = ("sound", "sounds", "seem", "seems", "look", "looks", "is tempting", "feels", "appeals")
# Speech attributed to someone else is not the learner's claim: "the team says ...", "some would argue ...".
# The first-person forms ("I would argue", "we think") stay the learner's.
ATTRIBUTION = (
    "say",
    "says",
    "said",
    "claim",
    "claims",
    "argue",
    "argues",
    "insist",
    "insists",
    "believe",
    "believes",
    "think",
    "thinks",
    "according to",
    "told us",
    "tell us",
)
# A deontic modal right before the verb prescribes, it reports no one: "the contract should say that ...".
PRESCRIBING = ("should", "must", "shall", "need to", "needs to", "has to", "have to", "ought to")
# ... unless the learner endorses it in the same sentence: "the team says X, and they are right".
ENDORSEMENT = ("i agree", "we agree", "they are right", "he is right", "she is right", "rightly", "correctly")
FIRST_PERSON = ("i", "we", "me", "us", "my", "our")
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
    "assumption",  # stems apart from "assume": "my assumptions"
    "the numbers",  # "first the numbers"
)
# With a number and a unit in the first half of a design answer, these frame it as requirements:
# "Given 40,000 exports a day", "At 10,000 TPS and 99.99%", "The scale: 40 teams ...".
REQUIREMENT_FRAMES = (
    "given",
    "scale",
    "volume",
    "load",
    "traffic",
    "numbers",
    "assume",
    "assumption",
    "expect",
    "per second",  # "10,000 payments a second", "3 million exports daily"
    "a second",
    "daily",
)
UNITS = (
    "a day",
    "per day",
    "daily",
    "a second",
    "per second",
    "an hour",
    "per hour",
    "a month",
    "per month",
    "a year",
    "tps",
    "qps",
    "rps",
    "ms",
    "seconds",
    "minutes",
    "hours",
    "days",
    "gb",
    "tb",
    "mb",
    "kb",
    "requests",
    "events",
    "exports",
    "teams",
    "customers",
    "merchants",
    "users",
    "calls",
    "writes",
    "reads",
    "rows",
    "jobs",
    "accounts",
    "tenants",
    "messages",
    "deliveries",
    "payments",
    "charges",
    "webhooks",
    "million",
    "billion",
    "thousand",
    "percent",
    "x",
)

# What fails and what degrades: the fault-tolerance story (Amazon's loop asks for it on every design).
FAILURE_MODE = (
    "degrade",
    "graceful",
    "fallback",
    "fall back",
    "failover",
    "fail over",
    "outage",
    "when it fails",
    "if it fails",
    "goes down",
    "is down",
    "read only",
    "circuit breaker",
    "shed load",
    "load shedding",
)

"""The progress store: SQLite in WAL mode, one transaction per answered scenario.

A killed terminal loses nothing already answered: every attempt and its FSRS card are committed together
before the next scenario is shown. Two ``train`` processes on one database merge: a review is applied to the
card as stored under the write lock, so neither overwrites the other's.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from fsrs import Card

from ..errors import ProgressStoreError
from ._model import Scenario
from ._schedule import new_card, rating_for, review

if TYPE_CHECKING:  # the grader is imported when an answer is graded, not to show the first prompt
    from ._grader import Grade

ENV_DB = "API_TRAINER_DB"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS cards (
    scenario_id TEXT PRIMARY KEY,
    card TEXT NOT NULL,
    due TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    companies TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    choice TEXT,
    decision TEXT NOT NULL,
    score REAL NOT NULL,
    passed INTEGER NOT NULL,
    technical INTEGER NOT NULL,
    developer INTEGER NOT NULL,
    business INTEGER NOT NULL,
    product_last INTEGER NOT NULL,
    hints_used INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    answer TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS loops (
    id INTEGER PRIMARY KEY,
    company TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    seed INTEGER NOT NULL,
    status TEXT NOT NULL,
    report TEXT
);
CREATE TABLE IF NOT EXISTS loop_answers (
    id INTEGER PRIMARY KEY,
    loop_id INTEGER NOT NULL REFERENCES loops(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    scenario_id TEXT NOT NULL,
    pillar TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL DEFAULT '',
    seconds REAL NOT NULL DEFAULT 0,
    timed_out INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'typing',
    passed INTEGER,
    score REAL,
    grade TEXT,
    saved_at TEXT NOT NULL
);
"""


def default_db_path() -> Path:
    """``$API_TRAINER_DB`` if set, else ``progress.sqlite3`` in the user's data directory."""
    override = os.environ.get(ENV_DB)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("api-trainer", appauthor=False)) / "progress.sqlite3"


@dataclass(frozen=True)
class Attempt:
    scenario_id: str
    topic: str
    companies: tuple[str, ...]
    answered_at: str
    choice: str | None
    decision: str
    score: float
    passed: bool
    technical: bool
    developer: bool
    business: bool
    product_last: bool
    hints_used: int
    rating: int


@dataclass(frozen=True)
class LoopRow:
    id: int
    company: str
    started_at: str
    status: str  # running | finished | out-of-time | quit (running: the terminal died mid-loop)
    questions: int  # main answers saved
    passed: int
    weakest_link: str | None


class ProgressStore:
    """Open with ``ProgressStore(path)``; use as a context manager to close it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_db_path()
        chosen = path is not None or bool(os.environ.get(ENV_DB))
        if chosen and not self.path.parent.is_dir():
            # A database the user named goes where they said; a typo in its folder must not create folders.
            raise ProgressStoreError(
                f"{self.path}: the folder {self.path.parent} does not exist (create it, or choose another --db)"
            )
        try:
            if not chosen:  # the user data directory is ours to create
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ProgressStoreError(f"{self.path}: cannot open the progress database: {exc}") from None

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def card(self, scenario_id: str) -> Card | None:
        stored = self._card_json(scenario_id)
        return Card.from_json(stored) if stored else None

    def _card_json(self, scenario_id: str) -> str | None:
        row = self._db.execute("SELECT card FROM cards WHERE scenario_id = ?", (scenario_id,)).fetchone()
        return str(row[0]) if row else None

    def due(self) -> dict[str, datetime]:
        """Scenario id to due time, for every scenario answered at least once."""
        return {
            sid: datetime.fromisoformat(due)
            for sid, due in self._db.execute("SELECT scenario_id, due FROM cards")
        }

    def record(
        self,
        scenario: Scenario,
        grade: Grade,
        answer: str,
        *,
        hints_used: int = 0,
        when: datetime | None = None,
        first_choice: str | None = None,
    ) -> Card:
        """Store the attempt and move the scenario's FSRS card, in one transaction. ``first_choice`` is the
        option picked before the feedback when the explanation was graded on its own (a wrong first pick)."""
        when = when or datetime.now(UTC)
        choice = first_choice if first_choice is not None else grade.choice
        rating = rating_for(grade, hints_used, first_choice_right=first_choice in (None, scenario.right))
        seen = self._card_json(scenario.id)
        card = review(Card.from_json(seen) if seen else new_card(), rating, when)
        t = grade.translation
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                # Another `train` on the same database may have reviewed this scenario since we read its
                # card: build on what is stored now, under the write lock, so no review is lost.
                fresh = self._card_json(scenario.id)
                if fresh != seen:
                    card = review(Card.from_json(fresh) if fresh else new_card(), rating, when)
                self._db.execute(
                    "INSERT INTO attempts (scenario_id, topic, companies, answered_at, choice, decision, score,"
                    " passed, technical, developer, business, product_last, hints_used, rating, answer)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        scenario.id, scenario.topic, json.dumps(list(scenario.companies)), when.isoformat(),
                        choice, grade.decision, grade.score, grade.passed, t.technical, t.developer,
                        t.business, grade.moves.product_close, hints_used, int(rating), answer,
                    ),
                )  # fmt: skip
                self._db.execute(
                    "INSERT INTO cards (scenario_id, card, due) VALUES (?, ?, ?)"
                    " ON CONFLICT(scenario_id) DO UPDATE SET card = excluded.card, due = excluded.due",
                    (scenario.id, card.to_json(), card.due.isoformat()),
                )
        except sqlite3.Error as exc:
            raise ProgressStoreError(f"{self.path}: cannot save progress: {exc}") from None
        return card

    def failures(self, scenario_id: str) -> int:
        """Failed attempts of one scenario (a wrong pick fails its attempt)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM attempts WHERE scenario_id = ? AND passed = 0", (scenario_id,)
        ).fetchone()
        return int(row[0])

    def attempts(self) -> list[Attempt]:
        rows = self._db.execute(
            "SELECT scenario_id, topic, companies, answered_at, choice, decision, score, passed, technical,"
            " developer, business, product_last, hints_used, rating FROM attempts ORDER BY id"
        ).fetchall()
        return [
            Attempt(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], r[5], r[6], bool(r[7]), bool(r[8]),
                    bool(r[9]), bool(r[10]), bool(r[11]), r[12], r[13])
            for r in rows
        ]  # fmt: skip

    # Mock interview loops. Each call is one statement in autocommit mode, so each is its own transaction:
    # a draft line, a finished answer, a finished loop are each on disk before the next prompt.

    def _write(self, sql: str, params: tuple[Any, ...]) -> int:
        try:
            cursor = self._db.execute(sql, params)
        except sqlite3.Error as exc:
            raise ProgressStoreError(f"{self.path}: cannot save the interview: {exc}") from None
        return int(cursor.lastrowid or 0)

    def start_loop(self, company: str, seed: int, when: datetime) -> int:
        return self._write(
            "INSERT INTO loops (company, started_at, seed, status) VALUES (?, ?, ?, 'running')",
            (company, when.isoformat(), seed),
        )

    def start_answer(
        self,
        loop_id: int,
        position: int,
        kind: str,
        scenario_id: str,
        pillar: str,
        question: str,
        when: datetime,
    ) -> int:
        return self._write(
            "INSERT INTO loop_answers (loop_id, position, kind, scenario_id, pillar, question, saved_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (loop_id, position, kind, scenario_id, pillar, question, when.isoformat()),
        )

    def save_draft(self, row: int, text: str, seconds: float) -> None:
        self._write("UPDATE loop_answers SET answer = ?, seconds = ? WHERE id = ?", (text, seconds, row))

    def finish_answer(
        self, row: int, text: str, seconds: float, timed_out: bool, passed: bool, score: float, grade: str
    ) -> None:
        self._write(
            "UPDATE loop_answers SET answer = ?, seconds = ?, timed_out = ?, status = 'answered', passed = ?,"
            " score = ?, grade = ? WHERE id = ?",
            (text, seconds, timed_out, passed, score, grade, row),
        )

    def finish_loop(self, loop_id: int, status: str, report: str, when: datetime) -> None:
        self._write(
            "UPDATE loops SET status = ?, report = ?, finished_at = ? WHERE id = ?",
            (status, report, when.isoformat(), loop_id),
        )

    def loops(self) -> list[LoopRow]:
        rows = self._db.execute(
            "SELECT l.id, l.company, l.started_at, l.status, l.report,"
            " (SELECT COUNT(*) FROM loop_answers a WHERE a.loop_id = l.id AND a.kind = 'answer' AND a.status = 'answered'),"
            " (SELECT COUNT(*) FROM loop_answers a WHERE a.loop_id = l.id AND a.kind = 'answer' AND a.passed = 1)"
            " FROM loops l ORDER BY l.id"
        ).fetchall()
        out = []
        for r in rows:
            report = json.loads(r[4]) if r[4] else {}
            out.append(LoopRow(r[0], r[1], r[2], r[3], r[5], r[6], report.get("weakest_link")))
        return out

    def loop_answers(self, loop_id: int) -> list[dict[str, Any]]:
        cursor = self._db.execute(
            "SELECT position, kind, scenario_id, pillar, question, answer, seconds, timed_out, status, passed,"
            " score FROM loop_answers WHERE loop_id = ? ORDER BY id",
            (loop_id,),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def export(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "attempts": [a.__dict__ | {"companies": list(a.companies)} for a in self.attempts()],
            "cards": {
                sid: json.loads(card) for sid, card in self._db.execute("SELECT scenario_id, card FROM cards")
            },
            "loops": [loop.__dict__ | {"answers": self.loop_answers(loop.id)} for loop in self.loops()],
        }

    def reset(self) -> None:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM attempts")
            self._db.execute("DELETE FROM cards")
            self._db.execute("DELETE FROM loop_answers")
            self._db.execute("DELETE FROM loops")


def write_json_atomically(path: Path, data: object) -> None:
    """Write to a temporary file beside ``path`` and ``os.replace`` it: a reader never sees half a file."""
    write_text_atomically(path, json.dumps(data, indent=2, sort_keys=True) + "\n", what="export")


def write_text_atomically(path: Path, text: str, what: str = "file") -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise ProgressStoreError(f"{path}: cannot write the {what}: {exc.strerror}") from None

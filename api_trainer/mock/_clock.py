"""The mock's clock: real time, scaled and shifted, so a learner can watch a key expire or a retry fire.

``POST /_mock/clock {"advance_seconds": N}`` moves it forward; a time scale (the data-platform mock's runs
progress faster than wall time) multiplies the real seconds that pass. Listeners hear every advance, so a
scheduler waiting for the next webhook retry can wake up at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["MockClock"]


class MockClock:
    def __init__(self, *, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.time_scale = time_scale
        self._lock = threading.Lock()
        self._start_wall = time.time()
        self._start_mono = time.monotonic()
        self._offset = 0.0
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        """Seconds since the epoch, on the mock's clock."""
        elapsed = (time.monotonic() - self._start_mono) * self.time_scale
        return self._start_wall + elapsed + self._offset

    def now_int(self) -> int:
        return int(self.now())

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0

    def on_advance(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._listeners.append(listener)

    def as_json(self) -> dict[str, Any]:
        now = self.now()
        return {
            "now": int(now),
            "iso": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "offset_seconds": self._offset,
            "time_scale": self.time_scale,
        }

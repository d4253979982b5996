from __future__ import annotations

import threading
from pathlib import Path

import pytest

from api_trainer.errors import ServerStartError
from api_trainer.mock import IdempotencyLayer, MockClock, Store, StoredResult, fingerprint


def test_pages_are_newest_first_with_cursors() -> None:
    store = Store()
    for n in range(5):
        store.put("acct", "customer", {"id": f"cus_{n}"})
    first = store.page("acct", "customer", limit=2)
    assert first is not None and [o["id"] for o in first.items] == ["cus_4", "cus_3"] and first.has_more
    after = store.page("acct", "customer", limit=2, starting_after="cus_3")
    assert after is not None and [o["id"] for o in after.items] == ["cus_2", "cus_1"] and after.has_more
    before = store.page("acct", "customer", limit=2, ending_before="cus_1")
    assert before is not None and [o["id"] for o in before.items] == ["cus_3", "cus_2"] and before.has_more
    assert store.page("acct", "customer", limit=2, starting_after="cus_nope") is None
    assert store.page("other", "customer", limit=10) == type(first)([], False)


def test_a_failed_transaction_leaves_nothing() -> None:
    store = Store()
    try:
        with store.transaction():
            store.put("a", "customer", {"id": "cus_1"})
            raise RuntimeError("crash mid-request")
    except RuntimeError:
        pass
    assert store.get("a", "customer", "cus_1") is None


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    store = Store(path)
    store.put("a", "customer", {"id": "cus_1", "email": "x@y.z"})
    store.close()
    again = Store(path)
    assert again.get("a", "customer", "cus_1") == {"id": "cus_1", "email": "x@y.z"}
    again.put("a", "customer", {"id": "cus_2"})
    assert [o["id"] for o in again.all("a", "customer")] == ["cus_2", "cus_1"]


def test_idempotency_outcomes_and_pruning() -> None:
    clock = MockClock()
    layer = IdempotencyLayer(Store(), clock)
    same = fingerprint("POST", "/v1/customers", {"email": "a"})
    other = fingerprint("POST", "/v1/customers", {"email": "b"})
    assert layer.begin("a", "k", "POST", "/v1/customers", same).outcome == "new"
    assert layer.begin("a", "k", "POST", "/v1/customers", same).outcome == "in_flight"
    layer.finish("a", "k", StoredResult(402, b'{"error": {}}', "req_1"))
    replay = layer.begin("a", "k", "POST", "/v1/customers", same)
    assert replay.outcome == "replay" and replay.stored == StoredResult(402, b'{"error": {}}', "req_1")
    assert layer.begin("a", "k", "POST", "/v1/customers", other).outcome == "mismatch"
    assert layer.begin("b", "k", "POST", "/v1/customers", other).outcome == "new"  # keys are per account
    clock.advance(24 * 3600 + 1)
    assert layer.begin("a", "k", "POST", "/v1/customers", other).outcome == "new"


def test_store_is_safe_across_threads() -> None:
    store = Store()

    def work(n: int) -> None:
        for i in range(50):
            store.put("a", "thing", {"id": f"t_{n}_{i}"})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert store.count("a", "thing") == 200


def test_one_store_per_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    first = Store(path)
    with pytest.raises(ServerStartError, match=r"state\.sqlite is in use by another mock \(pid \d+\)"):
        Store(path)
    first.close()
    Store(path).close()  # the lock goes with the store that held it

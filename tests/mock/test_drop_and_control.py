"""The generic engine served for real: a connection drop is a transport error, control routes work."""

from __future__ import annotations

import socket

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api_trainer.errors import ServerStartError
from api_trainer.mock import (
    DROP_BEFORE_COMMIT,
    BackgroundServer,
    FaultEngine,
    FaultRegistry,
    MockClock,
    MockRuntime,
    Store,
    bind_socket,
    control_router,
    drop_connection,
)


def make_app() -> FastAPI:
    runtime = MockRuntime(Store(), MockClock(), FaultEngine(FaultRegistry([DROP_BEFORE_COMMIT])))
    app = FastAPI()
    app.include_router(control_router(runtime))

    @app.get("/thing")
    def thing(request: Request) -> JSONResponse:
        if request.headers.get("x-drop") and drop_connection(request.scope):
            return JSONResponse({"never": "sent"})
        return JSONResponse({"ok": True})

    return app


def test_drop_is_a_transport_error_and_the_server_keeps_serving() -> None:
    with BackgroundServer(make_app()).running() as server, httpx.Client(base_url=server.base_url) as client:
        assert client.get("/thing").json() == {"ok": True}
        with pytest.raises(httpx.TransportError):
            client.get("/thing", headers={"x-drop": "1"})
        assert client.get("/thing").json() == {"ok": True}


def test_control_routes() -> None:
    with BackgroundServer(make_app()).running() as server, httpx.Client(base_url=server.base_url) as client:
        created = client.post(
            "/_mock/faults", json={"fault": "drop-before-commit", "match": {"path": "/x/*"}}
        )
        assert created.status_code == 201 and created.json()["id"]
        assert [r["id"] for r in client.get("/_mock/faults").json()["data"]] == [created.json()["id"]]
        bad = client.post("/_mock/faults", json={"fault": "drop-before-commit", "probability": -1})
        assert bad.status_code == 400 and bad.json()["error"]["field"] == "probability"
        assert client.delete(f"/_mock/faults/{created.json()['id']}").status_code == 200
        assert client.delete(f"/_mock/faults/{created.json()['id']}").status_code == 404
        before = client.get("/_mock/clock").json()["now"]
        after = client.post("/_mock/clock", json={"advance_seconds": 3600}).json()["now"]
        assert after - before >= 3600
        assert client.post("/_mock/clock", json={"advance_seconds": "soon"}).status_code == 400
        malformed = client.post(
            "/_mock/clock", content=b"{nope", headers={"Content-Type": "application/json"}
        )
        assert malformed.status_code == 400


def test_port_in_use_is_one_clear_error() -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        with pytest.raises(ServerStartError, match="already in use"):
            bind_socket("127.0.0.1", holder.getsockname()[1])
    finally:
        holder.close()

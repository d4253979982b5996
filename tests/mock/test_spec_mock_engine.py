"""The spec mock's parts: generated values, the official stripe client on a bundled spec, probe, seeds."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import stripe

from api_trainer.mock import BackgroundServer, SpecMock, SpecMockConfig
from api_trainer.mock._generate import Generator
from api_trainer.specs import Spec, load_spec

from ..conftest import CliResult
from .spec_cli import FIXTURES, spec_mock

SCHEMAS: dict[str, Any] = {
    "User": {
        "type": "object",
        "required": ["id", "email"],
        "properties": {
            "id": {"type": "string", "format": "uuid", "readOnly": True},
            "email": {"type": "string", "format": "email"},
            "password": {"type": "string", "writeOnly": True},
            "created": {"type": "string", "format": "date-time"},
            "age": {"type": "integer", "minimum": 18, "maximum": 21},
            "score": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "role": {"type": "string", "enum": ["admin", "member"]},
            "nick": {"type": "string", "minLength": 3, "maxLength": 5},
            "tags": {"type": "array", "minItems": 2, "items": {"type": "string"}},
            "manager": {"$ref": "#/components/schemas/User"},
            "note": {"type": ["string", "null"], "example": "hello"},
        },
    }
}


def spec_of(version: str = "3.1.0") -> Spec:
    document = {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}
    document["components"] = {"schemas": SCHEMAS}
    return Spec(document, source="test")


def generate(direction: str = "response", *, seed: int = 1, dynamic: bool = False) -> Any:
    generator = Generator(spec_of(), random.Random(seed), direction=direction, dynamic=dynamic)  # type: ignore[arg-type]
    return generator.value({"$ref": "#/components/schemas/User"})


def test_generated_values_honour_formats_bounds_enums_and_read_write_only() -> None:
    user = generate()
    assert re.fullmatch(r"[0-9a-f-]{36}", user["id"]) and "@" in user["email"]
    assert "password" not in user  # writeOnly: never in a response
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", user["created"])
    assert 18 <= user["age"] <= 21 and 0 < user["score"] <= 1
    assert user["role"] == "admin" and 3 <= len(user["nick"]) <= 5 and len(user["tags"]) == 2
    assert user["note"] == "hello"  # the schema's example wins over generation
    assert isinstance(user["manager"], dict)  # a recursive schema stops, it does not loop
    request = generate("request")
    assert "id" not in request and "password" in request  # readOnly: never in a request body


def test_generation_is_deterministic_for_a_seed() -> None:
    assert generate(seed=3, dynamic=True) == generate(seed=3, dynamic=True)
    assert generate(seed=3, dynamic=True) != generate(seed=4, dynamic=True)
    drawn = {generate(seed=seed, dynamic=True)["role"] for seed in range(20)}
    assert drawn == {"admin", "member"}  # dynamic draws from the enum, static takes its first value


def test_the_official_stripe_client_round_trips_on_the_generic_mock_of_a_bundled_spec() -> None:
    reference = ("spec", "payments", "--api-version", "2023-08-16", "--idempotency-header", "Idempotency-Key")
    with spec_mock(*reference, "--quiet") as (url, banner):
        assert "(payments@2023-08-16)" in banner[0]
        client = stripe.StripeClient("sk_test_generic", base_addresses={"api": url})
        customers = client.v1.customers
        created = customers.create(params={"email": "ada@example.com", "metadata": {"k": "v"}})
        assert created.object == "customer" and created.email == "ada@example.com"
        assert created.metadata.to_dict() == {"k": "v"}
        assert customers.retrieve(created.id).email == "ada@example.com"
        assert customers.update(created.id, params={"name": "Ada"}).name == "Ada"
        second = customers.create(params={"email": "bob@example.com"})
        paged = [c.id for c in customers.list(params={"limit": 1}).auto_paging_iter()]
        assert paged == [created.id, second.id]  # has_more and starting_after, as the spec names them
        deleted = customers.delete(created.id)
        assert deleted.deleted is True and deleted.id == created.id
        with pytest.raises(stripe.InvalidRequestError):
            customers.retrieve(created.id)
        with pytest.raises(stripe.InvalidRequestError, match="unknown parameter: bogus"):
            customers.create(params={"bogus": "1"})  # type: ignore[typeddict-unknown-key]
        keys = [e["idempotency_key"] for e in httpx.get(url + "/_mock/requests").json()["data"]]
        assert any(keys)  # stripe-python's automatic Idempotency-Key on POST is honoured
        rule = {
            "match": {"method": "POST", "path": "/v1/customers"},
            "fault": "drop-after-commit",
            "times": 1,
        }
        assert httpx.post(url + "/_mock/faults", json=rule).status_code == 201
        before = len(customers.list(params={"limit": 100}).data)
        retried = stripe.StripeClient(
            "sk_test_generic", base_addresses={"api": url}, max_network_retries=2
        ).v1.customers.create(params={"email": "once@example.com"})
        assert len(customers.list(params={"limit": 100}).data) == before + 1  # the retry replayed
        posts = [e for e in httpx.get(url + "/_mock/requests").json()["data"] if e["method"] == "POST"]
        assert [(e["status"], e["replayed"]) for e in posts[-2:]] == [(None, False), (200, True)]
        assert customers.retrieve(retried.id).email == "once@example.com"


def test_seeded_mocks_answer_dynamic_requests_alike() -> None:
    spec = load_spec(str(FIXTURES / "petstore-expanded-3.0.yaml"))
    bodies = []
    for _ in range(2):
        mock = SpecMock(spec, SpecMockConfig(seed=11))
        with BackgroundServer(mock.app).running() as server:
            answer = httpx.get(server.base_url + "/pets", headers={"Prefer": "dynamic=true"}, timeout=10)
            bodies.append(answer.json())
    assert bodies[0] == bodies[1] and bodies[0]


def test_probe_works_against_the_spec_mock(run_cli: Callable[..., CliResult]) -> None:
    with spec_mock(str(FIXTURES / "petstore-expanded-3.0.yaml"), "--quiet") as (url, _):
        result = run_cli("probe", "GET", "/pets", "--base-url", url, "--fault", "status-503", "--json")
    assert result.exit_code == 0, result.stdout
    assert '"status": 503' in result.stdout and '"status": 200' in result.stdout


def test_a_bad_spec_file_is_one_line_and_exit_2(run_cli: Callable[..., CliResult], tmp_path: Any) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: {responses: {'200': {$ref: '#/nowhere'}}}}\n"
    )
    result = run_cli("mock", str(broken), "--port", "0")
    assert result.exit_code == 2 and "nowhere" in result.stderr and "Traceback" not in result.stderr
    missing = run_cli("mock", str(tmp_path / "absent.yaml"), "--port", "0")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


UPLOAD_SPEC = """
openapi: 3.1.0
info: {title: uploads, version: "1"}
paths:
  /files:
    post:
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [purpose, file]
              properties:
                purpose: {type: string, enum: [avatar, invoice]}
                pages: {type: integer, minimum: 1}
                file: {type: string, format: binary}
      responses:
        "201":
          description: stored
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
                  purpose: {type: string}
                  pages: {type: integer}
"""


def test_multipart_bodies_are_decoded_and_checked(tmp_path: Any) -> None:
    path = tmp_path / "uploads.yaml"
    path.write_text(UPLOAD_SPEC)
    mock = SpecMock(load_spec(str(path)))
    with BackgroundServer(mock.app).running() as server, httpx.Client(base_url=server.base_url) as client:
        files = {"file": ("a.png", b"\x89PNG\r\n", "image/png")}
        stored = client.post("/files", data={"purpose": "avatar", "pages": "2"}, files=files)
        assert stored.status_code == 201 and stored.json()["purpose"] == "avatar"
        assert stored.json()["pages"] == 2  # the part's text coerced to the declared integer
        wrong = client.post("/files", data={"purpose": "selfie"}, files=files)
        assert wrong.status_code == 400 and "purpose" in wrong.json()["detail"]
        missing = client.post("/files", files={"purpose": (None, b"avatar")})
        assert missing.status_code == 400 and missing.json()["detail"] == "Missing required param: file."
        unknown = client.post("/files", data={"purpose": "avatar"}, files={"other": ("x", b"1")})
        assert unknown.status_code == 400 and unknown.json()["detail"] == "Received unknown parameter: other"


def test_api_version_only_names_a_version_of_a_bundled_api(run_cli: Callable[..., CliResult]) -> None:
    spec = str(FIXTURES / "petstore-expanded-3.0.yaml")
    result = run_cli("mock", spec, "--api-version", "2", "--port", "0")
    assert result.exit_code == 2 and "only with a bundled API name" in result.stderr


def test_state_file_and_startup_faults_on_the_spec_mock(tmp_path: Any) -> None:
    spec = str(FIXTURES / "petstore-expanded-3.0.yaml")
    state = tmp_path / "pets.sqlite"
    rules = tmp_path / "faults.yaml"
    rules.write_text('- match: {method: GET, path: "/pets"}\n  fault: status-503\n  times: 1\n')
    with spec_mock(spec, "--state", str(state), "--faults", str(rules), "--quiet") as (url, banner):
        assert any("faults: 1 rule(s)" in line for line in banner)
        assert httpx.get(url + "/pets", timeout=10).status_code == 503  # the startup rule, once
        pet = httpx.post(url + "/pets", json={"name": "Kept"}, timeout=10).json()
    with spec_mock(spec, "--state", str(state), "--quiet") as (url, _):
        assert httpx.get(f"{url}/pets/{pet['id']}", timeout=10).json() == pet  # survived the restart
        again = httpx.post(url + "/pets", json={"name": "Next"}, timeout=10).json()
        assert again["id"] == pet["id"] + 1  # the id counter is kept too

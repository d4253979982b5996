"""``api-trainer mock FILE`` on three real public OpenAPI documents of different shapes, with httpx.

The documents are in ``fixtures/public`` (sources and licences in ``SOURCE.md`` there): the OAI Petstore
(3.0.0, ``default`` error shape, integer ids), the Redocly Museum (3.1.0, global HTTP basic auth, uuid ids
named ``eventId``, PATCH, 204 deletes, named examples) and the Swagger Petstore 3 (3.0.4, per-operation
apiKey/OAuth 2, JSON/XML/form bodies, ``PUT /pet`` with the id in the body, users keyed by ``username``).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from .spec_cli import FIXTURES, spec_mock

pytestmark = pytest.mark.slow

MUSEUM_EVENT = {
    "name": "Pirate Coding Workshop",
    "location": "Computer Room",
    "eventDescription": "Captain Blackbeard shares his love of C.",
    "dates": ["2024-10-29", "2024-10-30"],
    "price": 25,
}


@pytest.fixture(scope="module")
def petstore() -> Iterator[httpx.Client]:
    spec = FIXTURES / "petstore-expanded-3.0.yaml"
    with spec_mock(str(spec), "--quiet", "--idempotency-header", "Idempotency-Key") as (url, banner):
        assert any("state inferred for: /pets" in line for line in banner)
        with httpx.Client(base_url=url, timeout=10) as client:
            yield client


@pytest.fixture(scope="module")
def museum() -> Iterator[httpx.Client]:
    with (
        spec_mock(str(FIXTURES / "museum-3.1.yaml"), "--quiet", "--seed", "7") as (url, _),
        httpx.Client(base_url=url, auth=("ada", "secret"), timeout=10) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def swagger() -> Iterator[httpx.Client]:
    with (
        spec_mock(str(FIXTURES / "swagger-petstore-3.0.yaml"), "--quiet") as (url, _),
        httpx.Client(base_url=url, timeout=10) as client,
    ):
        yield client


def journal(client: httpx.Client, path: str) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = client.get("/_mock/requests").json()["data"]
    return [e for e in entries if e["path"] == path]


# The OAI Petstore (3.0) ---------------------------------------------------------------------------


def test_petstore_create_read_list_delete_round_trip(petstore: httpx.Client) -> None:
    created = petstore.post("/pets", json={"name": "Rex", "tag": "dog"})
    assert created.status_code == 200  # the only 2xx the spec declares for addPet
    pet = created.json()
    assert pet["name"] == "Rex" and pet["tag"] == "dog" and isinstance(pet["id"], int)
    assert petstore.get(f"/pets/{pet['id']}").json() == pet
    other = petstore.post("/pets", json={"name": "Tom"}).json()
    listed = petstore.get("/pets").json()
    assert [p["id"] for p in listed][-2:] == [pet["id"], other["id"]]
    assert petstore.get("/pets", params={"limit": 1}).json() == listed[:1]
    assert petstore.delete(f"/pets/{pet['id']}").status_code == 204
    gone = petstore.get(f"/pets/{pet['id']}")
    assert gone.status_code == 404
    assert set(gone.json()) == {"code", "message"} and gone.json()["code"] == 404  # the declared Error
    assert pet["id"] not in [p["id"] for p in petstore.get("/pets").json()]
    assert {e["served"] for e in journal(petstore, "/pets")} == {"state"}


def test_petstore_invalid_input_gets_the_declared_error_shape(petstore: httpx.Client) -> None:
    missing = petstore.post("/pets", json={"tag": "no name"})
    assert missing.status_code == 400
    assert missing.json() == {"code": 400, "message": "Invalid body: body: 'name' is a required property"}
    wrong_type = petstore.post("/pets", json={"name": 5})
    assert wrong_type.status_code == 400 and "name" in wrong_type.json()["message"]
    bad_id = petstore.get("/pets/abc")
    assert bad_id.status_code == 400 and bad_id.json()["message"] == "Invalid integer: abc"
    bad_limit = petstore.get("/pets", params={"limit": "many"})
    assert bad_limit.status_code == 400
    not_json = petstore.post("/pets", content=b"{", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["message"]
    assert petstore.put("/pets").status_code == 405
    unknown = petstore.get("/nowhere")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"


def test_petstore_prefer_code_and_dynamic(petstore: httpx.Client) -> None:
    forced = petstore.get("/pets", headers={"Prefer": "code=500"})
    assert forced.status_code == 500 and set(forced.json()) == {"code", "message"}  # from `default`
    dynamic = petstore.get("/pets", headers={"Prefer": "dynamic=true"})
    assert dynamic.status_code == 200
    assert all(isinstance(p["id"], int) and isinstance(p["name"], str) for p in dynamic.json())
    assert {e["served"] for e in journal(petstore, "/pets") if e["status"] == 500} == {"spec"}


def test_petstore_drop_after_commit_and_a_retry_create_twice_without_a_key(petstore: httpx.Client) -> None:
    before = len(petstore.get("/pets").json())
    rule = {"match": {"method": "POST", "path": "/pets"}, "fault": "drop-after-commit", "times": 1}
    assert petstore.post("/_mock/faults", json=rule).status_code == 201
    with pytest.raises(httpx.TransportError):
        petstore.post("/pets", json={"name": "Once"})
    retried = petstore.post("/pets", json={"name": "Once"})  # the client's retry
    assert retried.status_code == 200
    names = [p["name"] for p in petstore.get("/pets").json()]
    assert len(names) == before + 2 and names[-2:] == ["Once", "Once"]  # the double create
    dropped = [e for e in journal(petstore, "/pets") if e["status"] is None]
    assert dropped[-1]["fault"] == "drop-after-commit"


def test_petstore_idempotency_key_makes_the_retry_a_replay(petstore: httpx.Client) -> None:
    before = len(petstore.get("/pets").json())
    rule = {"match": {"method": "POST", "path": "/pets"}, "fault": "drop-after-commit", "times": 1}
    assert petstore.post("/_mock/faults", json=rule).status_code == 201
    headers = {"Idempotency-Key": "create-twice-once"}
    with pytest.raises(httpx.TransportError):
        petstore.post("/pets", json={"name": "Keyed"}, headers=headers)
    retried = petstore.post("/pets", json={"name": "Keyed"}, headers=headers)
    assert retried.status_code == 200 and retried.headers["idempotent-replayed"] == "true"
    assert len(petstore.get("/pets").json()) == before + 1
    reused = petstore.post("/pets", json={"name": "Other"}, headers=headers)
    assert reused.status_code == 422  # the same key with another body
    posts = [e for e in journal(petstore, "/pets") if e["method"] == "POST"]
    assert [(e["status"], e["replayed"]) for e in posts[-3:]] == [(None, False), (200, True), (422, False)]
    assert {e["idempotency_key"] for e in posts[-3:]} == {"create-twice-once"}


# The Redocly Museum (3.1) -------------------------------------------------------------------------


def test_museum_create_read_update_list_delete_round_trip(museum: httpx.Client) -> None:
    created = museum.post("/special-events", json=MUSEUM_EVENT)
    assert created.status_code == 201
    event = created.json()
    event_id = event["eventId"]
    assert len(event_id) == 36 and event["name"] == MUSEUM_EVENT["name"]  # a uuid, the declared format
    assert museum.get(f"/special-events/{event_id}").json() == event
    updated = museum.patch(f"/special-events/{event_id}", json={"price": 30})
    assert updated.status_code == 200 and updated.json() == {**event, "price": 30}
    second = museum.post("/special-events", json={**MUSEUM_EVENT, "name": "Tea Party"}).json()
    page_one = museum.get("/special-events", params={"limit": 1, "page": 1}).json()
    page_two = museum.get("/special-events", params={"limit": 1, "page": 2}).json()
    assert [e["eventId"] for e in page_one + page_two] == [event_id, second["eventId"]]
    assert museum.delete(f"/special-events/{event_id}").status_code == 204
    assert journal(museum, f"/special-events/{event_id}")[-1]["api_key"] == "ada"  # basic auth's user, last 4
    gone = museum.get(f"/special-events/{event_id}")
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"  # as the spec declares
    assert gone.json() == {"type": "object", "title": f"No such object: '{event_id}'"}


def test_museum_credentials_and_validation(museum: httpx.Client) -> None:
    anonymous = httpx.get(str(museum.base_url) + "/special-events", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == "Missing credentials: send Authorization: Basic ..."
    bearer = httpx.get(
        str(museum.base_url) + "/special-events", headers={"Authorization": "Bearer x"}, timeout=10
    )
    assert bearer.status_code == 401  # the declared scheme is basic
    invalid = museum.post("/special-events", json={**MUSEUM_EVENT, "price": "free"})
    assert invalid.status_code == 400
    assert invalid.json()["title"] == "Invalid body: price: 'free' is not of type 'number'"
    bad_date = museum.get("/museum-hours", params={"startDate": "2023-02-30"})
    assert bad_date.status_code == 400 and bad_date.json()["title"] == (
        "Invalid startDate: '2023-02-30' is not a valid date"
    )
    bad_id = museum.get("/special-events/not-a-uuid")
    assert bad_id.status_code == 400 and "not a valid uuid" in bad_id.json()["title"]
    too_many = museum.get("/museum-hours", params={"limit": 31})
    assert too_many.status_code == 400  # declared maximum 30
    assert too_many.json()["title"] == "This value must be less than or equal to 30."


def test_museum_prefer_example_and_code(museum: httpx.Client) -> None:
    ticket = {"ticketType": "event", "ticketDate": "2023-09-05", "email": "todd@example.com"}
    chosen = museum.post("/tickets", json=ticket, headers={"Prefer": "example=event_entry"})
    assert chosen.status_code == 201 and chosen.json()["eventName"] == (
        "Mermaid Treasure Identification and Analysis"
    )
    default = museum.post("/tickets", json=ticket)
    assert default.json()["message"] == "Museum general entry ticket purchased"  # the first example
    assert default.json()["ticketType"] == "event"  # the request's field reflected
    not_found = museum.get("/museum-hours", headers={"Prefer": "code=404"})
    assert not_found.status_code == 404
    hours = museum.get("/museum-hours")
    assert hours.status_code == 200 and hours.json()[0]["timeOpen"] == "09:00"  # the spec's example


# The Swagger Petstore 3 (3.0.4) -------------------------------------------------------------------


def test_swagger_users_round_trip_keyed_by_username(swagger: httpx.Client) -> None:
    user = {"username": "ada", "firstName": "Ada", "email": "ada@example.com"}
    created = swagger.post("/user", json=user)
    assert created.status_code == 200 and created.json()["username"] == "ada"
    assert swagger.get("/user/ada").json() == created.json()
    replaced = swagger.put("/user/ada", json={"username": "ada", "firstName": "Augusta"})
    assert replaced.json()["firstName"] == "Augusta"
    assert swagger.get("/user/ada").json()["firstName"] == "Augusta"
    assert swagger.delete("/user/ada").status_code == 200
    assert swagger.get("/user/ada").status_code == 404


def test_swagger_pets_security_media_types_and_put_by_body(swagger: httpx.Client) -> None:
    token = {"Authorization": "Bearer oauth-token"}
    assert swagger.post("/pet", json={"name": "doggie", "photoUrls": []}).status_code == 401
    created = swagger.post("/pet", json={"name": "doggie", "photoUrls": ["p.png"]}, headers=token)
    assert created.status_code == 200
    pet_id = created.json()["id"]
    updated = swagger.put(
        "/pet", json={"id": pet_id, "name": "doggo", "photoUrls": []}, headers=token
    )  # the id travels in the body
    assert updated.status_code == 200 and updated.json()["name"] == "doggo"
    read = swagger.get(f"/pet/{pet_id}", headers={"api_key": "special-key"})  # the other alternative
    assert read.status_code == 200 and read.json()["name"] == "doggo"
    renamed = swagger.post(f"/pet/{pet_id}", params={"name": "rex"}, headers=token)
    assert renamed.status_code == 200 and renamed.json()["name"] == "rex"
    assert (
        swagger.put("/pet", json={"id": 99999, "name": "x", "photoUrls": []}, headers=token).status_code
        == 404
    )
    xml = swagger.post(
        "/pet", content=b"<pet><name>x</name></pet>", headers={**token, "Content-Type": "application/xml"}
    )
    assert xml.status_code == 200  # a declared media type the mock does not parse is accepted
    csv = swagger.post("/pet", content=b"name,x", headers={**token, "Content-Type": "text/csv"})
    assert csv.status_code == 415
    assert swagger.delete(f"/pet/{pet_id}", headers=token).status_code == 200
    assert swagger.get(f"/pet/{pet_id}", headers={"api_key": "k"}).status_code == 404


def test_swagger_form_body_is_decoded_and_checked(swagger: httpx.Client) -> None:
    token = {"Authorization": "Bearer oauth-token"}
    form = swagger.post("/pet", data={"name": "formcat", "status": "sold"}, headers=token)
    assert form.status_code == 400 and "photoUrls" in form.text  # required by the Pet schema
    bad_enum = swagger.post(
        "/pet", data={"name": "formcat", "status": "lost", "photoUrls[0]": "a"}, headers=token
    )
    assert bad_enum.status_code == 400 and "status" in bad_enum.text

"""What a ``$ref`` may reach, and the bad specs that once ended in an internal error: each is exit 2, one line."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from api_trainer.errors import SpecRefError
from api_trainer.specs._bundle import bundle
from api_trainer.specs._documents import Limits

HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n'


def _spec_with_ref(folder: Path, ref: str, name: str = "api.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(HEAD + f"components:\n  schemas:\n    A:\n      $ref: '{ref}'\n")
    return path


@pytest.fixture
def outside_secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.yaml"
    secret.write_text("type: string\ndescription: TOP-SECRET-CONTENT\n")
    return secret


@pytest.mark.parametrize("command", ["validate", "show"])
@pytest.mark.parametrize(
    ("ref", "rule"),
    [
        ("/etc/passwd", "outside the spec's folder"),
        ("../secret.yaml", "outside the spec's folder"),
        ("/dev/zero", "outside the spec's folder"),
    ],
)
def test_refs_outside_the_folder_are_refused_without_their_content(
    run_cli: Callable[..., Any], tmp_path: Path, outside_secret: Path, command: str, ref: str, rule: str
) -> None:
    spec = _spec_with_ref(tmp_path / "api", ref)
    result = run_cli("specs", command, str(spec))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"$ref '{ref}' refused" in lines[0] and rule in lines[0]
    assert "--allow-outside-refs" in lines[0]
    output = result.stdout + result.stderr
    assert "root:" not in output and "TOP-SECRET-CONTENT" not in output


def test_allow_outside_refs_widens_the_folder_rule_only(
    run_cli: Callable[..., Any], tmp_path: Path, outside_secret: Path
) -> None:
    spec = _spec_with_ref(tmp_path / "api", "../secret.yaml")
    assert run_cli("specs", "validate", "--allow-outside-refs", str(spec)).exit_code == 0
    device = _spec_with_ref(tmp_path / "api", "/dev/zero", "device.yaml")
    result = run_cli("specs", "validate", "--allow-outside-refs", str(device))
    assert result.exit_code == 2 and "not a regular file" in result.stderr


def test_a_fifo_inside_the_folder_is_refused_not_waited_on(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    spec = _spec_with_ref(tmp_path, "pipe.yaml")
    result = run_cli("specs", "show", str(spec))
    assert result.exit_code == 2 and "$ref 'pipe.yaml' refused: not a regular file" in result.stderr


def test_a_symlink_out_of_the_folder_is_refused(
    run_cli: Callable[..., Any], tmp_path: Path, outside_secret: Path
) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "link.yaml").symlink_to(outside_secret)
    spec = _spec_with_ref(tmp_path / "api", "link.yaml")
    result = run_cli("specs", "validate", str(spec))
    assert result.exit_code == 2 and "outside the spec's folder" in result.stderr
    assert "TOP-SECRET-CONTENT" not in result.stdout + result.stderr


def test_refs_inside_the_folder_tree_still_resolve(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "a.yaml").write_text("type: string\n")
    spec = _spec_with_ref(tmp_path, "parts/a.yaml")
    assert run_cli("specs", "validate", str(spec)).exit_code == 0


def _deep_json(levels: int) -> str:
    return '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-deep": ' + (
        '{"a":' * levels + "{}" + "}" * levels + "}"
    )


def _deep_schema(levels: int) -> str:
    schema: dict[str, Any] = {}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"p": schema}}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    return json.dumps({**document, "components": {"schemas": {"D": schema}}})


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("deep.json", _deep_json(10_000), "nesting deeper than"),
        ("deep.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n", "nesting depth"),
        ("deep-schema.json", _deep_schema(170), "nesting deeper than 256 levels"),  # the audit's ~170 levels
        (
            "loop.yaml",
            HEAD + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
            "    B: {$ref: '#/components/schemas/A'}\n",
            "$ref chain loops without reaching a value",
        ),
        (
            "paths.yaml",
            'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: nope\n',
            "'paths' is a str, not a mapping",
        ),
    ],
)
@pytest.mark.parametrize("command", ["validate", "show"])
def test_bad_specs_are_exit_2_with_one_line(
    run_cli: Callable[..., Any], tmp_path: Path, command: str, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = run_cli("specs", command, str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


class _Endless(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/yaml")
        self.end_headers()
        try:
            for _ in range(100_000):  # bounded: far past any cap the test sets
                self.wfile.write(b"# padding padding padding padding padding padding padding\n")
        except OSError:
            pass  # the client hung up once it had enough: the point of the test

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def endless_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/big.yaml"
    finally:
        server.shutdown()
        server.server_close()


def test_remote_refs_stream_with_the_size_cap(endless_url: str) -> None:
    document = {"openapi": "3.0.3", "components": {"schemas": {"A": {"$ref": endless_url}}}}
    with pytest.raises(SpecRefError, match="over the 4096-byte limit"):
        bundle(document, source="api.yaml", base=None, allow_remote_refs=True, limits=Limits(max_bytes=4096))


def test_a_validator_recursion_error_is_exit_2(
    run_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the validator runs out of stack below the loader's depth limit depends on its version; when
    it does, the answer is one line and exit 2, never an internal error."""
    import openapi_spec_validator

    def too_deep(self: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(openapi_spec_validator.OpenAPIV30SpecValidator, "iter_errors", too_deep)
    path = tmp_path / "api.json"
    path.write_text(_deep_schema(3))
    result = run_cli("specs", "validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: nested too deeply for the OpenAPI validator (refused, not validated)"
    ]

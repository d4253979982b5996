from __future__ import annotations

import pytest

from api_trainer.mock import FormError, parse_form


@pytest.mark.parametrize(
    "raw",
    [
        "expand[]=customer&expand[]=latest_charge",
        "expand[0]=customer&expand[1]=latest_charge",
        "expand%5B0%5D=customer&expand%5B1%5D=latest_charge",
        "expand%5B%5D=customer&expand%5B%5D=latest_charge",
    ],
)
def test_all_three_list_spellings_literal_or_encoded_decode_alike(raw: str) -> None:
    assert parse_form(raw) == {"expand": ["customer", "latest_charge"]}


def test_nested_keys_and_indexed_objects() -> None:
    body = (
        b"metadata[order_id]=6735&metadata[tier]=gold&items[0][price]=p1&items[0][quantity]=2&email=a%40b.co"
    )
    assert parse_form(body) == {
        "metadata": {"order_id": "6735", "tier": "gold"},
        "items": [{"price": "p1", "quantity": "2"}],
        "email": "a@b.co",
    }


def test_indexes_order_numerically_not_lexically() -> None:
    pairs = "&".join(f"a[{i}]={i}" for i in (10, 2, 1, 0))
    assert parse_form(pairs) == {"a": ["0", "1", "2", "10"]}


def test_empty_values_are_kept() -> None:
    assert parse_form("metadata[k]=&description=") == {"metadata": {"k": ""}, "description": ""}


@pytest.mark.parametrize("raw", ["a[b=1", "a]=1", "a=1&a[b]=2", b"\xff=1"])
def test_malformed_input_is_a_form_error(raw: str | bytes) -> None:
    with pytest.raises(FormError):
        parse_form(raw)

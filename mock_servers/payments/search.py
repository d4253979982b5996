"""``GET /v1/customers/search``: a subset of Stripe's search query language over the stored customers.

Clauses (Stripe API reference, "Search query language"; values in double or single quotes): ``field:"value"``
(exact), ``field~"value"``
(substring, three characters at least), ``created>N`` (also ``<``, ``>=``, ``<=``, ``:``) and
``metadata["key"]:"value"``; a leading ``-`` negates; clauses join with ``AND`` or with ``OR``, never both.
Fields: ``email``, ``name``, ``phone``, ``created``, ``metadata[...]``. The result is a ``search_result``
with ``next_page``, which stripe-python's ``search_auto_paging_iter`` follows. The error messages are the
mock's wording, in Stripe's shape (400 ``invalid_request_error`` naming ``query``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .context import Ctx
from .errors import invalid

__all__ = ["search_customers"]

_CLAUSE = re.compile(
    r"""\s*(?P<neg>-)?(?P<field>[a-z_]+(?:\[(?:"(?P<key>[^"]+)"|'(?P<key2>[^']+)')\])?)\s*(?P<op>>=|<=|:|~|>|<)\s*"""
    r"""(?:"(?P<text>(?:[^"\\]|\\.)*)"|'(?P<single>(?:[^'\\]|\\.)*)'|(?P<number>-?\d+))\s*"""
)
_JOIN = re.compile(r"\s+(AND|OR)\s+")
_TEXT_FIELDS = ("email", "name", "phone")

Predicate = Callable[[dict[str, Any]], bool]


def _bad(message: str) -> Exception:
    return invalid(message, param="query", code="parameter_invalid_string")


def _clause(text: str) -> Predicate:
    found = _CLAUSE.fullmatch(text)
    if found is None:
        raise _bad(f"The search query is invalid near '{text.strip()[:60]}': expected field:\"value\".")
    field, op, key = found["field"], found["op"], found["key"] or found["key2"]
    quoted = found["text"] if found["text"] is not None else found["single"]
    value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else found["number"]
    name = "metadata" if key is not None and field.startswith("metadata[") else field
    if name not in (*_TEXT_FIELDS, "created", "metadata"):
        raise _bad(
            f"Field `{field}` is an unsupported search field for resource `customers`. Supported: "
            'email, name, phone, created, metadata["key"].'
        )
    test: Predicate
    if name == "created":
        if found["number"] is None:
            raise _bad("created takes a number of seconds since the epoch, e.g. created>1700000000.")
        bound = int(value)
        compare = {
            ":": lambda c: c == bound,
            ">": lambda c: c > bound,
            "<": lambda c: c < bound,
            ">=": lambda c: c >= bound,
            "<=": lambda c: c <= bound,
        }.get(op)
        if compare is None:
            raise _bad("created takes :, >, <, >= or <=.")
        test = lambda c: compare(int(c.get("created") or 0))  # noqa: E731
    elif op not in (":", "~"):
        raise _bad(f"{field} takes : (exact) or ~ (substring); {op} is only for numeric fields.")
    else:
        if op == "~" and len(value) < 3:
            raise _bad("A substring search (~) needs at least three characters.")

        def read(customer: dict[str, Any]) -> str | None:
            if name == "metadata":
                return (customer.get("metadata") or {}).get(key)
            found_value = customer.get(name)
            return None if found_value is None else str(found_value)

        if op == ":":
            test = lambda c: read(c) == value  # noqa: E731
        else:
            test = lambda c: value.lower() in (read(c) or "").lower()  # noqa: E731
    return (lambda c: not test(c)) if found["neg"] else test


def _query(query: str) -> Predicate:
    parts = _JOIN.split(query.strip())
    clauses, joins = parts[0::2], set(parts[1::2])
    if len(joins) > 1:
        raise _bad("A search query may use AND or OR, not both.")
    predicates = [_clause(clause) for clause in clauses]
    if joins == {"OR"}:
        return lambda c: any(p(c) for p in predicates)
    return lambda c: all(p(c) for p in predicates)


def search_customers(ctx: Ctx) -> dict[str, Any]:
    p = ctx.params
    match = _query(str(p.get("query") or ""))
    limit = int(p.get("limit", 10))
    page = str(p.get("page") or "")
    offset = int(page.removeprefix("page_")) if re.fullmatch(r"page_\d{1,9}", page) else 0
    if page and not offset:
        raise invalid(f"Invalid page: {page}", param="page")
    found = [c for c in ctx.store.all(ctx.account, "customer") if not c.get("deleted") and match(c)]
    chosen = found[offset : offset + limit]
    has_more = offset + limit < len(found)
    result = ctx.render_list("customer", chosen, "/v1/customers/search", has_more)
    result["object"] = "search_result"
    result["next_page"] = f"page_{offset + limit}" if has_more else None
    return result

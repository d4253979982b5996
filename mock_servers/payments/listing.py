"""List endpoints: Stripe's list object, cursors, limits, newest first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .context import Ctx
from .errors import invalid, no_such


def list_objects(
    ctx: Ctx, kind: str, url: str, where: Callable[[dict[str, Any]], bool] | None = None
) -> dict[str, Any]:
    p = ctx.params
    limit = int(p.get("limit", 10))
    after, before = p.get("starting_after"), p.get("ending_before")
    if after and before:
        raise invalid(
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
        )
    created = p.get("created")
    filters = [where] if where is not None else []
    if isinstance(created, int):
        filters.append(lambda o: o.get("created") == created)
    elif isinstance(created, dict):
        bounds = {k: int(v) for k, v in created.items()}
        filters.append(
            lambda o: all(
                {
                    "gt": o["created"] > b,
                    "gte": o["created"] >= b,
                    "lt": o["created"] < b,
                    "lte": o["created"] <= b,
                }[k]
                for k, b in bounds.items()
            )
        )

    def keep(obj: dict[str, Any]) -> bool:
        return all(f(obj) for f in filters)

    page = ctx.store.page(
        ctx.account, kind, limit=limit, starting_after=after, ending_before=before, where=keep
    )
    if page is None:
        cursor = after or before or ""
        raise no_such(kind, cursor, param="starting_after" if after else "ending_before", in_path=False)
    return ctx.render_list(kind, page.items, url, page.has_more)

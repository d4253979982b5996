"""Schemathesis hooks for the 60-second runs against the bundled mocks (loaded through SCHEMATHESIS_HOOKS).

One documented limitation is not a failure: the data-platform mock answers ``disposition=EXTERNAL_LINKS``
with 501 ``NOT_IMPLEMENTED`` (README, "SQL Statement Execution"). Every other 5xx, and every accepted
schema-violating request, still fails the run.
"""

from __future__ import annotations

from typing import Any

import schemathesis


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    documented = response.status_code == 501 and "EXTERNAL_LINKS" in response.text
    return not documented

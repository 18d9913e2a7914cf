"""``borderflow ingest`` that stalls inside the load transaction, for crash-safety tests.

Run as ``python tests/stall_ingest.py ingest …``: after a release's observations are written
and before its transaction commits, it prints ``FAILPOINT`` to stderr and sleeps, so the test
can kill the process there. The hook lives here, not in production code.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from borderflow.cli import main
from borderflow.warehouse.store import Warehouse


def _stall(self: Warehouse, release_id: int, issues: Any) -> None:
    print("FAILPOINT after-observations", file=sys.stderr, flush=True)
    time.sleep(3600)


if __name__ == "__main__":
    Warehouse._insert_issues = _stall  # type: ignore[method-assign]
    sys.argv = ["borderflow", *sys.argv[1:]]
    main()

"""Quarantine: a release worse than the one it supersedes is stored but not made current.

A file that parses while damaged — cut at a row boundary, with impossible values, with rows the
parser had to reject, changed since it was downloaded — would otherwise become the record for
every period it covers. Such a release is loaded (its values and issues can be inspected by
release id) with the reasons in ``releases.quarantine``, and the current record keeps the
release it would have replaced until someone accepts it (``borderflow accept RELEASE``, or
``ingest --accept-partial``). Revisions that change values within their valid range are
ordinary releases. A first release of a series supersedes nothing and is never held back.
"""

from __future__ import annotations

from typing import Any

from borderflow.sources.base import ParsedFile
from borderflow.sources.issues import Issue
from borderflow.warehouse import sql
from borderflow.warehouse.store import ReleaseRecord, Warehouse

#: Issue kinds that make a superseding release suspect.
SUSPECT_KINDS = {
    "not_finite": "values are not finite numbers",
    "out_of_range": "values lie outside their measure's valid range",
    "row_count_mismatch": "the file has another number of rows than the published file",
}


def quarantine_reasons(
    warehouse: Warehouse,
    record: ReleaseRecord,
    parsed: ParsedFile,
    fetched: dict[str, Any],
) -> list[str]:
    """Why the release should not become current (empty: it may)."""
    if not _supersedes(warehouse, record):
        return []
    reasons = _fewer_values(warehouse, record, parsed)
    reasons += _more_rejected_rows(warehouse, record, parsed)
    reasons += _suspect_issues(parsed.issues)
    if fetched.get("sha256") and fetched["sha256"] != record.sha256:
        reasons.append(
            f"its sha256 {record.sha256[:12]}… differs from the {fetched['sha256'][:12]}… "
            "recorded when it was downloaded: the file changed or was damaged since"
        )
    return reasons


def _supersedes(warehouse: Warehouse, record: ReleaseRecord) -> bool:
    rows = warehouse.con.execute(
        sql.OLDER_RELEASES_IN_SERIES, [record.source, record.series, record.vintage]
    ).fetchall()
    return bool(rows and rows[0][0])


def _fewer_values(warehouse: Warehouse, record: ReleaseRecord, parsed: ParsedFile) -> list[str]:
    rows = warehouse.fewer_values_than_current(record, parsed.observations)
    if not rows:
        return []
    first = rows[0]
    slice_ = " ".join(
        str(x) for x in (f"{first['period_start']:%Y-%m}", first["measure"], first["cause"]) if x
    )
    return [
        f"it holds fewer values than the current record in {len(rows)} slice(s) both cover "
        f"(first: {slice_}, {first['status']}: {first['n']} values against {first['current_n']})"
    ]


def _more_rejected_rows(
    warehouse: Warehouse, record: ReleaseRecord, parsed: ParsedFile
) -> list[str]:
    rows = warehouse.con.execute(
        sql.REJECTED_ROWS_OF_SUPERSEDED, [record.source, record.series, record.vintage]
    ).fetchall()
    before = int(rows[0][0] or 0) if rows else 0
    if parsed.rows_rejected <= before:
        return []
    return [
        f"{parsed.rows_rejected} rows were rejected, against {before} in the release it would "
        "replace"
    ]


def _suspect_issues(issues: list[Issue]) -> list[str]:
    out = []
    for kind, what in SUSPECT_KINDS.items():
        found = [i for i in issues if i.kind == kind]
        if found:
            out.append(f"{len(found)} {what} (first: {found[0].where()}: {found[0].message})")
    return out

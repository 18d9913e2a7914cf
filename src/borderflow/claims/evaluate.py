"""The evaluation harness: run the checker over a labelled development set of real, cited
statements and report accuracy per verdict and per language.

Each row of the set (``evaluation/claims_devset.csv``) is one published statement with the
verdict a careful checker gives it against the warehouse. A statement's predicted verdict is
``contradicted`` if any claim found in it is contradicted, else ``supported`` if any is
supported, else ``unverifiable``. Accuracy is reported on the rows the data covers (expected
verdict supported or contradicted) and on all rows; *answered* counts rows the checker did
not mark unverifiable.

    python -m borderflow.claims.evaluate evaluation/claims_devset.csv --db FILE [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from borderflow.claims.check import CheckReport, check_text
from borderflow.config import resolve_db_path
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine

COVERED = ("supported", "contradicted")


@dataclass
class Outcome:
    """One labelled statement and what the checker said of it."""

    id: str
    lang: str
    expected: str
    predicted: str
    claims: int
    detail: str = ""

    @property
    def correct(self) -> bool:
        return self.expected == self.predicted


@dataclass
class Evaluation:
    outcomes: list[Outcome] = field(default_factory=list)

    def accuracy(self, rows: list[Outcome]) -> float | None:
        return sum(o.correct for o in rows) / len(rows) if rows else None

    def summary(self) -> dict[str, Any]:
        covered = [o for o in self.outcomes if o.expected in COVERED]
        by = {
            "verdict": {
                v: self._group(lambda o, v=v: o.expected == v)
                for v in ("supported", "contradicted", "unverifiable")
            },
            "lang": {
                lang: self._group(lambda o, lang=lang: o.lang == lang)
                for lang in sorted({o.lang for o in self.outcomes})
            },
        }
        return {
            "rows": len(self.outcomes),
            "accuracy_covered": self.accuracy(covered),
            "covered_rows": len(covered),
            "accuracy_all": self.accuracy(self.outcomes),
            "answered": sum(o.predicted != "unverifiable" for o in self.outcomes),
            "confusion": dict(Counter(f"{o.expected}->{o.predicted}" for o in self.outcomes)),
            "by": by,
            "errors": [o.__dict__ for o in self.outcomes if not o.correct],
        }

    def _group(self, keep: Any) -> dict[str, Any]:
        rows = [o for o in self.outcomes if keep(o)]
        return {
            "rows": len(rows),
            "accuracy": self.accuracy(rows),
            "answered": sum(o.predicted != "unverifiable" for o in rows),
        }


def statement_verdict(report: CheckReport) -> str:
    """The verdict on a whole statement from the verdicts on the claims found in it."""
    verdicts = {c.verdict for c in report.claims}
    for verdict in ("contradicted", "supported"):
        if verdict in verdicts:
            return verdict
    return "unverifiable"


def read_devset(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def evaluate(rows: list[dict[str, str]], engine: Engine) -> Evaluation:
    """Check every statement of the development set."""
    result = Evaluation()
    for row in rows:
        published = date.fromisoformat(row["published"]) if row.get("published") else None
        report = check_text(row["text"], engine, published=published, lang=row.get("lang", "auto"))
        predicted = statement_verdict(report)
        detail = "; ".join(f"{c.text!r}: {c.verdict} ({c.official})" for c in report.claims)
        result.outcomes.append(
            Outcome(
                row["id"],
                row.get("lang", "?"),
                row["expected_verdict"],
                predicted,
                len(report.claims),
                detail,
            )
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devset", type=Path)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        engine = Engine.open(resolve_db_path(args.db))
    except BorderflowError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    summary = evaluate(read_devset(args.devset), engine).summary()
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print_summary(summary)
    return 0


def print_summary(summary: dict[str, Any]) -> None:
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{100 * x:.1f}%"

    print(
        f"{summary['rows']} statements; answered {summary['answered']}; accuracy on the "
        f"{summary['covered_rows']} the data covers: {pct(summary['accuracy_covered'])}; "
        f"on all: {pct(summary['accuracy_all'])}"
    )
    for group, values in summary["by"].items():
        for name, g in values.items():
            print(
                f"  {group}={name:<13} rows {g['rows']:>3}  accuracy {pct(g['accuracy']):>6}  "
                f"answered {g['answered']}"
            )
    print("  confusion (expected->predicted):", summary["confusion"])
    for e in summary["errors"]:
        print(
            f"  MISS {e['id']} [{e['lang']}] expected {e['expected']}, got {e['predicted']}: "
            f"{e['detail'][:200]}"
        )


if __name__ == "__main__":
    raise SystemExit(main())

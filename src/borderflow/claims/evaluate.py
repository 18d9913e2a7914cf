"""The evaluation harness: run the checker over labelled sets of real, cited statements and
report, per set and per language, precision and recall of each verdict, the false-contradiction
rate, abstention and accuracy on the statements the data covers.

Sets (``--set``):

- ``old``: ``evaluation/claims_devset.csv``, the development set the checker was tuned on;
- ``dev``: ``evaluation/heldout/dev_en.csv`` and ``dev_es.csv``, the development half of the
  held-out statements (tune on these);
- ``test``: ``evaluation/heldout/test_en.csv`` and ``test_es.csv``. Only aggregate figures are
  ever printed for it — no row, no id, no error — and each run is counted in
  ``evaluation/heldout/test_runs.log`` so the note can say how many times it was run.

A statement's predicted verdict is ``contradicted`` if any claim found in it is, else
``supported`` if any is, else ``unverifiable``.

    python -m borderflow.claims.evaluate --set dev|test|old [--db FILE] [--json]
    python -m borderflow.claims.evaluate --set dev --ids nen-,nes-   # rows whose id starts so
    python -m borderflow.claims.evaluate FILE.csv [--db FILE]      # any labelled file
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from borderflow.claims.check import CheckReport, check_text
from borderflow.config import resolve_db_path
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine

COVERED = ("supported", "contradicted")
CLASSES = ("supported", "contradicted", "unverifiable")
EVALUATION = Path(__file__).resolve().parents[3] / "evaluation"
#: The labelled files of each named set, relative to ``evaluation/``.
SETS = {
    "old": ("claims_devset.csv",),
    "dev": ("heldout/dev_en.csv", "heldout/dev_es.csv"),
    "test": ("heldout/test_en.csv", "heldout/test_es.csv"),
}
#: Sets whose rows must never be shown: only aggregate figures leave the harness.
SEALED = frozenset({"test"})


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

    def summary(self, *, rows: bool = True) -> dict[str, Any]:
        """Aggregate figures over every statement and per language; ``rows=False`` leaves out
        the list of errors (the only part that names statements)."""
        out = {**scores(self.outcomes), "by": self._by()}
        if rows:
            out["errors"] = [o.__dict__ for o in self.outcomes if not o.correct]
        return out

    def _by(self) -> dict[str, Any]:
        return {
            "verdict": {v: self._group(lambda o, v=v: o.expected == v) for v in CLASSES},
            "lang": {
                lang: scores([o for o in self.outcomes if o.lang == lang])
                for lang in sorted({o.lang for o in self.outcomes})
            },
        }

    def _group(self, keep: Any) -> dict[str, Any]:
        chosen = [o for o in self.outcomes if keep(o)]
        return {
            "rows": len(chosen),
            "accuracy": self.accuracy(chosen),
            "answered": sum(o.predicted != "unverifiable" for o in chosen),
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def scores(outcomes: list[Outcome]) -> dict[str, Any]:
    """Every aggregate figure over ``outcomes`` (no row is named).

    ``false_contradiction_rate``: statements labelled supported or unverifiable that the checker
    called contradicted, over those statements; ``false_contradiction_rate_true``: the same over
    the statements labelled supported only (the issue's "of true statements").
    ``abstention``: statements the data covers that the checker called unverifiable.
    """
    covered = [o for o in outcomes if o.expected in COVERED]
    true = [o for o in outcomes if o.expected == "supported"]
    not_false = [o for o in outcomes if o.expected != "contradicted"]
    per_class = {}
    for v in CLASSES:
        called = [o for o in outcomes if o.predicted == v]
        labelled = [o for o in outcomes if o.expected == v]
        hits = sum(o.correct for o in called)
        per_class[v] = {
            "labelled": len(labelled),
            "called": len(called),
            "precision": _ratio(hits, len(called)),
            "recall": _ratio(hits, len(labelled)),
        }
    return {
        "rows": len(outcomes),
        "covered_rows": len(covered),
        "accuracy_covered": _ratio(sum(o.correct for o in covered), len(covered)),
        "accuracy_all": _ratio(sum(o.correct for o in outcomes), len(outcomes)),
        "answered": sum(o.predicted != "unverifiable" for o in outcomes),
        "abstention": _ratio(sum(o.predicted == "unverifiable" for o in covered), len(covered)),
        "false_contradiction_rate": _ratio(
            sum(o.predicted == "contradicted" for o in not_false), len(not_false)
        ),
        "false_contradiction_rate_true": _ratio(
            sum(o.predicted == "contradicted" for o in true), len(true)
        ),
        "per_class": per_class,
        "confusion": dict(Counter(f"{o.expected}->{o.predicted}" for o in outcomes)),
    }


def statement_verdict(report: CheckReport) -> str:
    """The verdict on a whole statement from the verdicts on the claims found in it."""
    verdicts = {c.verdict for c in report.claims}
    for verdict in ("contradicted", "supported"):
        if verdict in verdicts:
            return verdict
    return "unverifiable"


def read_devset(path: Path) -> list[dict[str, str]]:
    """The rows of one labelled file; ``lang`` defaults to the file's ``_en`` / ``_es`` suffix.

    Raises:
        BorderflowError: a row without ``text`` or with an unknown ``expected_verdict``.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    default = path.stem.rsplit("_", 1)[-1] if "_" in path.stem else "?"
    for number, row in enumerate(rows, start=2):
        row.setdefault("lang", default)
        row["lang"] = row.get("lang") or default
        verdict = (row.get("expected_verdict") or "").strip()
        if verdict not in CLASSES or not (row.get("text") or "").strip():
            raise BorderflowError(
                f"{path}, line {number}: column expected_verdict must be one of "
                f"{', '.join(CLASSES)} and text must not be empty (got {verdict!r})."
            )
        row["expected_verdict"] = verdict
    return rows


def read_set(name: str, root: Path | None = None) -> list[dict[str, str]]:
    """The rows of a named set (``old``, ``dev``, ``test``); files not there yet are skipped."""
    rows: list[dict[str, str]] = []
    for relative in SETS[name]:
        path = (root or EVALUATION) / relative
        if path.is_file() and path.stat().st_size:
            rows.extend(read_devset(path))
    return rows


def select_ids(rows: list[dict[str, str]], prefixes: str | None) -> list[dict[str, str]]:
    """The rows whose id starts with one of the comma-separated ``prefixes`` (all if None).

    Raises:
        BorderflowError: no row has such an id.
    """
    if not prefixes:
        return rows
    wanted = tuple(p.strip() for p in prefixes.split(",") if p.strip())
    chosen = [r for r in rows if (r.get("id") or "").startswith(wanted)]
    if not chosen:
        raise BorderflowError(
            f"no row's id starts with {', '.join(wanted)}; ids look like "
            f"{', '.join(sorted({(r.get('id') or '?').split('-')[0] + '-' for r in rows}))}."
        )
    return chosen


def evaluate(rows: list[dict[str, str]], engine: Engine) -> Evaluation:
    """Check every statement of a labelled set."""
    result = Evaluation()
    for row in rows:
        published = _published(row.get("published"))
        report = check_text(row["text"], engine, published=published, lang=row.get("lang", "auto"))
        predicted = statement_verdict(report)
        detail = "; ".join(f"{c.text!r}: {c.verdict} ({c.official})" for c in report.claims)
        result.outcomes.append(
            Outcome(
                row.get("id", "?"),
                row.get("lang", "?"),
                row["expected_verdict"],
                predicted,
                len(report.claims),
                detail,
            )
        )
    return result


def _published(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text and text.strip() else None
    except ValueError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devset", type=Path, nargs="?", help="a labelled CSV (instead of --set)")
    parser.add_argument("--set", choices=sorted(SETS), dest="name", help="a named set")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--ids",
        default=None,
        help="only the rows whose id starts with one of these comma-separated prefixes "
        "(e.g. nen-,nes-); not for the sealed set",
    )
    args = parser.parse_args(argv)
    if (args.devset is None) == (args.name is None):
        parser.error("give a labelled file or --set dev|test|old (one of the two).")
    if args.ids and args.name in SEALED:
        parser.error(f"--ids picks rows; the {args.name} set is sealed and is run whole.")
    try:
        rows = read_set(args.name) if args.name else read_devset(args.devset)
        rows = select_ids(rows, args.ids)
        engine = Engine.open(resolve_db_path(args.db))
    except (BorderflowError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    sealed = args.name in SEALED
    summary = evaluate(rows, engine).summary(rows=not sealed)
    summary["set"] = args.name or str(args.devset)
    if sealed:
        _count_run(summary)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print_summary(summary)
    return 0


def _count_run(summary: dict[str, Any]) -> None:
    """Append this run of the sealed set (time and aggregates only) to its log."""
    log = EVALUATION / "heldout" / "test_runs.log"
    line = (
        f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ} rows={summary['rows']} "
        f"accuracy_covered={summary['accuracy_covered']} "
        f"false_contradiction_rate_true={summary['false_contradiction_rate_true']}\n"
    )
    try:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(line)
    except OSError:
        pass
    summary["runs_logged"] = _runs(log)


def _runs(log: Path) -> int:
    try:
        return len(log.read_text("utf-8").splitlines())
    except OSError:
        return 0


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def print_summary(summary: dict[str, Any]) -> None:
    print(f"set {summary.get('set', '?')}")
    _print_scores("all", summary)
    for lang, values in summary["by"]["lang"].items():
        _print_scores(f"lang={lang}", values)
    if "runs_logged" in summary:
        print(f"  runs of this set logged so far: {summary['runs_logged']}")
    for e in summary.get("errors", []):
        print(
            f"  MISS {e['id']} [{e['lang']}] expected {e['expected']}, got {e['predicted']}: "
            f"{e['detail'][:200]}"
        )


def _print_scores(name: str, s: dict[str, Any]) -> None:
    print(
        f"  {name:<8} rows {s['rows']:>3}  covered {s['covered_rows']:>3}  "
        f"accuracy(covered) {pct(s['accuracy_covered']):>6}  accuracy(all) "
        f"{pct(s['accuracy_all']):>6}  false-contradiction {pct(s['false_contradiction_rate'])}"
        f" (of true: {pct(s['false_contradiction_rate_true'])})  abstention "
        f"{pct(s['abstention'])}"
    )
    for v, c in s["per_class"].items():
        print(
            f"      {v:<13} labelled {c['labelled']:>3} called {c['called']:>3}  precision "
            f"{pct(c['precision']):>6}  recall {pct(c['recall']):>6}"
        )
    print(f"      confusion (expected->predicted): {s['confusion']}")


if __name__ == "__main__":
    raise SystemExit(main())

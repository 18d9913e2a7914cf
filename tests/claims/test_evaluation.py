"""The evaluation harness over the real development set: a floor under the checker's accuracy,
a ceiling on its false contradictions, and a sealed test split that only ever gives aggregates."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from borderflow.claims import evaluate as harness
from borderflow.claims.evaluate import Outcome, evaluate, read_devset, scores
from borderflow.errors import BorderflowError
from borderflow.metrics import Engine
from borderflow.warehouse.ingest import IngestReport
from conftest import REPO

#: Accuracy on the statements the data covers. The old set was tuned to 94.6% by reading its
#: errors; the precision-first verdicts (issue 12) give up some of it (87.8% when this floor was
#: set, docs/claims.md) to stop calling true statements false on text never seen.
FLOOR = 0.85
#: At most this share of the statements labelled supported may be called contradicted.
FALSE_CONTRADICTIONS = 0.05


def test_accuracy_on_the_development_set_stays_above_its_floor(
    loaded: tuple[Path, IngestReport],
) -> None:
    engine = Engine.open(loaded[0])
    try:
        summary = evaluate(read_devset(REPO / "evaluation" / "claims_devset.csv"), engine).summary()
    finally:
        engine.close()
    assert summary["rows"] >= 60
    assert summary["accuracy_covered"] >= FLOOR, summary["errors"]
    assert summary["false_contradiction_rate_true"] <= FALSE_CONTRADICTIONS, summary["errors"]
    assert set(summary["by"]["lang"]) == {"en", "es"}
    assert summary["by"]["verdict"]["unverifiable"]["accuracy"] >= 0.85
    assert summary["answered"] > summary["rows"] // 2


def test_scores_per_class_and_false_contradictions() -> None:
    rows = [
        Outcome("a", "en", "supported", "supported", 1),
        Outcome("b", "en", "supported", "contradicted", 1),
        Outcome("c", "es", "contradicted", "contradicted", 1),
        Outcome("d", "es", "unverifiable", "contradicted", 1),
        Outcome("e", "es", "contradicted", "unverifiable", 1),
    ]
    s = scores(rows)
    assert s["per_class"]["contradicted"] == {
        "labelled": 2,
        "called": 3,
        "precision": 1 / 3,
        "recall": 0.5,
    }
    assert s["false_contradiction_rate"] == pytest.approx(2 / 3)  # b and d, of a, b, d
    assert s["false_contradiction_rate_true"] == pytest.approx(1 / 2)
    assert s["abstention"] == pytest.approx(1 / 4)  # e, of the four covered
    assert s["accuracy_covered"] == pytest.approx(2 / 4)


def test_the_sealed_split_prints_aggregates_only(
    loaded: tuple[Path, IngestReport], tmp_path: Path, monkeypatch, capsys
) -> None:
    """A stand-in test split (two rows of the old set) run through the sealed path: no id, no
    text, no error leaves the harness, and the run is counted."""
    heldout = tmp_path / "heldout"
    heldout.mkdir()
    with (REPO / "evaluation" / "claims_devset.csv").open(encoding="utf-8", newline="") as src:
        rows = list(csv.DictReader(src))[:2]
    with (heldout / "test_en.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(harness, "EVALUATION", tmp_path)
    assert harness.main(["--set", "test", "--db", str(loaded[0]), "--json"]) == 0
    printed = capsys.readouterr().out
    summary = json.loads(printed)
    assert "errors" not in summary and summary["rows"] == 2 and summary["runs_logged"] == 1
    for row in rows:
        assert row["id"] not in printed and row["text"][:40] not in printed


def test_ids_pick_rows_by_prefix_and_never_the_sealed_set(capsys) -> None:
    rows = read_devset(REPO / "evaluation" / "claims_devset.csv")
    spanish = harness.select_ids(rows, "es-")
    assert spanish and all(r["id"].startswith("es-") for r in spanish)
    assert len(harness.select_ids(rows, "en-, es-")) == len(rows)
    with pytest.raises(BorderflowError, match="no row's id starts with zz-"):
        harness.select_ids(rows, "zz-")
    with pytest.raises(SystemExit):
        harness.main(["--set", "test", "--ids", "x"])
    assert "sealed" in capsys.readouterr().err

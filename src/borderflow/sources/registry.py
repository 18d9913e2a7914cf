"""The registry of actors, instruments and events (issue 17), loaded as releases like any source.

Publisher: borderflow's own registry of who and when, compiled from official and reputable
    publications; every row cites the page it was read from (``source_url``, publisher, date,
    title) and the day it was checked. Schema and how to add a fact: ``docs/registry.md``.
URL: https://github.com/borderflow (files shipped in ``borderflow/reference/registry``).
Licence: the facts are public record; each row's source keeps its own terms.
Cadence: revised by hand when a fact is added, corrected or contested.

Quirks:
    - The files live in the package, not in the mirror: ``files_in`` reads the package folder
      whatever mirror ingest is given, so ``borderflow ingest`` loads the registry on every
      mirror and no mirror file is touched. A revised file is a new release of the same name,
      dated after the one it replaces, so ``--as-of`` reaches earlier versions.
    - The five files are validated together (``borderflow.registry.load_registry``): a row in
      one file that breaks the schema, or points at an id another file lacks, refuses every
      file of the registry — nothing is half loaded.
    - Each row is stored as one observation (``value`` 1, measure ``registry_<file>``, the row's
      id in ``commodity``, its source URL in ``footnote``) in the month the fact was checked:
      the store keeps which facts a release held and when they were checked, the registry
      itself is read from the validated files (``Registry.provenance`` gives their checksums,
      equal to the releases' ``sha256``).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from borderflow.errors import BorderflowError, SourceError
from borderflow.registry.load import (
    Problem,
    RegistryError,
    package_folder,
    read_registry,
    read_texts,
)
from borderflow.registry.schema import COLUMNS, FILES
from borderflow.sources.base import (
    FileSeries,
    ParsedFile,
    Source,
    finish,
    make_observations,
    month_end,
)
from borderflow.sources.issues import Issue
from borderflow.sources.tabular import decode_text

PAGE = "https://github.com/borderflow"


def parse_registry_file(raw: bytes, file: str) -> ParsedFile:
    """One registry file, validated with the package's other four, as one observation per row.

    Raises:
        SourceError: the file is not one of the registry's, or the registry it makes with the
            other files is invalid (every problem listed with file, row and field).
    """
    name = Path(file).name
    if name not in COLUMNS:
        message = f"{file}: not a registry file (the registry has {', '.join(FILES)})"
        raise SourceError(message, file=file, issues=[Issue("empty_file", "fatal", file, message)])
    text = decode_text(raw, file)
    try:
        texts = {**read_texts(package_folder()), name: text}
        _validate(tuple(sorted(texts.items())), str(package_folder()))
    except RegistryError as exc:
        issues = [_issue(p) for p in exc.problems]
        raise SourceError(str(exc), file=file, issues=issues) from None
    except BorderflowError as exc:
        raise SourceError(str(exc), file=file) from None
    return _observations(text, name)


@functools.lru_cache(maxsize=4)
def _validate(texts: tuple[tuple[str, str], ...], folder: str) -> None:
    """Validate the five texts together, once per distinct set (ingest parses five files that
    make the same registry).

    Raises:
        RegistryError: as ``read_registry``.
    """
    read_registry(dict(texts), folder)


def _issue(problem: Problem) -> Issue:
    return Issue(
        problem.kind, "fatal", problem.file, problem.message, problem.row or None, problem.field
    )


def _observations(text: str, name: str) -> ParsedFile:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    end = 1  # the header's line; a row starts on the line after the previous one ends
    for cells in reader:
        if any((v or "").strip() for v in cells.values()):
            rows.append({**cells, "source_row": end + 1})
        end = reader.line_num
    frame = pd.DataFrame(rows)
    checked = pd.to_datetime(frame["checked"].str.strip(), format="%Y-%m-%d")
    month = pd.Series(checked.dt.to_period("M").dt.to_timestamp(), index=frame.index)
    facts = make_observations(
        frame,
        measure=f"registry_{name.removesuffix('.csv')}",
        unit="rows",
        status="reported",
        period_type="month",
        period_start=month,
        period_end=month_end(month),
        value=pd.Series(1.0, index=frame.index),
        dims={"commodity": _row_ids(frame, name)},
        footnote=frame["source_url"].str.strip(),
    )
    return finish([facts], name, [], len(frame))


def _row_ids(frame: pd.DataFrame, name: str) -> pd.Series:
    """Each row's id; a role's is ``subject:actor:role``."""
    if name == "roles.csv":
        return (
            frame["subject"].str.strip()
            + ":"
            + frame["actor"].str.strip()
            + ":"
            + frame["role"].str.strip()
        )
    return frame["id"].str.strip()


def _month(through: date) -> date:
    """A release's vintage: the first day of the newest month a fact in it was checked."""
    return through


@dataclass(frozen=True)
class PackagedSource(Source):
    """A source whose files ship inside borderflow: found in the package, not in the mirror."""

    def files_in(self, mirror: Path) -> list[tuple[FileSeries, Path]]:
        folder = package_folder()
        return [
            (series, folder / series.pattern)
            for series in self.series
            if (folder / series.pattern).is_file()
        ]


SOURCE = PackagedSource(
    name="registry",
    title="Registry of actors, agreements and events (who and when), sourced row by row",
    publisher="borderflow (compiled from official and reputable sources cited in each row)",
    homepage=PAGE,
    licence="public record; each row's cited source keeps its own terms",
    cadence="revised by hand",
    folder="registry",
    parser_version="1",
    quirks=__doc__ or "",
    series=tuple(
        FileSeries(
            key=name.removesuffix(".csv"), pattern=name, parse=parse_registry_file, published=_month
        )
        for name in FILES
    ),
)

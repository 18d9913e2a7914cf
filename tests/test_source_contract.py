"""One contract, checked on every registered source: its real files parse into valid observations,
and no input whatsoever makes a parser raise anything but the package's own errors."""

from __future__ import annotations

import contextlib
import functools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from borderflow.errors import BorderflowError
from borderflow.sources import all_sources
from borderflow.sources.base import (
    DIMENSIONS,
    KEY_COLUMNS,
    OBSERVATION_COLUMNS,
    PERIOD_TYPES,
    STATUSES,
    FileSeries,
    Source,
)
from borderflow.sources.issues import ISSUE_KINDS
from conftest import MIRROR

SERIES = [(s, series) for s in all_sources().values() for series in s.series]
FILES = [(s, series, path) for s in all_sources().values() for series, path in s.files_in(MIRROR)]


def ids(case: tuple) -> str:
    return "/".join(getattr(x, "name", None) or getattr(x, "key", "") for x in case)


@pytest.mark.parametrize("source", all_sources().values(), ids=lambda s: s.name)
def test_source_documents_itself(source: Source) -> None:
    module_doc = source.quirks or ""
    for word in ("Publisher", "URL", "Licence", "Cadence", "Quirks"):
        assert word in module_doc, f"{source.name}: module docstring lacks {word}"
    assert source.homepage.startswith("http")
    assert source.files_in(MIRROR), f"{source.name}: no files found in {MIRROR / source.folder}"


@pytest.mark.parametrize("case", FILES, ids=[ids(c) for c in FILES])
def test_real_file_parses_into_valid_observations(case: tuple[Source, FileSeries, object]) -> None:
    source, series, path = case
    parsed = series.parse(path.read_bytes(), path.name)  # type: ignore[attr-defined]
    obs = parsed.observations
    assert list(obs.columns) == list(OBSERVATION_COLUMNS)
    assert len(obs) > 0 and parsed.rows_read > 0
    assert set(obs["status"]) <= set(STATUSES)
    assert set(obs["period_type"]) <= set(PERIOD_TYPES)
    assert obs["unit"].notna().all() and obs["measure"].notna().all()
    assert (pd.to_datetime(obs["period_start"]) <= pd.to_datetime(obs["period_end"])).all()
    assert not obs.duplicated(subset=list(KEY_COLUMNS)).any()
    assert all(i.kind in ISSUE_KINDS for i in parsed.issues)
    used = [d for d in DIMENSIONS if obs[d].notna().any()]
    assert used, f"{source.name}: observations carry no dimension at all"
    known = series.known_file(path.name)  # type: ignore[attr-defined]
    if known is not None and known.rows is not None:
        assert parsed.rows_read == known.rows


@functools.cache
def header_of(series: FileSeries) -> bytes:
    """The real header line of the series' first file (so fuzzing reaches past header checks)."""
    source = next(s for s, se in SERIES if se is series)
    files = [p for se, p in source.files_in(MIRROR) if se is series]
    return files[0].read_bytes().split(b"\n", 1)[0] + b"\n" if files else b""


@pytest.mark.parametrize("case", SERIES, ids=[ids(c) for c in SERIES])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), text=st.text(max_size=400), with_header=st.booleans())
def test_arbitrary_bytes_raise_only_package_errors(
    case: tuple[Source, FileSeries], data: bytes, text: str, with_header: bool
) -> None:
    _, series = case
    raw = header_of(series) + text.encode("utf-8", "surrogatepass") + data if with_header else data
    with contextlib.suppress(BorderflowError):
        series.parse(raw, "fuzz.csv")

"""Reading delimited text the way every source needs it, with typed issues.

``read_csv_table`` decodes bytes (BOM, CRLF and a list of accepted encodings), maps the header to
canonical column names (so reordered columns are fine and a missing one is named), and returns a
frame of strings with ``source_row`` — the file's own line number — so every later issue can point
at the row. ``to_numbers`` and ``drop_duplicate_keys`` turn bad cells and repeated rows into issues.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from borderflow.errors import SourceError
from borderflow.sources.issues import Issue, shorten
from borderflow.vocabulary import fold_words as fold

#: Rows shown in a message before "and N more".
MAX_LISTED = 5


def decode_text(raw: bytes, file: str, encodings: Sequence[str] = ("utf-8",)) -> str:
    """Decode ``raw`` with the first encoding that fits; strip a UTF-8 BOM.

    Raises:
        SourceError: no encoding fits; the message gives the line and byte where decoding failed.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    first_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    line = raw[: first_error.start].count(b"\n") + 1
    issue = Issue(
        "encoding",
        "fatal",
        file,
        f"byte {first_error.start} is not valid {'/'.join(encodings)}",
        row=line,
    )
    raise SourceError(
        f"{file}: line {line} is not valid {' or '.join(encodings)} text "
        f"(byte {first_error.start}: {raw[first_error.start : first_error.start + 1]!r}). "
        f"Re-save the file as {encodings[0]} or download it again.",
        file=file,
        issues=[issue],
    )


def read_csv_table(
    raw: bytes,
    file: str,
    columns: Mapping[str, Iterable[str]],
    *,
    encodings: Sequence[str] = ("utf-8",),
    repair_header: bool = False,
) -> tuple[pd.DataFrame, list[Issue], int]:
    """Read a CSV file into a frame of strings with canonical column names.

    Args:
        raw: the file's bytes.
        file: file name, for messages.
        columns: canonical name → accepted header spellings (compared after ``fold``).
        encodings: tried in order.
        repair_header: also accept header names whose first and last characters match
            (for files whose accented header letters were mangled by a past re-encoding).

    Returns:
        (frame, issues, rows_read): the frame holds the requested columns plus ``source_row``;
        malformed rows are left out and reported as issues.

    Raises:
        SourceError: the file is empty, lacks a required column, or ends mid-row.
    """
    text = decode_text(raw, file, encodings)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise SourceError(
            f"{file}: the file is empty (no header row). Download it again.",
            file=file,
            issues=[Issue("empty_file", "fatal", file, "no header row", row=1)],
        )
    positions = _map_header(header, columns, file, repair_header)
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[Issue] = []
    rows_read = 0
    width = len(header)
    last_line = 1
    for record in reader:
        last_line = reader.line_num
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        rows_read += 1
        if len(record) != width:
            issues.append(_malformed(file, last_line, len(record), width))
            continue
        rows.append([record[i] for i in positions.values()])
        lines.append(last_line)
    _refuse_if_truncated(text, file, issues, last_line)
    frame = pd.DataFrame(rows, columns=list(positions), dtype="object")
    frame["source_row"] = pd.Series(lines, dtype="int64")
    return frame, issues, rows_read


def _map_header(
    header: list[str], columns: Mapping[str, Iterable[str]], file: str, repair: bool
) -> dict[str, int]:
    folded = [fold(h) for h in header]
    positions: dict[str, int] = {}
    missing = []
    for name, spellings in columns.items():
        wanted = [fold(s) for s in spellings]
        index = next((i for i, h in enumerate(folded) if h in wanted), None)
        if index is None and repair:
            index = next((i for i, h in enumerate(folded) if _loosely_equal(h, wanted)), None)
        if index is None:
            missing.append((name, next(iter(spellings))))
        else:
            positions[name] = index
    if missing:
        names = ", ".join(repr(spelling) for _, spelling in missing)
        issues = [
            Issue(
                "missing_column", "fatal", file, f"column {spelling!r} not in header", 1, spelling
            )
            for _, spelling in missing
        ]
        raise SourceError(
            f"{file}: missing column(s) {names}; the header has {shorten(', '.join(header), 200)}. "
            "Check that this is the right file for this source, or download it again.",
            file=file,
            issues=issues,
        )
    return positions


def _loosely_equal(header: str, wanted: list[str]) -> bool:
    return any(len(header) == len(w) and header[0] == w[0] and header[-1] == w[-1] for w in wanted)


def _malformed(file: str, line: int, got: int, want: int) -> Issue:
    return Issue(
        "malformed_row",
        "error",
        file,
        f"row has {got} fields, the header has {want}; row skipped",
        row=line,
    )


def _refuse_if_truncated(text: str, file: str, issues: list[Issue], last_line: int) -> None:
    """A file whose last row is malformed and lacks a final newline was cut off mid-row."""
    ends_cleanly = text.endswith(("\n", "\r"))
    last_is_bad = (
        bool(issues) and issues[-1].kind == "malformed_row" and issues[-1].row == last_line
    )
    if last_is_bad and not ends_cleanly:
        raise SourceError(
            f"{file}: the file ends in the middle of row {last_line}; it looks truncated. "
            "Download it again (borderflow fetch) or restore the complete file in the mirror.",
            file=file,
            issues=[Issue("truncated_file", "fatal", file, "file ends mid-row", row=last_line)],
        )


def to_numbers(
    frame: pd.DataFrame,
    column: str,
    file: str,
    issues: list[Issue],
    *,
    label: str | None = None,
    blank_ok: bool = False,
    thousands: bool = True,
) -> pd.Series:
    """Convert a string column to floats; unparseable cells become ``error`` issues and NaN.

    Blank cells are NaN; they are errors unless ``blank_ok`` (for values a publisher withholds).
    """
    text = frame[column].fillna("").astype(str).str.strip()
    cleaned = text.str.replace(",", "", regex=False) if thousands else text
    numbers = pd.to_numeric(cleaned, errors="coerce")
    blank = text == ""
    bad = numbers.isna() & ~blank
    if not blank_ok:
        bad = bad | blank
    for row, value in zip(frame.loc[bad, "source_row"], text[bad], strict=True):
        issues.append(
            Issue(
                "unparseable_number",
                "error",
                file,
                f"{value!r} is not a number; row skipped" if value else "empty value; row skipped",
                row=int(row),
                column=label or column,
                value=shorten(value),
            )
        )
    return numbers.astype("float64")


def flag_rows(
    issues: list[Issue],
    file: str,
    frame: pd.DataFrame,
    bad: pd.Series,
    values: pd.Series,
    *,
    kind: str,
    column: str,
    message: Callable[[str], str],
    severity: str = "error",
) -> None:
    """Append one issue per row of ``frame`` selected by ``bad``, naming its line and column."""
    for row, value in zip(frame.loc[bad, "source_row"], values[bad], strict=True):
        issues.append(Issue(kind, severity, file, message(value), int(row), column, shorten(value)))


def rows_with_errors(issues: Iterable[Issue]) -> set[int]:
    """Line numbers of rows that carry an ``error`` issue (and so must not be loaded)."""
    return {i.row for i in issues if i.severity == "error" and i.row is not None}


def drop_rejected(frame: pd.DataFrame, issues: Iterable[Issue]) -> pd.DataFrame:
    """The rows of ``frame`` not rejected by an ``error`` issue."""
    rejected = rows_with_errors(issues)
    if not rejected:
        return frame
    return frame[~frame["source_row"].isin(rejected)]


def drop_duplicate_keys(
    observations: pd.DataFrame, key: Sequence[str], file: str, issues: list[Issue]
) -> pd.DataFrame:
    """Keep the first of rows with the same key; report the others as ``duplicate_key`` errors."""
    dup = observations.duplicated(subset=list(key), keep="first")
    if not dup.any():
        return observations
    first = observations.groupby(list(key), dropna=False, sort=False)["source_row"].transform(
        "first"
    )
    repeats = pd.DataFrame({"row": observations["source_row"], "first": first})[dup]
    for row, kept in repeats.drop_duplicates("row").itertuples(index=False):
        issues.append(
            Issue(
                "duplicate_key",
                "error",
                file,
                f"same key as row {kept}; row {kept} is kept and this one skipped",
                row=int(row),
            )
        )
    return observations[~dup]


def unknown_values(
    frame: pd.DataFrame,
    column: str,
    allowed: Iterable[str],
    file: str,
    issues: list[Issue],
    *,
    label: str | None = None,
    severity: str = "warning",
) -> None:
    """Report cells whose value is not among ``allowed`` as ``unknown_category`` issues."""
    allowed_set = set(allowed)
    bad = ~frame[column].isin(allowed_set)
    for row, value in zip(frame.loc[bad, "source_row"], frame.loc[bad, column], strict=True):
        issues.append(
            Issue(
                "unknown_category",
                severity,
                file,
                f"{value!r} is not a known value"
                + ("; row skipped" if severity == "error" else "; row kept"),
                row=int(row),
                column=label or column,
                value=shorten(value),
            )
        )

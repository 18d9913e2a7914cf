"""Reading delimited text the way every source needs it, with typed issues.

``read_csv_table`` decodes bytes (BOM, CRLF and a list of accepted encodings), maps the header to
canonical column names (so reordered columns are fine and a missing one is named), and returns a
frame of strings with ``source_row`` — the file's own line number — so every later issue can point
at the row. ``to_numbers`` and ``drop_duplicate_keys`` turn bad cells and repeated rows into issues.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from borderflow.errors import SourceError
from borderflow.sources.columns import NOT_REPEATED, repeated_value, rows_where
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
    lines = _plain_lines(text)
    if lines is not None:
        return _table_from_lines(lines[1:], text, file, positions, len(header))
    records = list(reader)
    if len(records) + 1 == _physical_lines(text):
        # One record per line, so a record's line number is its position: read it in bulk.
        return _table_by_position(records, text, file, positions, len(header))
    return _table_by_line(text, file, positions, len(header))


def _plain_lines(text: str) -> list[str] | None:
    """The lines of ``text`` if splitting each at commas reads it exactly as ``csv`` would.

    That holds when there are no quotes, no line ends but ``\\n`` and ``\\r\\n``, and no line
    longer than ``csv``'s field size limit (over which ``csv`` raises). Otherwise None.
    """
    if '"' in text:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if max(map(len, lines), default=0) > csv.field_size_limit():
        return None
    return lines


def _physical_lines(text: str) -> int:
    """Lines ``io.StringIO(text, newline="")`` yields: ends are ``\\n``, ``\\r\\n`` or ``\\r``."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (0 if not text or text.endswith(("\n", "\r")) else 1)


def _table_from_lines(
    lines: list[str], text: str, file: str, positions: dict[str, int], width: int
) -> tuple[pd.DataFrame, list[Issue], int]:
    """``read_csv_table``'s result for the data lines of a file read by ``_plain_lines``."""
    sizes = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    commas = np.fromiter(map(operator.methodcaller("count", ","), lines), np.int64, len(lines))
    lengths = np.where(sizes == 0, 0, commas + 1)  # fields csv reads; none on an empty line
    blank = lengths == 0
    for i in np.flatnonzero(lengths == 1):
        blank[i] = not lines[i].strip()
    good, issues, rows_read = _check_widths(lengths, blank, width, text, file)
    kept = lines if good.all() else list(itertools.compress(lines, good.tolist()))
    # Every kept line has ``width - 1`` commas, so joined they split into rows × width fields.
    fields = np.array(",".join(kept).split(",") if kept else [], dtype=object)
    return _bulk_frame(fields.reshape(len(kept), width), good, positions), issues, rows_read


def _table_by_position(
    records: list[list[str]], text: str, file: str, positions: dict[str, int], width: int
) -> tuple[pd.DataFrame, list[Issue], int]:
    """``read_csv_table``'s result when record ``i`` (0-based, after the header) is line ``i + 2``.

    Same rows, issues and refusals as ``_table_by_line``, without a Python step per row.
    """
    lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    blank = lengths == 0
    for i in np.flatnonzero(lengths == 1):
        blank[i] = not records[i][0].strip()
    good, issues, rows_read = _check_widths(lengths, blank, width, text, file)
    kept = records if good.all() else list(itertools.compress(records, good.tolist()))
    # Every kept record has ``width`` fields: read them in one pass, row after row.
    cells = itertools.chain.from_iterable(kept)
    fields = np.fromiter(cells, dtype=object, count=len(kept) * width).reshape(len(kept), width)
    return _bulk_frame(fields, good, positions), issues, rows_read


def _check_widths(
    lengths: np.ndarray, blank: np.ndarray, width: int, text: str, file: str
) -> tuple[np.ndarray, list[Issue], int]:
    """Which data rows to keep, the malformed-row issues, and the rows read (blank ones are not).

    Raises:
        SourceError: the last row is malformed and the file does not end with a line end.
    """
    good = (lengths == width) & ~blank
    lines = np.arange(2, len(lengths) + 2, dtype=np.int64)
    malformed = ~good & ~blank
    issues = [
        _malformed(file, int(line), int(got), width)
        for line, got in zip(lines[malformed], lengths[malformed], strict=True)
    ]
    _refuse_if_truncated(text, file, issues, len(lengths) + 1 if len(lengths) else 1)
    return good, issues, int((~blank).sum())


def _bulk_frame(fields: np.ndarray, good: np.ndarray, positions: dict[str, int]) -> pd.DataFrame:
    """The frame of the kept rows' ``fields`` (rows × all columns), numbered by line."""
    if not len(fields):
        return _frame([], [], positions)
    frame = pd.DataFrame({name: fields[:, i] for name, i in positions.items()}, dtype=object)
    frame["source_row"] = np.flatnonzero(good) + 2
    return frame


def _table_by_line(
    text: str, file: str, positions: dict[str, int], width: int
) -> tuple[pd.DataFrame, list[Issue], int]:
    """``read_csv_table``'s result, read record by record (for quoted line breaks)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)  # the header
    rows: list[list[str]] = []
    lines: list[int] = []
    issues: list[Issue] = []
    rows_read = 0
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
    return _frame(rows, lines, positions), issues, rows_read


def _frame(rows: list[list[str]], lines: list[int], positions: dict[str, int]) -> pd.DataFrame:
    """The frame of ``rows`` (the requested fields only) with their line numbers."""
    frame = pd.DataFrame(rows, columns=list(positions), dtype="object")
    frame["source_row"] = pd.Series(lines, dtype="int64")
    return frame


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


def stripped(column: pd.Series) -> pd.Series:
    """``column.fillna("").astype(str).str.strip()``, stripping each distinct value once.

    Category-like columns repeat a few values over many rows, so this is much faster.
    """
    return per_value(column, lambda value: str(value).strip(), "")


def by_distinct(convert: Callable[..., pd.Series], *columns: pd.Series) -> pd.Series:
    """``convert(*columns)``, computed once per distinct combination of the columns' values.

    ``convert`` must treat each row on its own (vectorised string, number or date parsing);
    its result is spread back to every row. Columns with missing cells are converted whole.

    Returns:
        ``convert``'s result on the index of ``columns[0]``.
    """
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = factorize_text(column.to_numpy(dtype=object))
        if (codes == -1).any():
            return convert(*columns)
        combined, _ = pd.factorize(combined * len(uniques) + codes)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    picked = [column.iloc[first].reset_index(drop=True) for column in columns]
    converted = convert(*picked)
    return pd.Series(
        converted.array.take(inverse.ravel()), index=columns[0].index, name=converted.name
    )


def per_value(column: pd.Series, convert: Callable[[object], object], missing: object) -> pd.Series:
    """``convert`` applied to each distinct value of ``column`` once; missing cells → ``missing``.

    Returns:
        An object Series with ``column``'s index and name.
    """
    codes, uniques = factorize_text(column.to_numpy(dtype=object))
    converted = np.empty(len(uniques) + 1, dtype=object)
    converted[:-1] = [convert(value) for value in uniques]
    converted[-1] = missing  # code -1: a missing cell
    return pd.Series(converted[codes], index=column.index, name=column.name, dtype=object)


def factorize_text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of an object array of text: codes (-1 where missing) and distinct values.

    Exact for text holding NUL characters too, which pandas' string hashing would confuse with
    the text before the NUL (``"a\\x00b"`` with ``"a"``).
    """
    # A leading None makes pandas hash the values as Python objects, not as C strings.
    codes, uniques = pd.factorize(np.concatenate([np.array([None], dtype=object), values]))
    return codes[1:], uniques


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
    Each distinct text is converted once: as it is where it reads as a number (``pd.to_numeric``
    skips surrounding blanks as ``str.strip`` would), else stripped and without thousands
    separators.
    """
    codes, uniques = factorize_text(frame[column].to_numpy(dtype=object))
    texts = np.append(uniques.astype(object), "")  # code -1, a missing cell, reads as blank
    parsed = pd.to_numeric(texts, errors="coerce").astype("float64")
    unread = np.flatnonzero(np.isnan(parsed))
    texts[unread] = [str(value).strip() for value in texts[unread]]
    parsed[unread] = _parse_numbers(texts[unread], thousands)
    blank = np.zeros(len(texts), dtype=bool)
    blank[unread] = texts[unread] == ""
    bad_text = (np.isnan(parsed) & ~blank) | (blank & (not blank_ok))
    bad = bad_text[codes]
    if bad.any():
        _report_numbers(frame, bad, texts[codes], file, issues, label or column)
    return pd.Series(parsed[codes], index=frame.index, name=column)


def _parse_numbers(texts: np.ndarray, thousands: bool) -> np.ndarray:
    """``pd.to_numeric`` of stripped texts (less thousands separators) as float64, NaN if bad."""
    cleaned = np.array([text.replace(",", "") for text in texts] if thousands else texts, object)
    return pd.to_numeric(cleaned, errors="coerce").astype("float64")


def _report_numbers(
    frame: pd.DataFrame,
    bad: np.ndarray,
    text: np.ndarray,
    file: str,
    issues: list[Issue],
    label: str,
) -> None:
    """One ``unparseable_number`` error per row selected by ``bad``."""
    for row, value in zip(frame["source_row"].to_numpy()[bad], text[bad], strict=True):
        issues.append(
            Issue(
                "unparseable_number",
                "error",
                file,
                f"{value!r} is not a number; row skipped" if value else "empty value; row skipped",
                row=int(row),
                column=label,
                value=shorten(value),
            )
        )


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
    # A column with one value in every row, or none, cannot tell rows apart: leave it out.
    used = [name for name in key if _tells_rows_apart(observations[name])] or list(key)
    dup = observations.duplicated(subset=used, keep="first")
    if not dup.any():
        return observations
    groups = observations.groupby(used, dropna=False, sort=False)
    first = groups["source_row"].transform("first")
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
    return rows_where(observations, ~dup.to_numpy())


def _tells_rows_apart(column: pd.Series) -> bool:
    """Whether ``column`` may hold different keys in different rows: not one value repeated by
    construction (``repeated``), and a value in at least one row."""
    return repeated_value(column) is NOT_REPEATED and _has_values(column)


def _has_values(column: pd.Series) -> bool:
    """``column.notna().any()``, deciding on the first cell where it holds a value."""
    values = column.to_numpy()
    return len(values) > 0 and (not pd.isna(values[0]) or not pd.isna(values).all())


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

"""Columns of observation frames built without a copy per row.

Most columns of most files hold one value in every row (a unit, a status, a dimension the file
does not have). ``repeated`` makes such a column a read-only view of one cell instead of one
copy per row, and ``repeated_value`` recognises it, so the duplicate-key check and the
warehouse need not read it row by row: the values are the same as an ordinary column's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray


def repeated(value: object, length: int) -> np.ndarray:
    """An object column of ``length`` rows that all hold ``value``, as a read-only view of one
    cell instead of ``length`` copies. ``repeated_value`` tells such a column from others, so
    checks and the warehouse need not read it row by row."""
    cell = np.empty(1, dtype=object)
    cell[0] = value
    return np.broadcast_to(cell, length)


#: What ``repeated_value`` returns for a column not made by ``repeated``.
NOT_REPEATED = object()


def repeated_value(column: pd.Series) -> object:
    """The value every row of ``column`` holds if it is one value repeated by construction (a
    column made by ``repeated``: ``rows_where`` and ``base.combine`` keep it so, pandas' own row
    selections and concatenations make it an ordinary column), else ``NOT_REPEATED``. Ordinary
    columns are not inspected: this costs nothing."""
    if not isinstance(column.dtype, np.dtype):
        return NOT_REPEATED
    values = column.to_numpy()  # the column's own array, not a copy
    if len(values) and values.strides == (0,):
        return values[0]
    return NOT_REPEATED


def rows_where(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` where the boolean array ``keep`` is true, numbered from 0 (the
    values of ``frame[keep].reset_index(drop=True)``): a column of one repeated value
    (``repeated``) stays that value repeated instead of being copied row by row."""
    columns: dict[str, np.ndarray | ExtensionArray] = {}
    length = int(np.count_nonzero(keep))
    for name in frame.columns:
        value = repeated_value(frame[name])
        if value is NOT_REPEATED:
            columns[name] = aligned(frame[name], frame.index)[keep]
        else:
            columns[name] = repeated(value, length)
    return frame_of(columns, length)


def aligned(value: object, index: pd.Index) -> np.ndarray | ExtensionArray:
    """``value`` as a column of a frame on ``index``: a scalar repeated, a Series aligned."""
    if not isinstance(value, pd.Series):
        return np.full(len(index), value, dtype=object)
    if len(index) and not value.index.equals(index):
        value = value.reindex(index)
    return value.to_numpy() if isinstance(value.dtype, np.dtype) else value.array


def frame_of(columns: dict[str, np.ndarray | ExtensionArray], length: int) -> pd.DataFrame:
    """A frame numbered from 0 of ``columns`` (arrays of ``length`` rows), without copying them
    and without pandas' type inference on object arrays: a text column stays text, as in a
    frame built with ``dtype=object``."""
    index = pd.RangeIndex(length)
    return pd.DataFrame(
        {
            name: pd.Series(value, index=index, dtype=value.dtype, copy=False)
            if isinstance(value, np.ndarray)
            else value
            for name, value in columns.items()
        },
        index=index,
        copy=False,
    )

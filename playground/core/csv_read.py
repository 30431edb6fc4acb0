"""Reading a dataset's CSV file fast, in blocks of lines: progress after each, a way to stop,
and every row checked before anything is handed back (csv_format.py is the format).

A block is converted column by column once its blank lines and comments are set aside (the
lines without the layout's number of commas, looked at one by one): one join, one split,
``float`` mapped over a column (the same conversion as a line at a time, at C speed), and a
table of the few distinct labels and splits. A row of the wrong length or a bad field sends
the block through the line-at-a-time parser, which names the line and the column of the first
bad field.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import compress, repeat

import numpy as np

from playground.core.csv_format import (
    EXPECTED,
    LABELS,
    VALUES,
    Layout,
    Rows,
    fields_of,
    is_data,
    label_of,
    layout_of,
    parse_row,
    split_of,
)
from playground.core.dataset_state import MAX_POINTS, check_points, check_values

BLOCK_LINES = 5000  # lines converted between two progress reports (a few ms)
# MAX_POINTS rows take about 5 MiB as the app writes them: a larger file is refused unread
MAX_FILE_BYTES = 64 * 1024 * 1024

Progress = Callable[[int, int], None]  # (lines read, lines in the file)
Cancelled = Callable[[], bool]  # True: stop reading


class ReadCancelled(Exception):
    """The reader was asked to stop; nothing was read."""


def read_csv(path: str | os.PathLike[str], progress: Progress | None = None,
             cancelled: Cancelled | None = None) -> Rows:
    """The checked rows of a CSV file: ValueError naming the file, the line and the column of
    the first bad field (UnicodeDecodeError for a file that is not UTF-8), OSError if it cannot
    be read, ReadCancelled once cancelled() says so."""
    with open(path, encoding="utf-8") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"{path} is {size / 2**20:.0f} MiB; a dataset file may be at most "
                             f"{MAX_FILE_BYTES // 2**20} MiB ({MAX_POINTS} points)")
        text = f.read()
    return parse_csv(text, str(path), progress, cancelled)


def parse_csv(text: str, source: str, progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> Rows:
    """The checked rows of CSV text read from source (named in every error); see read_csv."""
    lines = text.splitlines()
    total = len(lines)
    start = next((i for i, line in enumerate(lines) if is_data(line)), None)
    if start is None:  # not even a header: an empty or all-comment file is no dataset
        raise ValueError(f"{source}: no points found; expected lines of {EXPECTED}")
    layout, is_header = layout_of(fields_of(lines[start]), f"{source}, line {start + 1}")
    start += is_header
    blocks: list[Rows] = []
    n_rows = 0
    for begin in range(start, total, BLOCK_LINES):
        if cancelled is not None and cancelled():
            raise ReadCancelled
        block = lines[begin:begin + BLOCK_LINES]
        rows = _fast_block(block, begin + 1, layout) or _exact_block(block, begin + 1, layout,
                                                                     source)
        n_rows += len(rows.lines)
        if n_rows > MAX_POINTS:
            line = int(rows.lines[MAX_POINTS - n_rows])  # the first row past the limit
            raise ValueError(f"{source}, line {line}: more than {MAX_POINTS} points; a dataset "
                             f"holds at most {MAX_POINTS} (so that a workspace can save it)")
        blocks.append(rows)
        if progress is not None:
            progress(begin + len(block), total)
    rows = _joined(layout, blocks)
    check_points(rows.points, lambda row, axis: f"{source}, line {rows.lines[row]}: "
                                                f"{axis} (column {'xy'.index(axis) + 1})")
    check_values(rows.values, lambda row: f"{source}, line {rows.lines[row]}: value (column 3)")
    return rows


def _fast_block(block: list[str], first: int, layout: Layout) -> Rows | None:
    """The rows of lines numbered from first, converted column by column; None if a line is
    not a plain data row, a blank line or a comment (the exact parser then says which and why).
    """
    k = len(layout.names)
    commas = np.fromiter(map(str.count, block, repeat(",")), np.intp, len(block))  # (n,)
    lines = np.arange(first, first + len(block), dtype=np.int64)  # (n,)
    odd = commas != k - 1  # blank lines and comments, or rows of the wrong length
    if odd.any():
        if any(is_data(block[i]) for i in np.flatnonzero(odd)):
            return None
        block, lines = list(compress(block, ~odd)), lines[~odd]
    n = len(block)
    fields = ",".join(block).split(",")  # (n * k,) the rows' fields, one after the other
    try:
        points = np.empty((n, 2))  # (n, 2)
        points[:, 0] = np.fromiter(map(float, fields[0::k]), np.float64, n)
        points[:, 1] = np.fromiter(map(float, fields[1::k]), np.float64, n)
        values = (np.fromiter(map(float, fields[2::k]), np.float64, n)
                  if layout.columns == VALUES else np.zeros(n))  # (n,)
    except ValueError:  # a field that is no number, or a comment with the row's commas
        return None
    labels = np.zeros(n, np.int64)  # (n,)
    if layout.columns == LABELS:
        labels = _by_table(fields[2::k], label_of, np.int64)
    is_test = _by_table(fields[k - 1::k], split_of, bool) if layout.has_split else None
    if labels is None or (layout.has_split and is_test is None):
        return None
    return Rows(layout.columns, points, labels, values, is_test, lines)


def _by_table(column: list[str], convert: Callable[[str], object], dtype: type
              ) -> np.ndarray | None:
    """convert applied to the column's few distinct fields, then looked up for each; None if
    convert refuses one (returns None)."""
    table = {field: convert(field) for field in set(column)}
    if None in table.values():
        return None
    return np.fromiter(map(table.__getitem__, column), dtype, len(column))


def _exact_block(block: list[str], first: int, layout: Layout, source: str) -> Rows:
    """The rows of lines numbered from first, a line at a time: blank lines and comments are
    skipped, and ValueError names the line and the column of the first bad field."""
    parsed = [(number, parse_row(fields_of(line), layout, f"{source}, line {number}"))
              for number, line in enumerate(block, start=first) if is_data(line)]
    rows = [row for _, row in parsed]
    n = len(rows)
    marks = np.array([row.mark for row in rows], dtype=np.float64)  # (n,)
    return Rows(layout.columns, np.array([(row.x, row.y) for row in rows],
                                         dtype=np.float64).reshape(n, 2),
                marks.astype(np.int64) if layout.columns == LABELS else np.zeros(n, np.int64),
                marks if layout.columns == VALUES else np.zeros(n),
                np.array([row.is_test for row in rows], dtype=bool) if layout.has_split else None,
                np.array([number for number, _ in parsed], dtype=np.int64))


def _joined(layout: Layout, blocks: list[Rows]) -> Rows:
    """One Rows of the blocks', in order."""
    def joined(arrays: list[np.ndarray], empty: np.ndarray) -> np.ndarray:
        return np.concatenate(arrays) if arrays else empty

    return Rows(layout.columns, joined([b.points for b in blocks], np.zeros((0, 2))),
                joined([b.labels for b in blocks], np.zeros(0, np.int64)),
                joined([b.values for b in blocks], np.zeros(0)),
                joined([b.is_test for b in blocks], np.zeros(0, bool)) if layout.has_split
                else None,
                joined([b.lines for b in blocks], np.zeros(0, np.int64)))

"""The dataset's file format: CSV rows whose header says the problem type, errors naming the
line and the column.

    x,y,label[,split]   classes 0 to 7 (two classes: 0 and 1); the header may be left out
    x,y,value[,split]   regression: a value at each point
    x,y[,split]         a function of x: each row a sample (x, y); the header may be left out

split is train or test; without it the points are split by the dataset's fraction. This module
writes rows and reads them one line at a time; csv_read.py reads whole files fast.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from playground.core.problems import MAX_CLASSES

LABELS, VALUES, SAMPLES = "label", "value", "samples"  # what a file's third column holds
HEADERS: dict[str, list[str]] = {LABELS: ["x", "y", "label"], VALUES: ["x", "y", "value"],
                                 SAMPLES: ["x", "y"]}
SPLITS = ("train", "test")
EXPECTED = "x,y,label[,split], x,y,value[,split] or x,y[,split]"


class Layout(NamedTuple):
    """The columns of a file's rows."""

    columns: str  # LABELS, VALUES or SAMPLES
    has_split: bool  # a last column says train or test

    @property
    def names(self) -> list[str]:
        """The columns' names, as the header says them."""
        return [*HEADERS[self.columns], *(["split"] if self.has_split else [])]


class Row(NamedTuple):
    """One data line: a point, its label or value (0 where the layout has none), its split."""

    x: float
    y: float
    mark: float  # the label (LABELS) or the value (VALUES)
    is_test: bool  # False without a split column


class Rows(NamedTuple):
    """What a CSV file holds, one entry per data row."""

    columns: str  # LABELS, VALUES or SAMPLES
    points: np.ndarray  # (N, 2) float64
    labels: np.ndarray  # (N,) int64 in 0..MAX_CLASSES - 1 (zeros unless LABELS)
    values: np.ndarray  # (N,) float64 (zeros unless VALUES)
    is_test: np.ndarray | None  # (N,) bool, None without a split column
    lines: np.ndarray  # (N,) int64, the line of the file each row came from


def csv_text(columns: str, points: np.ndarray, marks: np.ndarray | None,
             is_test: np.ndarray) -> str:
    """Rows with a header and a split column (train or test), floats at full precision.

    marks (N,) are the labels (LABELS) or the values (VALUES); None for SAMPLES.
    """
    lines = [",".join([*HEADERS[columns], "split"])]
    split = ["test" if t else "train" for t in is_test.tolist()]
    if columns == SAMPLES:
        for (x, y), s in zip(points.tolist(), split, strict=True):
            lines.append(f"{x!r},{y!r},{s}")
    else:
        for (x, y), mark, s in zip(points.tolist(), marks.tolist(), split, strict=True):
            lines.append(f"{x!r},{y!r},{mark!r},{s}")
    return "\n".join(lines) + "\n"


def is_data(line: str) -> bool:
    """False for a blank line or a comment (# ...), which a file may hold anywhere."""
    line = line.strip()
    return bool(line) and not line.startswith("#")


def fields_of(line: str) -> list[str]:
    """A line's comma-separated fields, without the spaces around them."""
    return [f.strip() for f in line.strip().split(",")]


def layout_of(fields: list[str], where: str) -> tuple[Layout, bool]:
    """The layout the first data line says, and whether that line is a header (else it is the
    first row); ValueError for a header that is none of ours."""
    names = [f.lower() for f in fields]
    for columns, header in HEADERS.items():
        if names == header or names == [*header, "split"]:
            return Layout(columns, len(names) > len(header)), True
    if names[0] == "x":
        raise ValueError(f"{where}: expected a header {EXPECTED}")
    # no header: x,y,label[,split] (the first files), or x,y[,split] when the third field is
    # missing or a split
    if len(fields) == 2 or (len(fields) == 3 and names[2] in SPLITS):
        return Layout(SAMPLES, len(fields) == 3), False
    return Layout(LABELS, len(fields) == 4), False


def parse_row(fields: list[str], layout: Layout, where: str) -> Row:
    """One data line's fields; ValueError naming the column of the first bad one."""
    names = layout.names
    if len(fields) != len(names):
        raise ValueError(f"{where}: expected {len(names)} comma-separated values "
                         f"({','.join(names)}), got {len(fields)}")
    x, y = (_number(fields[i], where, i) for i in (0, 1))
    mark = 0.0
    if layout.columns == LABELS:
        mark = _label(fields[2], where)
    elif layout.columns == VALUES:
        mark = _number(fields[2], where, 2)
    is_test = False
    if layout.has_split:
        is_test = split_of(fields[-1])
        if is_test is None:
            raise ValueError(f"{where}: split (column {len(names)}) must be train or test, "
                             f"got {fields[-1]!r}")
    return Row(x, y, mark, is_test)


def label_of(field: str) -> int | None:
    """A class label 0 to MAX_CLASSES - 1, or None if the field is none."""
    field = field.strip()
    return int(field) if field.isdecimal() and int(field) < MAX_CLASSES else None


def split_of(field: str) -> bool | None:
    """True for test, False for train (in any case), None for anything else."""
    split = field.strip().lower()
    return split == "test" if split in SPLITS else None


def _number(field: str, where: str, column: int) -> float:
    """A field as a float; ValueError naming its column (from 0 here, from 1 in the message)."""
    name = ("x", "y", "value")[column]
    try:
        return float(field)
    except ValueError:
        raise ValueError(f"{where}: {name} (column {column + 1}) must be a number, "
                         f"got {field!r}") from None


def _label(field: str, where: str) -> int:
    """A class label 0 to MAX_CLASSES - 1; ValueError naming column 3."""
    label = label_of(field)
    if label is None:
        raise ValueError(f"{where}: label (column 3) must be a whole number from 0 to "
                         f"{MAX_CLASSES - 1}, got {field!r}")
    return label

"""The dataset's file format: CSV rows whose header says the problem type, errors naming the
line and the column.

    x,y,label[,split]   classes 0 to 7 (two classes: 0 and 1); the header may be left out
    x,y,value[,split]   regression: a value at each point
    x,y[,split]         a function of x: each row a sample (x, y); the header may be left out

split is train or test; without it the points are split by the dataset's fraction.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from playground.core.problems import MAX_CLASSES

LABELS, VALUES, SAMPLES = "label", "value", "samples"  # what a file's third column holds
HEADERS: dict[str, list[str]] = {LABELS: ["x", "y", "label"], VALUES: ["x", "y", "value"],
                                 SAMPLES: ["x", "y"]}
SPLITS = ("train", "test")


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


def _header(fields: list[str]) -> tuple[str, bool] | None:
    """(columns, has split) if fields are one of the headers, else None."""
    names = [f.lower() for f in fields]
    for columns, header in HEADERS.items():
        if names == header or names == [*header, "split"]:
            return columns, len(names) > len(header)
    return None


def _guess(fields: list[str]) -> tuple[str, bool]:
    """The layout of a file without a header, from its first row: x,y,label[,split] (today's
    files), or x,y[,split] when the third field is missing or a split."""
    if len(fields) == 2 or (len(fields) == 3 and fields[2].lower() in SPLITS):
        return SAMPLES, len(fields) == 3
    return LABELS, len(fields) == 4


def parse_csv(text: str, source: str) -> Rows:
    """The rows of CSV text; ValueError naming the line and the column of the first bad field.

    The coordinates and values are numbers, for the dataset to check against what it accepts.
    """
    columns: str | None = None
    has_split = False
    points: list[tuple[float, float]] = []
    marks: list[float] = []
    splits: list[bool] = []
    lines: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        where = f"{source}, line {number}"
        if columns is None:
            header = _header(fields)
            if header is not None:
                columns, has_split = header
                continue
            if fields[0].lower() == "x":
                raise ValueError(f"{where}: expected a header x,y,label[,split], "
                                 "x,y,value[,split] or x,y[,split]")
            columns, has_split = _guess(fields)
        names = [*HEADERS[columns], *(["split"] if has_split else [])]
        if len(fields) != len(names):
            raise ValueError(f"{where}: expected {len(names)} comma-separated values "
                             f"({','.join(names)}), got {len(fields)}")
        x, y = (_number(fields[i], where, i) for i in (0, 1))
        if columns == LABELS:
            marks.append(_label(fields[2], where))
        elif columns == VALUES:
            marks.append(_number(fields[2], where, 2))
        if has_split:
            split = fields[-1]
            if split.lower() not in SPLITS:
                raise ValueError(f"{where}: split (column {len(names)}) must be train or test, "
                                 f"got {split!r}")
            splits.append(split.lower() == "test")
        points.append((x, y))
        lines.append(number)
    if columns is None:  # not even a header: an empty or all-comment file is no dataset
        raise ValueError(f"{source}: no points found; expected lines of x,y,label[,split], "
                         "x,y,value[,split] or x,y[,split]")
    n = len(points)
    marks_array = np.array(marks, dtype=np.float64) if columns != SAMPLES else np.zeros(n)
    labels = marks_array.astype(np.int64) if columns == LABELS else np.zeros(n, np.int64)
    values = marks_array if columns == VALUES else np.zeros(n)
    return Rows(columns, np.array(points, dtype=np.float64).reshape(-1, 2), labels, values,
                np.array(splits, dtype=bool) if has_split else None,
                np.array(lines, dtype=np.int64))


def _number(field: str, where: str, column: int) -> float:
    """A field as a float; ValueError naming its column (from 0 here, from 1 in the message)."""
    name = ("x", "y", "value")[column]
    try:
        return float(field)
    except ValueError:
        raise ValueError(f"{where}: {name} (column {column + 1}) must be a number, "
                         f"got {field!r}") from None


def _label(field: str, where: str) -> int:
    """A class label 0 to MAX_CLASSES - 1."""
    if not (field.isdigit() and int(field) < MAX_CLASSES):
        raise ValueError(f"{where}: label (column 3) must be a whole number from 0 to "
                         f"{MAX_CLASSES - 1}, got {field!r}")
    return int(field)

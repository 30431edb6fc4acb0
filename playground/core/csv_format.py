"""The dataset's file format: CSV rows of x,y,label[,split], read with errors naming the line."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Rows(NamedTuple):
    """What a CSV file holds, one entry per data row."""

    points: np.ndarray  # (N, 2) float64
    labels: np.ndarray  # (N,) int64 in {0, 1}
    is_test: np.ndarray | None  # (N,) bool, None without a split column
    lines: np.ndarray  # (N,) int64, the line of the file each row came from


def csv_text(points: np.ndarray, labels: np.ndarray, is_test: np.ndarray) -> str:
    """`x,y,label,split` rows (split is train or test) with full float precision."""
    lines = ["x,y,label,split"]
    for (x, y), label, test in zip(points.tolist(), labels.tolist(), is_test.tolist(),
                                   strict=True):
        lines.append(f"{x!r},{y!r},{label},{'test' if test else 'train'}")
    return "\n".join(lines) + "\n"


def parse_csv(text: str, source: str) -> Rows:
    """Points, labels, is_test (None without a split column) and line numbers from CSV text.

    ValueError names the line of the first row that is not x,y,label[,split]; the coordinates
    are numbers, for the dataset to check against what it accepts.
    """
    points: list[tuple[float, float]] = []
    labels: list[int] = []
    splits: list[bool] = []
    lines: list[int] = []
    n_columns = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        if not points and not n_columns and [f.lower() for f in fields[:3]] == ["x", "y", "label"]:
            n_columns = len(fields)  # a header fixes the column count
            if [f.lower() for f in fields[3:]] not in ([], ["split"]):
                raise ValueError(f"{source}, line {number}: expected header x,y,label[,split]")
            continue
        where = f"{source}, line {number}"
        n_columns = n_columns or len(fields)
        if len(fields) != n_columns or n_columns not in (3, 4):
            raise ValueError(f"{where}: expected {n_columns if n_columns in (3, 4) else '3 or 4'} "
                             f"comma-separated values (x,y,label[,split]), got {len(fields)}")
        try:
            x, y = float(fields[0]), float(fields[1])
        except ValueError:
            raise ValueError(f"{where}: x and y must be numbers, got {fields[0]!r}, "
                             f"{fields[1]!r}") from None
        if fields[2] not in ("0", "1"):
            raise ValueError(f"{where}: label must be 0 or 1, got {fields[2]!r}")
        if n_columns == 4:
            if fields[3] not in ("train", "test"):
                raise ValueError(f"{where}: split must be train or test, got {fields[3]!r}")
            splits.append(fields[3] == "test")
        points.append((x, y))
        labels.append(int(fields[2]))
        lines.append(number)
    if not n_columns:  # not even a header: an empty or all-comment file is no dataset
        raise ValueError(f"{source}: no points found; expected lines of x,y,label[,split]")
    is_test = np.array(splits, dtype=bool) if n_columns == 4 else None
    return Rows(np.array(points, dtype=np.float64).reshape(-1, 2), np.array(labels, np.int64),
                is_test, np.array(lines, dtype=np.int64))

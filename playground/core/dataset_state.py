"""What a dataset is at one moment: its immutable state, the snapshot for the training thread,
and the checks every way in (a click, a preset, a file) goes through.

One layout for every problem type: points (N, 2) always; labels (N,) for the class types;
values (N,) for regression; for a function of one variable a point is the sample (x, y).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from playground.core.limits import ACCEPTED
from playground.core.presets import DEFAULT_RANGE
from playground.core.problems import (
    MAX_CLASSES,
    MIN_CLASSES,
    Problem,
    check_kind,
    problem_for,
    value_scale,
)

MIN_TEST_FRACTION, MAX_TEST_FRACTION = ACCEPTED.test_fraction
# the plot fits every point into view: a point at 1e5 squeezes the presets' [-6, 6] into a few
# pixels, and nearer 1e300 the pixel maths overflow. Farther points are refused.
MAX_COORDINATE = 1e4
COORDINATE_RANGE = f"-{MAX_COORDINATE:g} to {MAX_COORDINATE:g}"
MAX_VALUE = MAX_COORDINATE  # a regression value: the colour scale stretches to the largest
MAX_POINTS = 100_000  # points in a dataset: a workspace file holds no more


def frozen(array: np.ndarray) -> np.ndarray:
    """The array marked read-only, so shared states cannot be changed behind our back."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class DatasetSnapshot:
    """A frozen copy of the data, safe to hand to the training thread."""

    points: np.ndarray  # (N, 2) float64, read-only; a function's samples (x, y)
    labels: np.ndarray  # (N,) int64 classes 0..n_classes - 1, read-only (zeros: value types)
    is_test: np.ndarray  # (N,) bool, True for test points, read-only
    version: int = 0  # the Dataset's edit counter when the snapshot was taken
    kind: str = "binary"  # the problem type: "binary", "classes", "regression", "function"
    n_classes: int = 2  # classes of the class types (0 for the value types)
    values: np.ndarray | None = None  # (N,) float64 regression values, read-only (None: zeros)

    @property
    def truth(self) -> np.ndarray:
        """Every sample's right answer (N,): its class, its value, or a function's y."""
        if self.kind == "regression":
            return self.values if self.values is not None else np.zeros(len(self.points))
        if self.kind == "function":
            return self.points[:, 1]
        return self.labels

    def problem(self) -> Problem:
        """The problem this data poses (its type, classes and value scale)."""
        scale = value_scale(self.truth) if self.kind == "regression" else 1.0
        return problem_for(self.kind, self.n_classes, scale)

    def train_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Training points (M, 2) and their truth (M,): labels, values, or a function's y."""
        keep = ~self.is_test
        return self.points[keep], self.truth[keep]

    def test_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Test points (K, 2) and their truth (K,)."""
        return self.points[self.is_test], self.truth[self.is_test]

    def __len__(self) -> int:
        return len(self.points)


@dataclass(frozen=True)
class PresetSettings:
    """The preset a dataset was drawn from, so undo can show its settings again."""

    name: str
    n_points: int
    noise: float  # 0 to 0.5
    seed: int
    kind: str = "binary"  # the problem type the preset belongs to
    n_classes: int = 2  # the classes it drew
    expression: str = ""  # a function's typed formula (name "expression")
    x_range: tuple[float, float] = DEFAULT_RANGE  # a function's x, low to high


@dataclass(frozen=True)
class State:
    """One entry of the undo history: everything an edit can change."""

    points: np.ndarray  # (N, 2) float64, read-only
    labels: np.ndarray  # (N,) int64, read-only
    values: np.ndarray  # (N,) float64, read-only
    is_test: np.ndarray  # (N,) bool, read-only
    test_fraction: float  # the split slider's value
    seed: int  # seed of the split (the preset's seed)
    preset: PresetSettings | None = None  # the last preset loaded; None after opening a file
    source: str | None = None  # the file the points were opened from (None: a preset)
    kind: str = "binary"  # the problem type
    n_classes: int = 2  # of the class types; 0 for the value types

    def with_rows(self, keep: np.ndarray) -> State:
        """The state with only the rows where keep (N,) is True."""
        return replace(self, points=frozen(self.points[keep]), labels=frozen(self.labels[keep]),
                       values=frozen(self.values[keep]), is_test=frozen(self.is_test[keep]))

    def with_added(self, xy: np.ndarray, label: int, value: float) -> State:
        """The state with training points (K, 2) of one label and value added at the end (a
        type without classes or values gets zeros, whatever the editor had chosen)."""
        k = len(xy)
        check_size(len(self.points) + k)
        label = label if self.n_classes else 0
        value = value if self.kind == "regression" else 0.0
        return replace(self, points=frozen(np.concatenate([self.points, xy])),
                       labels=frozen(np.concatenate([self.labels, np.full(k, label, np.int64)])),
                       values=frozen(np.concatenate([self.values, np.full(k, float(value))])),
                       is_test=frozen(np.concatenate([self.is_test, np.zeros(k, bool)])))


def split_mask(n: int, test_fraction: float, seed: int) -> np.ndarray:
    """is_test (n,): round(test_fraction * n) points chosen by a permutation from the seed."""
    order = np.random.default_rng(seed).permutation(n)  # (n,)
    is_test = np.zeros(n, dtype=bool)
    is_test[order[: round(test_fraction * n)]] = True
    return is_test


def make_state(points: np.ndarray, labels: np.ndarray | None, is_test: np.ndarray | None,
               test_fraction: float, seed: int, preset: PresetSettings | None = None,
               source: str | None = None, kind: str = "binary", n_classes: int = 2,
               values: np.ndarray | None = None) -> State:
    """A validated state with private read-only copies; is_test None: split by fraction, seed.

    labels and values default to zeros where the type has none.
    """
    check_kind(kind)
    points = np.array(points, dtype=np.float64).reshape(-1, 2)  # (N, 2)
    n = len(points)
    labels = np.zeros(n, np.int64) if labels is None else np.array(labels, np.int64).reshape(-1)
    values = np.zeros(n) if values is None else np.array(values, np.float64).reshape(-1)
    if len(labels) != n or len(values) != n:
        raise ValueError(f"{n} points but {len(labels)} labels and {len(values)} values")
    check_size(n)
    check_points(points)
    n_classes = check_classes(kind, n_classes)
    if kind in ("binary", "classes") and not np.isin(labels, range(n_classes)).all():
        raise ValueError(f"labels must be {class_range(n_classes)}")
    if kind == "regression":
        check_values(values)
    if is_test is None:
        is_test = split_mask(n, test_fraction, seed)
    is_test = np.array(is_test, dtype=bool).reshape(-1)  # (N,)
    return State(frozen(points), frozen(labels), frozen(values), frozen(is_test), test_fraction,
                 seed, preset, source, kind, n_classes)


def check_size(n: int) -> None:
    """Raise ValueError if n points are more than a dataset holds."""
    if n > MAX_POINTS:
        raise ValueError(f"a dataset holds at most {MAX_POINTS} points (so that a workspace can "
                         f"save it); this would make {n}")


def check_classes(kind: str, n_classes: int) -> int:
    """The class count a type keeps: 2 for binary, 3-8 for classes (else ValueError), 0 else."""
    if kind == "binary":
        return 2
    if kind != "classes":
        return 0
    if not (isinstance(n_classes, numbers.Integral) and MIN_CLASSES <= n_classes <= MAX_CLASSES):
        raise ValueError(f"several classes means {MIN_CLASSES} to {MAX_CLASSES}, "
                         f"got {n_classes!r}")
    return int(n_classes)


def class_range(n_classes: int) -> str:
    """'0 or 1', or '0 to 4'."""
    return "0 or 1" if n_classes == 2 else f"0 to {n_classes - 1}"


def coordinate_problem(value: float) -> str | None:
    """Why value cannot be a coordinate (NaN, inf, or beyond MAX_COORDINATE), or None if it can."""
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if abs(value) > MAX_COORDINATE:
        return (f"is {value:g}, outside the accepted range {COORDINATE_RANGE} (the plot shows "
                "every point, so a farther one would squeeze the others into a few pixels)")
    return None


def value_problem(value: float) -> str | None:
    """Why value cannot be a regression value, or None if it can."""
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if abs(value) > MAX_VALUE:
        return f"is {value:g}, outside the accepted range -{MAX_VALUE:g} to {MAX_VALUE:g}"
    return None


def check_points(points: np.ndarray,
                 where: Callable[[int, str], str] = lambda row, axis: f"point {row + 1}: {axis}",
                 ) -> None:
    """Raise ValueError at the first coordinate of points (K, 2) that cannot be plotted.

    where(row, "x" or "y") names it in the message.
    """
    bad = ~np.isfinite(points) | (np.abs(points) > MAX_COORDINATE)  # (K, 2)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        problem = coordinate_problem(float(points[row, column]))
        raise ValueError(f"{where(int(row), 'xy'[column])} {problem}")


def check_values(values: np.ndarray,
                 where: Callable[[int], str] = lambda row: f"point {row + 1}: value") -> None:
    """Raise ValueError at the first regression value (K,) that is not finite or too large."""
    bad = ~np.isfinite(values) | (np.abs(values) > MAX_VALUE)  # (K,)
    if bad.any():
        row = int(np.argmax(bad))
        raise ValueError(f"{where(row)} {value_problem(float(values[row]))}")


def check_xy(x: float, y: float) -> None:
    """Raise ValueError unless x and y are finite numbers within the plottable range."""
    for name, v in (("x", x), ("y", y)):
        if not isinstance(v, numbers.Real):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
        problem = coordinate_problem(float(v))
        if problem:
            raise ValueError(f"{name} {problem}")


def check_mark(state: State, label: int, value: float) -> None:
    """Raise ValueError unless label fits the state's classes (class types) or value is a
    plottable number (regression); a function's sample needs neither."""
    if state.kind in ("binary", "classes"):
        if not isinstance(label, numbers.Integral) or not 0 <= label < state.n_classes:
            raise ValueError(f"label must be {class_range(state.n_classes)}, got {label!r}")
    elif state.kind == "regression":
        if not isinstance(value, numbers.Real):
            raise ValueError(f"value must be a finite number, got {value!r}")
        problem = value_problem(float(value))
        if problem:
            raise ValueError(f"value {problem}")


def check_fraction(fraction: float) -> None:
    """Raise ValueError unless fraction is within 0.1-0.9."""
    if not (isinstance(fraction, numbers.Real)
            and MIN_TEST_FRACTION <= fraction <= MAX_TEST_FRACTION):
        raise ValueError(f"test fraction must be between {MIN_TEST_FRACTION} and "
                         f"{MAX_TEST_FRACTION}, got {fraction!r}")

"""Dataset: the editable 2D points, their classes and train/test split, with undo and redo.

Every state is an immutable ``_State`` of read-only arrays; an edit builds a new state and
pushes the old one on the undo stack. Because nothing is ever changed in place, a snapshot for
the training thread shares the arrays without copying them.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.core.bounds import Bounds
from playground.core.csv_format import csv_text, parse_csv
from playground.core.events import EventEmitter
from playground.core.limits import ACCEPTED
from playground.core.presets import generate

MIN_TEST_FRACTION, MAX_TEST_FRACTION = ACCEPTED.test_fraction
MAX_UNDO = 500  # undo steps kept; older ones are dropped
DEFAULT_EXTENT = 6.0  # the view shows at least [-6, 6] on both axes, like TensorFlow Playground
# the plot fits every point into view: a point at 1e5 squeezes the presets' [-6, 6] into a few
# pixels, and nearer 1e300 the pixel maths overflow. Farther points are refused.
MAX_COORDINATE = 1e4
COORDINATE_RANGE = f"-{MAX_COORDINATE:g} to {MAX_COORDINATE:g}"


def _frozen(array: np.ndarray) -> np.ndarray:
    """The array marked read-only, so shared states cannot be changed behind our back."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class DatasetSnapshot:
    """A frozen copy of the data, safe to hand to the training thread."""

    points: np.ndarray  # (N, 2) float64, read-only
    labels: np.ndarray  # (N,) int64 in {0, 1}, read-only
    is_test: np.ndarray  # (N,) bool, True for test points, read-only
    version: int = 0  # the Dataset's edit counter when the snapshot was taken

    def train_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Training points (M, 2) and labels (M,)."""
        keep = ~self.is_test
        return self.points[keep], self.labels[keep]

    def test_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Test points (K, 2) and labels (K,)."""
        return self.points[self.is_test], self.labels[self.is_test]

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class PresetSettings:
    """The preset a dataset was drawn from, so undo can show its settings again."""

    name: str
    n_points: int
    noise: float  # 0 to 0.5
    seed: int


@dataclass(frozen=True)
class _State:
    """One entry of the undo history: everything an edit can change."""

    points: np.ndarray  # (N, 2) float64, read-only
    labels: np.ndarray  # (N,) int64, read-only
    is_test: np.ndarray  # (N,) bool, read-only
    test_fraction: float  # the split slider's value
    seed: int  # seed of the split (the preset's seed)
    preset: PresetSettings | None = None  # the last preset loaded; None after opening a file
    source: str | None = None  # the file the points were opened from (None: a preset)

    def with_rows(self, keep: np.ndarray) -> _State:
        """The state with only the rows where keep (N,) is True."""
        return _State(_frozen(self.points[keep]), _frozen(self.labels[keep]),
                      _frozen(self.is_test[keep]), self.test_fraction, self.seed, self.preset,
                      self.source)


def split_mask(n: int, test_fraction: float, seed: int) -> np.ndarray:
    """is_test (n,): round(test_fraction * n) points chosen by a permutation from the seed."""
    order = np.random.default_rng(seed).permutation(n)  # (n,)
    is_test = np.zeros(n, dtype=bool)
    is_test[order[: round(test_fraction * n)]] = True
    return is_test


def _make_state(points: np.ndarray, labels: np.ndarray, is_test: np.ndarray | None,
                test_fraction: float, seed: int, preset: PresetSettings | None = None,
                source: str | None = None) -> _State:
    """A validated state with private read-only copies; is_test None: split by fraction, seed."""
    points = np.array(points, dtype=np.float64).reshape(-1, 2)  # (N, 2)
    labels = np.array(labels, dtype=np.int64).reshape(-1)  # (N,)
    if len(labels) != len(points):
        raise ValueError(f"{len(points)} points but {len(labels)} labels")
    _check_points(points)
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("labels must be 0 or 1")
    if is_test is None:
        is_test = split_mask(len(points), test_fraction, seed)
    is_test = np.array(is_test, dtype=bool).reshape(-1)  # (N,)
    return _State(_frozen(points), _frozen(labels), _frozen(is_test), test_fraction, seed, preset,
                  source)


def coordinate_problem(value: float) -> str | None:
    """Why value cannot be a coordinate (NaN, inf, or beyond MAX_COORDINATE), or None if it can."""
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if abs(value) > MAX_COORDINATE:
        return (f"is {value:g}, outside the accepted range {COORDINATE_RANGE} (the plot shows "
                "every point, so a farther one would squeeze the others into a few pixels)")
    return None


def _check_points(points: np.ndarray,
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


def _check_xy(x: float, y: float) -> None:
    """Raise ValueError unless x and y are finite numbers within the plottable range."""
    for name, v in (("x", x), ("y", y)):
        if not isinstance(v, numbers.Real):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
        problem = coordinate_problem(float(v))
        if problem:
            raise ValueError(f"{name} {problem}")


def _check_label(label: int) -> None:
    """Raise ValueError unless label is 0 or 1."""
    if not isinstance(label, numbers.Real) or label not in (0, 1):
        raise ValueError(f"label must be 0 or 1, got {label!r}")


def _check_fraction(fraction: float) -> None:
    """Raise ValueError unless fraction is within 0.1-0.9."""
    if not (isinstance(fraction, numbers.Real)
            and MIN_TEST_FRACTION <= fraction <= MAX_TEST_FRACTION):
        raise ValueError(f"test fraction must be between {MIN_TEST_FRACTION} and "
                         f"{MAX_TEST_FRACTION}, got {fraction!r}")


class Dataset:
    """Points and classes the user edits; ``changed`` fires after every edit, undo and redo."""

    def __init__(self, points: np.ndarray | None = None, labels: np.ndarray | None = None,
                 test_fraction: float = 0.5, seed: int = 0) -> None:
        _check_fraction(test_fraction)
        self.changed = EventEmitter()
        self._state = _make_state(np.zeros((0, 2)) if points is None else points,
                                  np.zeros(0) if labels is None else labels,
                                  None, float(test_fraction), seed)
        self._undo: list[_State] = []
        self._redo: list[_State] = []
        self._commits = 0  # edits that made an undo step (a stroke's later points make none)
        self._stroke_open = False  # True right after add_points: a continued stroke merges
        self._version = 0

    # ---- reading ----------------------------------------------------------------------------

    @property
    def points(self) -> np.ndarray:
        """(N, 2) float64, read-only."""
        return self._state.points

    @property
    def labels(self) -> np.ndarray:
        """(N,) int64 in {0, 1}, read-only."""
        return self._state.labels

    @property
    def is_test(self) -> np.ndarray:
        """(N,) bool, True for test points, read-only."""
        return self._state.is_test

    @property
    def test_fraction(self) -> float:
        """The fraction of points held out for testing, 0.1 to 0.9."""
        return self._state.test_fraction

    @property
    def preset(self) -> PresetSettings | None:
        """The preset the points were last drawn from (None after opening a file)."""
        return self._state.preset

    @property
    def source(self) -> str | None:
        """The file the points were last opened from (None after loading a preset)."""
        return self._state.source

    @property
    def seed(self) -> int:
        """Seed of the train/test split (the preset's seed after load_preset)."""
        return self._state.seed

    @property
    def version(self) -> int:
        """Counts edits, undos and redos; a snapshot records it."""
        return self._version

    @property
    def commits(self) -> int:
        """Edits made that each undo takes back in one step (undo and redo make none)."""
        return self._commits

    @property
    def can_undo(self) -> bool:
        """True if there is an edit to undo."""
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        """True if there is an undone edit to redo."""
        return bool(self._redo)

    def __len__(self) -> int:
        return len(self._state.labels)

    def train_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Training points (M, 2) and labels (M,)."""
        return self.snapshot().train_split()

    def test_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Test points (K, 2) and labels (K,)."""
        return self.snapshot().test_split()

    def snapshot(self) -> DatasetSnapshot:
        """A frozen copy for another thread (shares the read-only arrays)."""
        s = self._state
        return DatasetSnapshot(s.points, s.labels, s.is_test, self._version)

    def bounds(self, margin: float = 0.1) -> Bounds:
        """At least [-6, 6] squared, grown to fit every point."""
        lo = np.full(2, -DEFAULT_EXTENT)
        hi = np.full(2, DEFAULT_EXTENT)
        if len(self):
            pts = self._state.points
            span = pts.max(axis=0) - pts.min(axis=0)  # (2,)
            lo = np.minimum(lo, pts.min(axis=0) - margin * span)
            hi = np.maximum(hi, pts.max(axis=0) + margin * span)
        return Bounds(float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))

    # ---- editing ----------------------------------------------------------------------------

    def add_point(self, x: float, y: float, label: int) -> None:
        """Add one training point; ValueError (dataset unchanged) for a coordinate that is not
        finite or beyond MAX_COORDINATE, or for a bad label."""
        _check_xy(x, y)
        _check_label(label)
        self._append(np.array([[x, y]], dtype=np.float64), int(label), merge=False)

    def add_points(self, xy: np.ndarray, label: int, continue_stroke: bool = False) -> None:
        """Add training points (K, 2) of one class as one undo step.

        With continue_stroke=True the points join the previous add_points (one drag = one undo).
        """
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)  # (K, 2)
        _check_points(xy)
        _check_label(label)
        if len(xy):
            self._append(xy, int(label), merge=continue_stroke and self._stroke_open)
            self._stroke_open = True

    def remove_nearest(self, x: float, y: float, max_distance: float | None = None) -> bool:
        """Remove the point nearest (x, y) (within max_distance if given); False if none."""
        _check_xy(x, y)
        s = self._state
        if len(self) == 0:
            return False
        dist = np.hypot(s.points[:, 0] - x, s.points[:, 1] - y)  # (N,)
        i = int(dist.argmin())
        if max_distance is not None and dist[i] > max_distance:
            return False
        self._commit(s.with_rows(np.arange(len(self)) != i))
        return True

    def clear(self) -> None:
        """Remove every point (undoable)."""
        if len(self):
            self._commit(self._state.with_rows(np.zeros(len(self), dtype=bool)))

    def load_preset(self, name: str, n_points: int = 200, noise: float = 0.0,
                    seed: int = 0) -> None:
        """Replace the points with a preset, split with the current fraction and this seed."""
        points, labels = generate(name, n_points, noise, seed)
        self._commit(_make_state(points, labels, None, self.test_fraction, seed,
                                 PresetSettings(name, n_points, noise, seed)))

    def set_test_fraction(self, fraction: float) -> None:
        """Hold out this fraction (0.1-0.9) for testing; resplits every point by the seed."""
        _check_fraction(fraction)
        s = self._state
        if fraction != s.test_fraction:
            self._commit(_make_state(s.points, s.labels, None, float(fraction), s.seed, s.preset,
                                     s.source))

    def clear_history(self) -> None:
        """Forget every undo and redo step: the points as they are now are where undo stops.

        The window calls it once it has loaded its first points, so Undo does not empty the
        plane. ``changed`` fires (the points are the same; what can be undone is not).
        """
        self._undo.clear()
        self._redo.clear()
        self._stroke_open = False
        self.changed.emit()

    def undo(self) -> bool:
        """Go back one edit; False if there is none."""
        return self._travel(self._undo, self._redo)

    def redo(self) -> bool:
        """Redo the last undone edit; False if there is none."""
        return self._travel(self._redo, self._undo)

    # ---- files ------------------------------------------------------------------------------

    def save_csv(self, path: str | os.PathLike[str]) -> None:
        """Write `x,y,label,split` rows (split is train or test) with full float precision."""
        s = self._state
        text = csv_text(s.points, s.labels, s.is_test)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def load_csv(self, path: str | os.PathLike[str]) -> None:
        """Replace the points with a CSV of x,y,label[,split]; ValueError naming the line.

        Without a split column the points are split by the current fraction and seed.
        """
        with open(path, encoding="utf-8") as f:
            text = f.read()
        rows = parse_csv(text, str(path))
        _check_points(rows.points, lambda row, axis: f"{path}, line {rows.lines[row]}: "
                                                     f"{axis} (column {'xy'.index(axis) + 1})")
        self._commit(_make_state(rows.points, rows.labels, rows.is_test, self.test_fraction,
                                 self.seed, source=os.path.basename(path)))

    # ---- internals --------------------------------------------------------------------------

    def _append(self, xy: np.ndarray, label: int, merge: bool) -> None:
        """Add points (K, 2) of one class to the training split."""
        s = self._state
        self._commit(_State(_frozen(np.concatenate([s.points, xy])),
                            _frozen(np.concatenate([s.labels, np.full(len(xy), label, np.int64)])),
                            _frozen(np.concatenate([s.is_test, np.zeros(len(xy), bool)])),
                            s.test_fraction, s.seed, s.preset, s.source), merge=merge)

    def _commit(self, state: _State, merge: bool = False) -> None:
        """Make state current, remember the old one for undo, and tell the listeners."""
        if not merge:
            self._undo.append(self._state)
            del self._undo[:-MAX_UNDO]
            self._commits += 1
        self._redo.clear()
        self._set(state)

    def _travel(self, source: list[_State], target: list[_State]) -> bool:
        """Make the top of source (the undo or redo stack) current; push the current on target."""
        if not source:
            return False
        target.append(self._state)
        self._set(source.pop())
        return True

    def _set(self, state: _State) -> None:
        """Install a state and announce it."""
        self._state = state
        self._stroke_open = False
        self._version += 1
        self.changed.emit()

    def __repr__(self) -> str:
        n_test = int(self._state.is_test.sum())
        return (f"Dataset({len(self)} points: {len(self) - n_test} train, {n_test} test, "
                f"test_fraction={self.test_fraction:g})")

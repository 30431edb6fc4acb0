"""Dataset: the editable points of any problem type, their classes or values and their
train/test split, with undo and redo.

Every state is an immutable ``State`` of read-only arrays (playground/core/dataset_state.py);
an edit builds a new state and pushes the old one on the undo stack. Because nothing is ever
changed in place, a snapshot for the training thread shares the arrays without copying them.
The problem type is part of the state: switching type is an edit, and undo switches back.
"""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np

from playground.core.atomic import write_atomic
from playground.core.bounds import Bounds
from playground.core.csv_format import LABELS, SAMPLES, VALUES, Rows, csv_text
from playground.core.csv_read import read_csv
from playground.core.dataset_state import (
    COORDINATE_RANGE,
    MAX_COORDINATE,
    MAX_VALUE,
    DatasetSnapshot,
    PresetSettings,
    State,
    check_classes,
    check_fraction,
    check_mark,
    check_points,
    check_xy,
    coordinate_problem,
    make_state,
    split_mask,
)
from playground.core.events import EventEmitter
from playground.core.presets import DEFAULT_RANGE, classes_of, draw
from playground.core.problems import MIN_CLASSES, Problem

MAX_UNDO = 500  # undo steps kept; older ones are dropped
DEFAULT_EXTENT = 6.0  # the view shows at least [-6, 6] on both axes, like TensorFlow Playground
MIN_Y_SPAN = 2.0  # a function's plot shows at least this much of y

__all__ = ["COORDINATE_RANGE", "MAX_COORDINATE", "MAX_VALUE", "Dataset", "DatasetSnapshot",
           "PresetSettings", "coordinate_problem", "split_mask"]


class Dataset:
    """Points and their classes or values; ``changed`` fires after every edit, undo and redo."""

    def __init__(self, points: np.ndarray | None = None, labels: np.ndarray | None = None,
                 test_fraction: float = 0.5, seed: int = 0, kind: str = "binary",
                 n_classes: int = 2, values: np.ndarray | None = None) -> None:
        check_fraction(test_fraction)
        self.changed = EventEmitter()
        self._state = make_state(np.zeros((0, 2)) if points is None else points, labels, None,
                                 float(test_fraction), seed, kind=kind, n_classes=n_classes,
                                 values=values)
        self._undo: list[State] = []
        self._redo: list[State] = []
        self._commits = 0  # edits that made an undo step (a stroke's later points make none)
        self._stroke_open = False  # True right after add_points: a continued stroke merges
        self._version = 0

    # ---- reading ----------------------------------------------------------------------------

    @property
    def points(self) -> np.ndarray:
        """(N, 2) float64, read-only; a function's samples (x, y)."""
        return self._state.points

    @property
    def labels(self) -> np.ndarray:
        """(N,) int64 classes 0..n_classes - 1, read-only (zeros for the value types)."""
        return self._state.labels

    @property
    def values(self) -> np.ndarray:
        """(N,) float64 regression values, read-only (zeros for the other types)."""
        return self._state.values

    @property
    def is_test(self) -> np.ndarray:
        """(N,) bool, True for test points, read-only."""
        return self._state.is_test

    @property
    def kind(self) -> str:
        """The problem type: "binary", "classes", "regression" or "function"."""
        return self._state.kind

    @property
    def n_classes(self) -> int:
        """Classes a point can have: 2 for binary, 3 to 8 for classes, 0 for the value types."""
        return self._state.n_classes

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
        return len(self._state.points)

    def train_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Training points (M, 2) and their truth (M,): labels, values or a function's y."""
        return self.snapshot().train_split()

    def test_split(self) -> tuple[np.ndarray, np.ndarray]:
        """Test points (K, 2) and their truth (K,)."""
        return self.snapshot().test_split()

    def problem(self) -> Problem:
        """The problem the data poses now."""
        return self.snapshot().problem()

    def snapshot(self) -> DatasetSnapshot:
        """A frozen copy for another thread (shares the read-only arrays)."""
        s = self._state
        return DatasetSnapshot(s.points, s.labels, s.is_test, self._version, s.kind, s.n_classes,
                               s.values)

    def bounds(self, margin: float = 0.1) -> Bounds:
        """The area to show: at least [-6, 6] squared grown to fit every point; for a function,
        its range of x and the samples' y."""
        pts = self._state.points
        if self.kind == "function":
            return self._function_bounds(margin)
        lo = np.full(2, -DEFAULT_EXTENT)
        hi = np.full(2, DEFAULT_EXTENT)
        if len(pts):
            span = pts.max(axis=0) - pts.min(axis=0)  # (2,)
            lo = np.minimum(lo, pts.min(axis=0) - margin * span)
            hi = np.maximum(hi, pts.max(axis=0) + margin * span)
        return Bounds(float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))

    def _function_bounds(self, margin: float) -> Bounds:
        """The preset's range of x (or the samples'), and y with room around the samples."""
        pts = self._state.points
        preset = self._state.preset
        low, high = preset.x_range if preset is not None else DEFAULT_RANGE
        ylow, yhigh = -MIN_Y_SPAN / 2, MIN_Y_SPAN / 2
        if len(pts):
            low, high = min(low, pts[:, 0].min()), max(high, pts[:, 0].max())
            ylow, yhigh = float(pts[:, 1].min()), float(pts[:, 1].max())
            ylow, yhigh = ylow - margin * (yhigh - ylow), yhigh + margin * (yhigh - ylow)
            if yhigh - ylow < MIN_Y_SPAN:
                middle = (ylow + yhigh) / 2
                ylow, yhigh = middle - MIN_Y_SPAN / 2, middle + MIN_Y_SPAN / 2
        pad = margin / 2 * (high - low)
        return Bounds(float(low - pad), float(high + pad), ylow, yhigh)

    # ---- editing ----------------------------------------------------------------------------

    def add_point(self, x: float, y: float, label: int = 0, *, value: float = 0.0) -> None:
        """Add one training point: of class label (the class types), with this value
        (regression), or a function's sample (x, y). ValueError (dataset unchanged) for a
        coordinate that is not finite or beyond MAX_COORDINATE, or a bad label or value."""
        check_xy(x, y)
        check_mark(self._state, label, value)
        self._commit(self._state.with_added(np.array([[x, y]], dtype=np.float64), int(label),
                                            value))

    def add_points(self, xy: np.ndarray, label: int = 0, continue_stroke: bool = False, *,
                   value: float = 0.0) -> None:
        """Add training points (K, 2) of one class or value as one undo step.

        With continue_stroke=True the points join the previous add_points (one drag = one undo).
        """
        xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)  # (K, 2)
        check_points(xy)
        check_mark(self._state, label, value)
        if len(xy):
            self._commit(self._state.with_added(xy, int(label), value),
                         merge=continue_stroke and self._stroke_open)
            self._stroke_open = True

    def remove_nearest(self, x: float, y: float, max_distance: float | None = None) -> bool:
        """Remove the point nearest (x, y) (within max_distance if given); False if none."""
        check_xy(x, y)
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

    def load_preset(self, name: str, n_points: int = 200, noise: float = 0.0, seed: int = 0, *,
                    kind: str | None = None, n_classes: int | None = None,
                    expression: str = "", x_range: tuple[float, float] | None = None) -> None:
        """Replace the points with a preset of a problem type (default: the current one; another
        switches type), split with the current fraction and this seed; one undo step.

        n_classes (several classes) and x_range (a function) default to the current ones;
        expression is a function's typed formula for the preset "expression". ValueError (an
        ExpressionError for a refused formula) leaves the dataset as it was.
        """
        s = self._state
        kind = kind or s.kind
        if n_classes is None:
            n_classes = s.n_classes if s.kind == "classes" else max(s.n_classes, MIN_CLASSES)
        if x_range is None:
            x_range = s.preset.x_range if s.preset is not None else DEFAULT_RANGE
        drawn = draw(kind, name, n_points, noise, seed, n_classes=n_classes,
                     expression=expression, x_range=x_range)
        settings = PresetSettings(name, int(n_points), float(noise), seed, kind, drawn.n_classes,
                                  expression, tuple(map(float, x_range)))
        self._commit(make_state(drawn.points, drawn.labels, None, self.test_fraction, seed,
                                settings, kind=kind, n_classes=drawn.n_classes,
                                values=drawn.values))

    def set_classes(self, n_classes: int) -> None:
        """Let the points of a several-classes problem have n_classes classes (undoable).

        A preset is drawn again with that many classes (yin-yang keeps its three); hand-made
        points stay, unless one has a class the new count lacks (ValueError).
        """
        s = self._state
        if s.kind != "classes":
            raise ValueError(f"only several classes have a class count; this is {s.kind}")
        n_classes = check_classes("classes", n_classes)
        if n_classes == s.n_classes:
            return
        preset = s.preset
        if preset is not None and classes_of(preset.name, n_classes) == n_classes:
            self.load_preset(preset.name, preset.n_points, preset.noise, preset.seed,
                             n_classes=n_classes)
            return
        if len(self) and int(s.labels.max()) >= n_classes:
            raise ValueError(f"points of class {int(s.labels.max()) + 1} are on the plane: "
                             f"remove them first to keep {n_classes} classes")
        self._commit(replace(s, n_classes=n_classes))

    def set_test_fraction(self, fraction: float) -> None:
        """Hold out this fraction (0.1-0.9) for testing; resplits every point by the seed."""
        check_fraction(fraction)
        s = self._state
        if fraction != s.test_fraction:
            self._commit(replace(s, is_test=split_mask(len(self), float(fraction), s.seed),
                                 test_fraction=float(fraction)))

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
        """Write the points with a header saying the type (x,y,label / x,y,value / x,y) and a
        split column, at full float precision, atomically."""
        s = self._state
        columns = {"regression": VALUES, "function": SAMPLES}.get(s.kind, LABELS)
        marks = {LABELS: s.labels, VALUES: s.values}.get(columns)
        write_atomic(path, csv_text(columns, s.points, marks, s.is_test))

    def load_csv(self, path: str | os.PathLike[str]) -> None:
        """Replace the points with a CSV file's (read_csv, then load_rows); ValueError names
        the line and the column, and leaves the dataset as it was."""
        self.load_rows(read_csv(path), path)

    def load_rows(self, rows: Rows, path: str | os.PathLike[str]) -> None:
        """Replace the points with rows read from the file at path (one undo step).

        Labels give two classes, or several once a label passes 1 or several classes are the
        current type; values a regression; samples x,y a function. Without a split column the
        points are split by the current fraction and seed.
        """
        kind, n_classes = {VALUES: ("regression", 0), SAMPLES: ("function", 0)}.get(
            rows.columns, (None, 0))
        if rows.columns == LABELS:
            needed = int(rows.labels.max()) + 1 if len(rows.labels) else 2
            several = needed > 2 or self.kind == "classes"
            kind = "classes" if several else "binary"
            current = self.n_classes if self.kind == "classes" else MIN_CLASSES
            n_classes = max(needed, current) if several else 2
        self._commit(make_state(rows.points, rows.labels, rows.is_test, self.test_fraction,
                                self.seed, source=os.path.basename(path), kind=kind,
                                n_classes=n_classes, values=rows.values))

    # ---- workspaces -------------------------------------------------------------------------

    def replace_all(self, points: np.ndarray, labels: np.ndarray, is_test: np.ndarray,
                    test_fraction: float, seed: int, preset: PresetSettings | None = None,
                    source: str | None = None, *, kind: str = "binary", n_classes: int = 2,
                    values: np.ndarray | None = None) -> None:
        """Replace the points, their type, split and settings with a workspace's (one undo
        step); ValueError, and nothing changes, if they do not fit together."""
        check_fraction(test_fraction)
        if len(is_test) != len(points):
            raise ValueError(f"{len(is_test)} train/test marks for {len(points)} points")
        self._commit(make_state(points, labels, is_test, float(test_fraction), seed, preset,
                                source, kind=kind, n_classes=n_classes, values=values))

    # ---- internals --------------------------------------------------------------------------

    def _commit(self, state: State, merge: bool = False) -> None:
        """Make state current, remember the old one for undo, and tell the listeners."""
        if not merge:
            self._undo.append(self._state)
            del self._undo[:-MAX_UNDO]
            self._commits += 1
        self._redo.clear()
        self._set(state)

    def _travel(self, source: list[State], target: list[State]) -> bool:
        """Make the top of source (the undo or redo stack) current; push the current on target."""
        if not source:
            return False
        target.append(self._state)
        self._set(source.pop())
        return True

    def _set(self, state: State) -> None:
        """Install a state and announce it."""
        self._state = state
        self._stroke_open = False
        self._version += 1
        self.changed.emit()

    def __repr__(self) -> str:
        n_test = int(self._state.is_test.sum())
        return (f"Dataset({self.kind}, {len(self)} points: {len(self) - n_test} train, "
                f"{n_test} test, test_fraction={self.test_fraction:g})")

"""The central plot: edit the dataset with the mouse over the network's live picture.

Points of the chosen class, of the chosen value (the wheel changes it) or a function's samples
(x, y), drawn over the heatmap of the network's output or a function's fitted curve.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, Signal, Slot
from PySide6.QtWidgets import QGraphicsItem, QWidget

from playground.core.bounds import Bounds
from playground.core.dataset import MAX_VALUE, Dataset
from playground.core.problems import Problem, value_scale
from playground.ui import theme
from playground.ui.decision_overlay import DecisionOverlay, loss_steps, point_style

STROKE_SPACING_PX = 9.0  # distance between painted points along a drag
LOOSE_FIT = 1.5  # refit the axes once the data spans less than 1/1.5 of the fitted area
INSPECT_RADIUS_PX = 10.0  # an inspecting click this near a point picks it, farther a probe
VALUE_COLOR_BINS = 33  # a regression point's colour: one of this many along the scale
WHEEL_STEP = 0.05  # a wheel notch changes the value of a click by this share of the scale
TOOLTIPS = {
    "binary": "Click: add a point of the chosen class (keys 1/2)\nShift-click: the other class",
    "classes": "Click: add a point of the chosen class (keys 1-8)",
    "regression": "Click: add a point of the chosen value (the wheel changes it)\n"
                  "Shift-click: the opposite value",
    "function": "Click: add a sample (x, y) of the function",
}
EDIT_TIP = ("\nRight-click or Ctrl-click: remove the nearest point\n"
            "Drag: paint a stream of points\n"
            "Alt+click: the computation graph of the nearest point (or a probe)")


class EditorViewBox(pg.ViewBox):
    """A ViewBox whose clicks and drags edit points instead of panning and zooming."""

    clicked = Signal(float, float, object)  # data x, data y, Qt.KeyboardModifiers; left button
    removeRequested = Signal(float, float)  # data x, data y; right button
    painted = Signal(object, bool, object)  # new points (K, 2) of a drag, first?, modifiers
    strokeStarted = Signal()  # a left drag began
    strokeFinished = Signal()  # ... and ended: the button was released
    wheeled = Signal(int)  # notches turned over the plot (up positive), while wheel_edits

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(False, False)
        self.setAspectLocked(True)  # a circle looks like a circle
        self._last_px: QPointF | None = None  # scene position of the last painted point
        self._stroke_started = False  # the current drag has painted a point
        self.wheel_edits = False  # the wheel changes the value of a click (regression)

    def _inside(self, scene_pos: QPointF) -> tuple[float, float] | None:
        """Data coordinates of a scene position inside the plotted area, else None."""
        # axes forward their clicks here too; only the plotted area edits
        if not self.sceneBoundingRect().contains(scene_pos):
            return None
        p = self.mapSceneToView(scene_pos)
        (xmin, xmax), (ymin, ymax) = self.viewRange()
        if not (xmin <= p.x() <= xmax and ymin <= p.y() <= ymax):
            return None
        return p.x(), p.y()

    def mouseClickEvent(self, ev) -> None:
        """Left click adds a point, right click removes the nearest one."""
        xy = self._inside(ev.scenePos())
        if xy is None:
            ev.ignore()
            return
        ev.accept()
        if ev.button() == Qt.MouseButton.RightButton:
            self.removeRequested.emit(*xy)
        elif ev.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(xy[0], xy[1], ev.modifiers())

    def mouseDragEvent(self, ev, axis=None) -> None:
        """A left drag paints a stream of points, one every few pixels."""
        ev.accept()  # never pan, whichever the button
        if axis is not None or ev.button() != Qt.MouseButton.LeftButton:
            return
        new: list[tuple[float, float]] = []
        if ev.isStart():
            self._last_px = None
            self._stroke_started = False
            self.strokeStarted.emit()
            self._add_to_stroke(ev.buttonDownScenePos(), new)
        self._add_to_stroke(ev.scenePos(), new)
        if new:
            # the first batch of a drag starts a new undo step, the rest join it
            first = not self._stroke_started
            self._stroke_started = True
            self.painted.emit(np.array(new, dtype=np.float64), first, ev.modifiers())
        if ev.isFinish():
            self.strokeFinished.emit()

    def _add_to_stroke(self, scene_pos: QPointF, new: list[tuple[float, float]]) -> None:
        """Append the data point under scene_pos if it is far enough from the last one."""
        xy = self._inside(scene_pos)
        if xy is None:
            return
        last = self._last_px
        if last is not None and (scene_pos - last).manhattanLength() < STROKE_SPACING_PX:
            return
        self._last_px = QPointF(scene_pos)
        new.append(xy)

    def wheelEvent(self, ev, axis=None) -> None:
        """The view is fitted to the data: the wheel does not zoom; with wheel_edits it
        changes the value of a click."""
        notches = round(ev.delta() / 120)
        if not self.wheel_edits or notches == 0:
            ev.ignore()
            return
        ev.accept()
        self.wheeled.emit(notches)


class DatasetEditor(pg.PlotWidget):
    """Scatter of the dataset's points over the decision heatmap; the mouse edits the dataset."""

    labelChanged = Signal(int)  # the class a plain click adds
    valueChanged = Signal(float)  # the value a plain click adds (regression)
    editRefused = Signal(str)  # why a click or drag added nothing (a point too far out)
    inspectRequested = Signal(float, float, float)  # data x, y, pick radius: Alt+click, or tool

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        self.view_box = EditorViewBox()
        super().__init__(parent, viewBox=self.view_box, background="w")
        self.dataset = dataset
        self.label = 1
        self.value = 0.5  # of a click on a regression's plane
        self.show_test = True
        self.inspecting = False  # the inspect tool: plain clicks open the graph, not add points
        self.discrete = False
        self.show_parts = False  # a function's faint curves, one per part of its sum
        self._kind: tuple[str, int] | None = None  # (type, classes) the points are drawn for
        self._problem: Problem | None = None  # what the last picture shows
        self._colors_for: tuple | None = None  # (problem, discrete, parts) of self._colors
        self._data_bounds: Bounds = dataset.bounds()  # what fit_view fitted the axes to
        # while a drag paints, the axes stay still (a refit would move the points already
        # painted away from the pointer's track); they refit when the button is released
        self._stroking = False
        self._point_losses: np.ndarray | None = None  # (N,) per point, to size it by
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.showGrid(x=False, y=False)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen("#999999"))
            axis.setTextPen(pg.mkPen("#555555"))
            axis.enableAutoSIPrefix(False)
            # the axes rarely change: keep them as pictures instead of redrawing their ticks
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        self._colors = theme.heatmap_colors(discrete=False)  # 256 0xffRRGGBB, level 0 first
        # the heatmap and the points are a widget over the data area, not items of the scene
        self.overlay = DecisionOverlay(self.viewport())
        self.view_box.sigResized.connect(self._place_overlay)
        self.view_box.sigRangeChanged.connect(self._place_overlay)

        self.view_box.clicked.connect(self._on_click)
        self.view_box.removeRequested.connect(self._on_remove)
        self.view_box.painted.connect(self._on_painted)
        self.view_box.strokeStarted.connect(self._on_stroke_started)
        self.view_box.strokeFinished.connect(self._on_stroke_finished)
        self.view_box.wheeled.connect(self._on_wheeled)
        self.dataset.changed.connect(self.refresh_points)
        self.fit_view()
        self.refresh_points()

    # --- what the window calls -------------------------------------------------------------

    def set_label(self, label: int) -> None:
        """Choose the class that a plain click adds (0 orange, 1 blue, 2...)."""
        classes = max(self.dataset.n_classes, 2)
        if not 0 <= label < classes:
            raise ValueError(f"class must be 0 to {classes - 1}, got {label!r}")
        if label != self.label:
            self.label = label
            self.labelChanged.emit(label)

    def set_value(self, value: float) -> None:
        """Choose the value that a plain click adds on a regression's plane."""
        value = float(np.clip(value, -MAX_VALUE, MAX_VALUE))
        if value != self.value:
            self.value = value
            self.valueChanged.emit(value)

    def set_show_test(self, show: bool) -> None:
        """Show or hide the test points."""
        self.show_test = show
        self.refresh_points()

    def set_discrete(self, discrete: bool) -> None:
        """Colour the heatmap by class only (flat colours) or by the output's value."""
        self.discrete = discrete
        if self._update_colors():
            self.overlay.set_colors(self._colors)

    def set_show_parts(self, show: bool) -> None:
        """Draw a function's parts (each last-hidden neuron's weighted output) as faint curves."""
        self.show_parts = show
        if self._update_colors():
            self.overlay.set_colors(self._colors)

    def set_point_losses(self, losses: np.ndarray | None) -> None:
        """Size each point (N,) of the dataset by its loss; None: every point one size."""
        self._point_losses = losses
        self.refresh_points()

    def set_heatmap(self, levels: np.ndarray, bounds: Bounds, problem: Problem) -> None:
        """Show levels (res, res) uint8 of problem's picture (core/shading.py), row 0 at ymax."""
        self._problem = problem
        self._update_colors()
        self.overlay.set_levels(levels, bounds, self._colors)

    def _update_colors(self) -> bool:
        """Make the colour table of the picture's problem and the view options, if they
        changed; True if they did."""
        key = (self._problem, self.discrete, self.show_parts)
        if self._problem is None or key == self._colors_for:
            return False
        self._colors = theme.problem_colors(self._problem, self.discrete, self.show_parts)
        self._colors_for = key
        return True

    def bounds(self) -> Bounds:
        """The visible area in data coordinates (the decision grid covers exactly this)."""
        (xmin, xmax), (ymin, ymax) = self.view_box.viewRange()
        return Bounds(float(xmin), float(xmax), float(ymin), float(ymax))

    def fit_view(self) -> None:
        """Fit the axes to the data (never smaller than TensorFlow Playground's [-6, 6])."""
        self._data_bounds = self.dataset.bounds()
        xmin, xmax, ymin, ymax = self._data_bounds
        self.view_box.setRange(xRange=(xmin, xmax), yRange=(ymin, ymax), padding=0.0)

    def viewport_pos(self, x: float, y: float) -> QPoint:
        """The viewport pixel that shows data point (x, y) (what a mouse click needs)."""
        scene = self.view_box.mapViewToScene(QPointF(x, y))
        return self.mapFromScene(scene)

    # --- dataset -> items ----------------------------------------------------------------

    @Slot()
    def refresh_points(self) -> None:
        """Redraw the points from the dataset (refitting the axes if they no longer fit, unless
        a drag is painting)."""
        dataset = self.dataset
        kind = (dataset.kind, dataset.n_classes)
        switched = kind != self._kind
        points, is_test = dataset.points, dataset.is_test
        shown = ~is_test | self.show_test
        colors, outline = self._point_colors(*kind)
        losses = self._point_losses
        size_steps = (loss_steps(losses) if losses is not None and len(losses) == len(points)
                      else 0)  # the points sized by their loss, or all plain
        styles = point_style(size_steps, self._color_indices(), is_test, len(colors))
        self.overlay.set_points(points[shown], styles[shown], colors, outline)
        if switched:
            self._follow_kind(*kind)
        if switched or (len(points) and not self._stroking
                        and (not self._covers(points) or self._fitted_too_loosely())):
            self.fit_view()

    @staticmethod
    def _point_colors(kind: str, n_classes: int) -> tuple[list[str], str]:
        """The colour of each colour index of a type's points, and a training point's ring."""
        if kind == "regression":
            return [theme.value_color(i / (VALUE_COLOR_BINS - 1))
                    for i in range(VALUE_COLOR_BINS)], theme.VALUE_OUTLINE
        if kind == "function":
            return [theme.SAMPLE_COLOR], "white"
        return list(theme.CLASS_COLORS[:n_classes]), "white"

    def _follow_kind(self, kind: str, n_classes: int) -> None:
        """Class, axes, wheel and tooltip for the dataset's problem type."""
        self._kind = (kind, n_classes)
        if n_classes and self.label >= n_classes:
            self.set_label(n_classes - 1)
        self.view_box.setAspectLocked(kind != "function")  # a function's y has its own scale
        self.view_box.wheel_edits = kind == "regression"
        self.setToolTip(TOOLTIPS[kind] + EDIT_TIP)

    def _color_indices(self) -> np.ndarray:
        """Each point's colour index (N,): its class, its value's place on the scale, or 0."""
        dataset = self.dataset
        if dataset.kind == "regression":
            scale = value_scale(dataset.values)
            place = (np.clip(dataset.values / scale, -1, 1) + 1) / 2 * (VALUE_COLOR_BINS - 1)
            return np.rint(place).astype(np.int64)
        if dataset.kind == "function":
            return np.zeros(len(dataset), dtype=np.int64)
        return dataset.labels

    @Slot()
    def _place_overlay(self) -> None:
        """Lay the heatmap and points over the view box's area, for its current range."""
        area = self.viewportTransform().mapRect(self.view_box.sceneBoundingRect()).toRect()
        # the data range those whole pixels show, so points land where the axes say they are
        view_box = self.view_box
        top_left = view_box.mapSceneToView(self.mapToScene(area.topLeft()))
        bottom_right = view_box.mapSceneToView(
            self.mapToScene(area.topLeft() + QPoint(area.width(), area.height())))
        self.overlay.set_view(area, Bounds(top_left.x(), bottom_right.x(),
                                           bottom_right.y(), top_left.y()))

    def _fitted_too_loosely(self) -> bool:
        """True once the data has shrunk well inside the area the axes were fitted to.

        Only removals shrink the data (undo of an add, a removed outlier, a smaller preset),
        so the view never jumps while the user clicks points in.
        """
        xmin, xmax, ymin, ymax = self.dataset.bounds()
        fx0, fx1, fy0, fy1 = self._data_bounds
        return fx1 - fx0 > LOOSE_FIT * (xmax - xmin) or fy1 - fy0 > LOOSE_FIT * (ymax - ymin)

    def _covers(self, points: np.ndarray) -> bool:
        xmin, xmax, ymin, ymax = self._data_bounds
        return bool(np.all((points[:, 0] >= xmin) & (points[:, 0] <= xmax)
                           & (points[:, 1] >= ymin) & (points[:, 1] <= ymax)))

    # --- mouse -> dataset ----------------------------------------------------------------

    def _mark_for(self, modifiers: Qt.KeyboardModifier) -> tuple[int, float]:
        """(label, value) of a click: shift gives the other of two classes, the opposite value."""
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        label = 1 - self.label if shift and self.dataset.kind == "binary" else self.label
        return label, -self.value if shift else self.value

    @Slot(bool)
    def set_inspecting(self, inspecting: bool) -> None:
        """With the inspect tool on, a click asks for the graph instead of adding a point."""
        self.inspecting = inspecting

    def _inspect(self, x: float, y: float) -> None:
        """Ask for the graph at (x, y): of the point within a few pixels, or of a probe."""
        self.inspectRequested.emit(x, y, INSPECT_RADIUS_PX * self.view_box.viewPixelSize()[0])

    @Slot(float, float, object)
    def _on_click(self, x: float, y: float, modifiers: Qt.KeyboardModifier) -> None:
        if self.inspecting or modifiers & Qt.KeyboardModifier.AltModifier:
            self._inspect(x, y)
            return
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.dataset.remove_nearest(x, y)
            return
        label, value = self._mark_for(modifiers)
        try:
            self.dataset.add_point(x, y, label, value=value)
        except ValueError as error:  # the view can reach past the coordinates accepted
            self.editRefused.emit(f"Could not add the point: {error}")

    @Slot(int)
    def _on_wheeled(self, notches: int) -> None:
        step = WHEEL_STEP * value_scale(self.dataset.values)
        self.set_value(round((self.value + notches * step) / step) * step)

    @Slot(float, float)
    def _on_remove(self, x: float, y: float) -> None:
        self.dataset.remove_nearest(x, y)

    @Slot()
    def _on_stroke_started(self) -> None:
        self._stroking = True

    @Slot()
    def _on_stroke_finished(self) -> None:
        self._stroking = False
        self.refresh_points()  # the refit the stroke held back, if it needs one

    @Slot(object, bool, object)
    def _on_painted(self, xy: np.ndarray, first: bool, modifiers: Qt.KeyboardModifier) -> None:
        if self.inspecting or modifiers & Qt.KeyboardModifier.AltModifier:
            return  # inspecting: a drag is no stroke of points (as a click adds none)
        # the points of one drag join into one undo step
        label, value = self._mark_for(modifiers)
        try:
            self.dataset.add_points(xy, label, continue_stroke=not first, value=value)
        except ValueError as error:
            self.editRefused.emit(f"Could not add the points: {error}")

"""The hidden-layer space beside the data plot: the plane's grid lines and the data points as one
hidden layer sees them (ConvNetJS's 2D demo), live while training.

The picture is a plain widget: the lines are one path and the points are stamped in one call
from the sprites the data plot uses, so an update makes no Qt value per point (see the README's
"Why the window is drawn the way it is").
"""

from __future__ import annotations

import itertools

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.core.hidden_space import HiddenChoice, HiddenSpace
from playground.core.spec import NetworkSpec
from playground.ui import theme
from playground.ui.decision_overlay import SpriteAtlas, point_sprites, point_style, stamp
from playground.ui.painting import painting

MARGIN = 28.0  # room for the axis names
FIT_PAD = 0.12  # around the points, as a share of their spread
LINE_REACH = 1.0  # grid lines are clipped this many spreads beyond the points
MIN_SIDE = 260


class HiddenSpacePlot(QWidget):
    """Grid lines and points of a HiddenSpace, fitted to the points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(MIN_SIDE, MIN_SIDE)
        self.space: HiddenSpace | None = None
        self.message = "no hidden layer: add one to see the space it makes"
        self._lines = QPainterPath()
        self._sprites: SpriteAtlas | None = None  # made for the screen's pixel ratio
        # each point's sprite: top left corner in whole pixels (K,) and style (K,)
        self._left = self._top = np.empty(0)
        self._styles = np.empty(0, dtype=np.intp)
        self._line_pen = QPen(QColor("#9a9a9a"), 0.8)
        self._frame_pen = QPen(QColor("#cccccc"), 1.0)
        self._text = QColor("#555555")
        self.fitted: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0)

    def sizeHint(self) -> QSize:
        """Square, like the data plot."""
        return QSize(400, 400)

    def set_space(self, space: HiddenSpace | None) -> None:
        """Show this space (None: the network has no such layer)."""
        self.space = space
        self._make_shapes()
        self.update()

    def resizeEvent(self, event) -> None:
        """Fit the picture to the new size."""
        self._make_shapes()

    def to_pixels(self, xy: np.ndarray) -> np.ndarray:
        """Space coordinates (..., 2) to widget pixels, y up."""
        x0, x1, y0, y1 = self.fitted
        w, h = self.width() - 2 * MARGIN, self.height() - 2 * MARGIN
        px = MARGIN + (xy[..., 0] - x0) * (w / (x1 - x0))
        py = MARGIN + h - (xy[..., 1] - y0) * (h / (y1 - y0))
        return np.stack([px, py], axis=-1)

    def _fit(self, points: np.ndarray) -> None:
        finite = points[np.all(np.isfinite(points), axis=1)]
        if not len(finite):
            self.fitted = (-1.0, 1.0, -1.0, 1.0)
            return
        low, high = finite.min(axis=0), finite.max(axis=0)  # (2,)
        spread = np.maximum(high - low, 1e-6)
        low, high = low - FIT_PAD * spread, high + FIT_PAD * spread
        self.fitted = (float(low[0]), float(high[0]), float(low[1]), float(high[1]))

    def _make_shapes(self) -> None:
        space = self.space
        if space is None:
            return
        self._fit(space.points)
        x0, x1, y0, y1 = self.fitted
        low, high = np.array([x0, y0]), np.array([x1, y1])
        reach = (high - low) * LINE_REACH
        lines = np.clip(np.nan_to_num(space.lines), low - reach, high + reach)
        pixels = self.to_pixels(lines.astype(np.float64))  # (L, res, 2)
        connect = np.ones(pixels.shape[:2], dtype=bool)
        connect[:, -1] = False
        self._lines = pg.functions.arrayToQPath(pixels[..., 0].ravel(), pixels[..., 1].ravel(),
                                                connect=connect.ravel())
        ratio = self.devicePixelRatioF()
        if self._sprites is None or self._sprites.ratio != ratio:
            self._sprites = point_sprites(ratio, theme.CLASS_COLORS, "white")
        self._styles = point_style(0, space.labels, space.is_test, len(theme.CLASS_COLORS))
        points = self.to_pixels(np.nan_to_num(space.points.astype(np.float64)))  # (K, 2)
        size = self._sprites.sizes[self._styles]  # (K,)
        # whole pixels, so the sprites stay sharp; clipped to the plot's area when painted
        self._left = np.rint(np.clip(points[:, 0], -MARGIN, self.width() + MARGIN) - size / 2)
        self._top = np.rint(np.clip(points[:, 1], -MARGIN, self.height() + MARGIN) - size / 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Frame and axis names, the warped grid lines, then the points (test ones hollow)."""
        with painting(self) as painter:
            painter.setPen(self._frame_pen)
            area = QRectF(MARGIN, MARGIN, self.width() - 2 * MARGIN, self.height() - 2 * MARGIN)
            painter.drawRect(area)
            painter.setPen(self._text)
            if self.space is None:
                painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                                 self.message)
                return
            x_name, y_name = self.space.axes
            painter.drawText(round(MARGIN), round(self.height() - 8), x_name)
            painter.save()
            painter.translate(16, self.height() - MARGIN)
            painter.rotate(-90)
            painter.drawText(0, 0, y_name)
            painter.restore()
            painter.setClipRect(area)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(self._line_pen)
            painter.drawPath(self._lines)
            if self._sprites is not None:
                stamp(painter, self._sprites, self._left, self._top, self._styles)


class HiddenSpaceView(QWidget):
    """A layer and two axes to choose, over the plot; emits choiceChanged(HiddenChoice | None)."""

    choiceChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer_box = QComboBox()
        self.layer_box.setToolTip("The hidden layer whose space is drawn")
        self.axes_box = QComboBox()
        self.axes_box.setToolTip("Two of its neurons, or the first two principal components "
                                 "of its outputs over the data (for layers wider than two)")
        # short item texts (the full ones in their tooltips): the boxes sit over a small plot
        for box in (self.layer_box, self.axes_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plot = HiddenSpacePlot()
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Hidden space</b>"))
        header.addWidget(self.layer_box)
        header.addWidget(self.axes_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.plot, 1)
        self.setToolTip("The plane's grid lines and the data points carried through the network "
                        "into one hidden layer: watch the layer pull the classes apart")
        self._spec: NetworkSpec | None = None
        self.layer_box.currentIndexChanged.connect(self._on_layer_chosen)
        self.axes_box.currentIndexChanged.connect(self._on_axes_chosen)

    def choice(self) -> HiddenChoice | None:
        """What the boxes say (None: no hidden layer)."""
        layer = self.layer_box.currentIndex()
        if layer < 0:
            return None
        neurons = self.axes_box.currentData()  # Qt hands a pair back as a list
        return HiddenChoice(layer, None if neurons is None else tuple(neurons))

    def set_choice(self, choice: HiddenChoice | None) -> None:
        """Choose this layer and these axes (None: the first layer, its first axes), if the
        network has them; emits choiceChanged."""
        choice = choice or HiddenChoice(0)
        if 0 <= choice.layer < self.layer_box.count():
            self.layer_box.blockSignals(True)
            self.layer_box.setCurrentIndex(choice.layer)
            self.layer_box.blockSignals(False)
            self._fill_axes(choice)
        self.choiceChanged.emit(self.choice())

    def set_spec(self, spec: NetworkSpec) -> None:
        """Offer this network's layers, keeping the choice where it still applies."""
        if self._spec is not None and spec.hidden == self._spec.hidden \
                and spec.activations == self._spec.activations:
            return
        self._spec = spec
        old = self.choice()
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        for i, (n, activation) in enumerate(zip(spec.hidden, spec.activations, strict=True)):
            self.layer_box.addItem(f"layer {i + 1}")
            self.layer_box.setItemData(i, f"hidden layer {i + 1}: {n} {activation}",
                                       Qt.ItemDataRole.ToolTipRole)
        if old is not None and old.layer < len(spec.hidden):
            self.layer_box.setCurrentIndex(old.layer)
        self.layer_box.blockSignals(False)
        self._fill_axes(old)
        for box in (self.layer_box, self.axes_box):  # empty: the plot says why
            box.setEnabled(bool(spec.hidden))
        if not spec.hidden:
            self.plot.set_space(None)
        self.choiceChanged.emit(self.choice())

    def _fill_axes(self, old: HiddenChoice | None) -> None:
        layer = self.layer_box.currentIndex()
        self.axes_box.blockSignals(True)
        self.axes_box.clear()
        if layer >= 0:
            n = self._spec.hidden[layer]
            if n != 2:
                self.axes_box.addItem("PC 1 × 2", None)
                self.axes_box.setItemData(0, "the first two principal components of the "
                                             "layer's outputs over the data",
                                          Qt.ItemDataRole.ToolTipRole)
            for a, b in itertools.combinations(range(n), 2):
                self.axes_box.addItem(f"h{a + 1} × h{b + 1}", (a, b))
                self.axes_box.setItemData(self.axes_box.count() - 1,
                                          f"neurons {a + 1} and {b + 1} of the layer",
                                          Qt.ItemDataRole.ToolTipRole)
            if old is not None and old.layer == layer:
                index = self.axes_box.findData(old.neurons)
                self.axes_box.setCurrentIndex(max(index, 0))
        self.axes_box.blockSignals(False)

    def set_space(self, space: HiddenSpace | None) -> None:
        """Draw a space the training thread made, if it is the one chosen."""
        if space is not None and space.choice == self.choice():
            self.plot.set_space(space)

    @Slot(int)
    def _on_layer_chosen(self, index: int) -> None:
        self._fill_axes(None)
        self.choiceChanged.emit(self.choice())

    @Slot(int)
    def _on_axes_chosen(self, index: int) -> None:
        self.choiceChanged.emit(self.choice())

"""Training and test loss per epoch, with a mark wherever the network's shape changed.

A plain QWidget, not a pyqtgraph plot: while training it is redrawn ten times a second, and each
pyqtgraph update runs hundreds of Python calls and calls back into Python from Qt dozens of
times, every one of which must win the interpreter lock back from the training thread. Here an
update is a few NumPy calls on the curves' envelopes (at most a few hundred points), and a paint
is one call into Python: the axes, ticks and legend are a picture made when the ranges change.
A paint also makes no Qt value (QPointF, QRectF, QPen...): PySide lets go of the interpreter
lock to make or free one, and the GUI thread then waits for the training thread to hand it back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.core.envelope import Envelope
from playground.ui import theme

LOG_FLOOR = 1e-8  # a loss of exactly 0 still has a place on the log axis
MIN_EPOCHS_SHOWN = 10
LEFT, RIGHT, TOP, BOTTOM = 52.0, 10.0, 10.0, 34.0  # margins around the plotted area, pixels
GRID_COLOR = "#e6e6e6"
AXIS_COLOR = "#999999"
TEXT_COLOR = "#555555"
Range = tuple[float, float, float, float]  # x0, x1, y0, y1 (y in decades on the log scale)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten that is >= value > 0."""
    power = 10.0 ** np.floor(np.log10(value))
    steps = (1, 1.5, 2, 3, 4, 5, 6, 8, 10)
    return float(next(m * power for m in steps if m * power >= value * (1 - 1e-12)))


def axis_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values from low to high, at most `most` of them, spaced 1, 2 or 5 times 10^k."""
    span = high - low
    if not span > 0:
        return [low]
    step = 10.0 ** np.floor(np.log10(span / most))
    for multiple in (1, 2, 5, 10):
        if span / (multiple * step) <= most:
            step *= multiple
            break
    first = np.ceil(low / step - 1e-9) * step
    return [float(v) for v in np.arange(first, high + step * 1e-9, step)]


def tick_label(value: float, log_scale: bool) -> str:
    """A tick's text: 10^value as 1e-3 on the log scale, else the shortest plain form."""
    if log_scale:
        return f"1e{round(value)}"
    return f"{value + 0.0:g}"  # + 0.0: -0.0 reads "0"


class LossHistory:
    """Every (epoch, train loss, test loss) entry, and their envelope, which is what is drawn."""

    def __init__(self) -> None:
        self._columns = np.empty((3, 1024))  # rows: epoch, train loss, test loss
        self.size = 0
        self._envelope = Envelope(2)  # series 0 training, 1 test, over the epoch

    def replace_from(self, start: int, epochs: Sequence[int], train: Sequence[float],
                     test: Sequence[float]) -> None:
        """Overwrite the entries from index start on with the given ones (start 0 restarts)."""
        end = start + len(epochs)
        if end > self._columns.shape[1]:
            grown = np.empty((3, max(end, 2 * self._columns.shape[1])))
            grown[:, :start] = self._columns[:, :start]
            self._columns = grown
        self._columns[:, start:end] = (epochs, train, test)
        if start < self._envelope.size:  # a restart (or entries taken back): draw anew
            self._envelope.clear()
        self.size = end

    def envelope(self) -> Envelope:
        """The envelope of every entry (it takes in new entries only when asked: at a redraw)."""
        start, end = self._envelope.size, self.size
        if end > start:
            self._envelope.extend(self._columns[0, start:end], self._columns[1:, start:end])
        return self._envelope


class LossPlot(QWidget):
    """Training (grey) and test (black) loss curves on shared axes; log scale optional."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(200, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.history = LossHistory()
        self.log_scale = False
        self.markers: tuple[int, ...] = ()  # epochs at which the network's shape changed
        self.range: Range = (0.0, float(MIN_EPOCHS_SHOWN), 0.0, 1.0)
        # the curves as points in data units, (2, n) x and y each; pixel paths made from them
        self._curves: list[np.ndarray] = []
        self._paths: list[QPainterPath] = []
        self._paths_key: tuple | None = None  # the frame the paths were made for
        self._frame: QPixmap | None = None  # axes, grid, ticks, labels and legend
        self._frame_key: tuple | None = None
        self._stale = False  # the history changed since the curves were taken from it
        self._marker_pen = QPen(QColor(theme.MARKER_COLOR), 1, Qt.PenStyle.DotLine)
        # 1-pixel pens: Qt strokes wider lines through a path stroker, ten times slower
        self._curve_pens = [QPen(QColor(color), 1)
                            for color in (theme.TRAIN_LOSS_COLOR, theme.TEST_LOSS_COLOR)]
        self._area_rect = QRectF()  # the plotted area, remade with the frame
        self.setToolTip("Loss on the training and test points after every epoch.\n"
                        "Dotted lines: where the network's shape changed.")

    def sizeHint(self) -> QSize:
        """Wide enough for the side panel, a little shorter than wide."""
        return QSize(320, 220)

    # ---- what the window calls ---------------------------------------------------------------

    def update_history(self, start: int, epochs: Sequence[int], train: Sequence[float],
                       test: Sequence[float]) -> None:
        """Take history entries from index start on (0 restarts); drawn at redraw()."""
        if start == self.history.size and not len(epochs):
            return
        self.history.replace_from(start, epochs, train, test)
        self._stale = True

    def set_markers(self, epochs: Sequence[int]) -> None:
        """Vertical dotted lines at the epochs where the network's shape changed."""
        epochs = tuple(epochs)
        if epochs != self.markers:
            self.markers = epochs
            self.update()

    def set_log_scale(self, log: bool) -> None:
        """Switch the y axis between linear and logarithmic."""
        self.log_scale = log
        self._stale = True
        self.redraw()

    def redraw(self) -> None:
        """Take the curves from the history if it changed since the last time, and repaint."""
        if not self._stale:
            return
        self._stale = False
        envelope = self.history.envelope()
        self._curves = [np.vstack(envelope.points(series)) for series in (0, 1)]
        self.range = self._fitted_range(envelope.last_x(), *envelope.extremes())
        self._paths_key = None
        self.update()

    # ---- drawing ----------------------------------------------------------------------------

    def _fitted_range(self, last_epoch: float, low: float, high: float) -> Range:
        """Every entry in view; the ranges move in coarse steps (nan: no entries yet)."""
        x1 = nice_ceiling(max(MIN_EPOCHS_SHOWN, last_epoch if last_epoch > 0 else 0))
        if self.log_scale:
            if not high >= 0:
                low, high = 0.01, 1.0
            y0 = np.floor(np.log10(max(low, LOG_FLOOR)))  # whole decades
            y1 = max(np.ceil(np.log10(max(high, LOG_FLOOR))), y0 + 1)
        else:
            y0, y1 = 0.0, nice_ceiling(high) if high > 0 else 1.0
        return 0.0, x1, float(y0), float(y1)

    def _area(self) -> QRectF:
        """The plotted area inside the margins, in widget pixels."""
        return QRectF(LEFT, TOP, self.width() - LEFT - RIGHT, self.height() - TOP - BOTTOM)

    def _to_pixels(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates (loss, not its log) to widget pixels."""
        width, height = self.width() - LEFT - RIGHT, self.height() - TOP - BOTTOM
        x0, x1, y0, y1 = self.range
        if self.log_scale:
            y = np.log10(np.maximum(y, LOG_FLOOR))
        px = LEFT + (x - x0) * (width / (x1 - x0))
        py = TOP + height - (y - y0) * (height / (y1 - y0))
        return px, py

    def paintEvent(self, event: QPaintEvent) -> None:
        """The cached frame, then the curves and the markers, clipped to the plotted area."""
        frame_key = (self.width(), self.height(), self.devicePixelRatioF(), self.range,
                     self.log_scale)
        if frame_key != self._frame_key:
            self._frame, self._frame_key = self._draw_frame(), frame_key
            self._area_rect = self._area()
        if frame_key != self._paths_key:  # new curves, or the same in a new size or range
            self._paths = [pg.functions.arrayToQPath(*self._to_pixels(*curve), connect="finite")
                           for curve in self._curves]
            self._paths_key = frame_key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._frame)
        painter.setClipRect(self._area_rect)
        painter.setPen(self._marker_pen)
        top, bottom = TOP, self.height() - BOTTOM
        for epoch in self.markers:
            px = float(self._to_pixels(np.array([float(epoch)]), np.array([0.0]))[0][0])
            painter.drawLine(px, top, px, bottom)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for path, pen in zip(self._paths, self._curve_pens, strict=False):
            painter.setPen(pen)
            painter.drawPath(path)
        painter.end()

    def _draw_frame(self) -> QPixmap:
        """Background, grid, axes with ticks and labels, and the legend, as one picture."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor("white"))
        painter = QPainter(pixmap)
        area = self._area()
        x0, x1, y0, y1 = self.range
        grid, axis = QPen(QColor(GRID_COLOR), 1), QPen(QColor(AXIS_COLOR), 1)
        text = QColor(TEXT_COLOR)
        x_ticks = axis_ticks(x0, x1)
        for x, px in zip(x_ticks, self._to_pixels(np.array(x_ticks), np.ones(len(x_ticks)))[0],
                         strict=True):
            painter.setPen(grid)
            painter.drawLine(QPointF(px, area.top()), QPointF(px, area.bottom()))
            painter.setPen(text)
            painter.drawText(QRectF(px - 30, area.bottom() + 3, 60, 14),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                             tick_label(x, False))
        y_ticks = np.arange(y0, y1 + 0.5) if self.log_scale else np.array(axis_ticks(y0, y1))
        losses = 10.0 ** y_ticks if self.log_scale else y_ticks  # (ticks,) as _to_pixels takes
        for y, py in zip(y_ticks, self._to_pixels(np.zeros(len(y_ticks)), losses)[1],
                         strict=True):
            painter.setPen(grid)
            painter.drawLine(QPointF(area.left(), py), QPointF(area.right(), py))
            painter.setPen(text)
            painter.drawText(QRectF(0, py - 7, LEFT - 5, 14),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             tick_label(y, self.log_scale))
        painter.setPen(axis)
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        painter.setPen(text)
        painter.drawText(QRectF(area.left(), area.bottom() + 17, area.width(), 14),
                         Qt.AlignmentFlag.AlignHCenter, "epoch")
        painter.save()
        painter.translate(11, area.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-40, -7, 80, 14), Qt.AlignmentFlag.AlignCenter,
                         "loss (log)" if self.log_scale else "loss")
        painter.restore()
        self._draw_legend(painter, area)
        painter.end()
        return pixmap

    def _draw_legend(self, painter: QPainter, area: QRectF) -> None:
        """Two short lines with their names in the top right corner."""
        box = QRectF(area.right() - 86, area.top() + 4, 82, 36)
        painter.fillRect(box, QColor(255, 255, 255, 200))
        for row, (name, color) in enumerate((("training", theme.TRAIN_LOSS_COLOR),
                                             ("test", theme.TEST_LOSS_COLOR))):
            y = box.top() + 10 + 16 * row
            painter.setPen(QPen(QColor(color), 2))
            painter.drawLine(QPointF(box.left() + 6, y), QPointF(box.left() + 24, y))
            painter.setPen(QColor("#333333"))
            painter.drawText(QRectF(box.left() + 30, y - 7, 52, 14),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)

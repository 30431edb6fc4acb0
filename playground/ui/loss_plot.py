"""Training and test loss per epoch, with a mark wherever the network's shape changed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QWidget

from playground.core.envelope import Envelope
from playground.ui import theme

LOG_FLOOR = 1e-8  # a loss of exactly 0 still has a place on the log axis
MIN_EPOCHS_SHOWN = 10


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten that is >= value > 0."""
    power = 10.0 ** np.floor(np.log10(value))
    steps = (1, 1.5, 2, 3, 4, 5, 6, 8, 10)
    return float(next(m * power for m in steps if m * power >= value * (1 - 1e-12)))


class LossHistory:
    """Every (epoch, train loss, test loss) entry, and their envelope, which is what is drawn."""

    def __init__(self) -> None:
        self._columns = np.empty((3, 1024))  # rows: epoch, train loss, test loss
        self.size = 0
        self.envelope = Envelope(2)  # series 0 training, 1 test, over the epoch

    def replace_from(self, start: int, epochs: Sequence[int], train: Sequence[float],
                     test: Sequence[float]) -> None:
        """Overwrite the entries from index start on with the given ones (start 0 restarts)."""
        end = start + len(epochs)
        if end > self._columns.shape[1]:
            grown = np.empty((3, max(end, 2 * self._columns.shape[1])))
            grown[:, :start] = self._columns[:, :start]
            self._columns = grown
        self._columns[:, start:end] = (epochs, train, test)
        if start != self.envelope.size:  # a restart (or entries taken back): draw anew
            self.envelope.clear()
            start = 0
        self.envelope.extend(self._columns[0, start:end], self._columns[1:, start:end])
        self.size = end

class LossPlot(pg.PlotWidget):
    """Training (grey) and test (black) loss curves on shared axes; log scale optional."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="w")
        self.history = LossHistory()
        self.log_scale = False
        plot = self.getPlotItem()
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.setLabel("bottom", "epoch")
        plot.setLabel("left", "loss")
        plot.showGrid(x=True, y=True, alpha=0.15)
        # the ranges move in coarse steps (see _fit_range): redrawing the axes' ticks and
        # labels costs more than the curves, so they should rarely change
        plot.disableAutoRange()
        for name in ("left", "bottom"):
            plot.getAxis(name).enableAutoSIPrefix(False)
            plot.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        legend = plot.addLegend(offset=(-8, 8), labelTextColor="#333333")
        # 1-pixel pens: Qt strokes wider lines through a path stroker, ten times slower
        self.train_curve = plot.plot(pen=pg.mkPen(theme.TRAIN_LOSS_COLOR, width=1),
                                     name="training")
        self.test_curve = plot.plot(pen=pg.mkPen(theme.TEST_LOSS_COLOR, width=1), name="test")
        legend.setBrush(pg.mkBrush(255, 255, 255, 200))
        legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._markers: list[pg.InfiniteLine] = []
        self._stale = False  # the history changed since the curves were drawn
        self._range: tuple[float, float, float, float] | None = None  # x0, x1, y0, y1 shown
        self.setToolTip("Loss on the training and test points after every epoch.\n"
                        "Dotted lines: where the network's shape changed.")

    def update_history(self, start: int, epochs: Sequence[int], train: Sequence[float],
                       test: Sequence[float]) -> None:
        """Take history entries from index start on (0 restarts); drawn at redraw()."""
        if start == self.history.size and not len(epochs):
            return
        self.history.replace_from(start, epochs, train, test)
        self._stale = True

    def set_markers(self, epochs: Sequence[int]) -> None:
        """Vertical dotted lines at the epochs where the network's shape changed."""
        while len(self._markers) > len(epochs):
            self.removeItem(self._markers.pop())
        while len(self._markers) < len(epochs):
            line = pg.InfiniteLine(angle=90, movable=False,
                                   pen=pg.mkPen(theme.MARKER_COLOR, width=1,
                                                style=Qt.PenStyle.DotLine))
            self.addItem(line)
            self._markers.append(line)
        for line, epoch in zip(self._markers, epochs, strict=True):
            line.setValue(epoch)

    def set_log_scale(self, log: bool) -> None:
        """Switch the y axis between linear and logarithmic."""
        self.log_scale = log
        self.getPlotItem().setLogMode(y=log)
        self._stale = True
        self.redraw()

    def redraw(self) -> None:
        """Draw the curves if the history changed since the last time."""
        if not self._stale:
            return
        self._stale = False
        envelope = self.history.envelope
        epochs, train = envelope.points(0)  # at most a few hundred points, however long
        _, test = envelope.points(1)
        if self.log_scale:
            train, test = np.maximum(train, LOG_FLOOR), np.maximum(test, LOG_FLOOR)
        self.train_curve.setData(epochs, train)
        self.test_curve.setData(epochs, test)
        low, high = envelope.extremes()
        self._fit_range(envelope.last_x(), low, high)

    def _fit_range(self, last_epoch: float, low: float, high: float) -> None:
        """Show every entry; grow or shrink the axes only in coarse steps (nan: no entries)."""
        x1 = nice_ceiling(max(MIN_EPOCHS_SHOWN, last_epoch if last_epoch > 0 else 0))
        if self.log_scale:
            low, high = (max(low, LOG_FLOOR), max(high, LOG_FLOOR)) if high >= 0 else (0.01, 1.0)
            y0, y1 = np.floor(np.log10(low)), np.ceil(np.log10(high))  # whole decades
            y1 = max(y1, y0 + 1)
        else:
            y0, y1 = 0.0, nice_ceiling(high) if high > 0 else 1.0
        wanted = (0.0, x1, float(y0), float(y1))
        if wanted != self._range:
            self._range = wanted
            self.getPlotItem().setRange(xRange=wanted[:2], yRange=wanted[2:], padding=0.02)

"""Training and test loss per epoch, with a mark wherever the network's shape changed.

A plain QWidget, not a pyqtgraph plot: while training it is redrawn ten times a second, and each
pyqtgraph update runs hundreds of Python calls and calls back into Python from Qt dozens of
times, every one of which must win the interpreter lock back from the training thread. Here an
update is a few NumPy calls on the curves' envelopes (at most a few hundred points), and a paint
is one call into Python: the axes, ticks and legend are a picture made when the ranges change.
A paint also makes no Qt value (QPointF, QRectF, QPen...): PySide lets go of the interpreter
lock to make or free one, and the GUI thread then waits for the training thread to hand it back.

The y axis shows the plausible part of the history only (see loss_axes.plausible_ceiling): a
diverged entry is drawn clipped at the top edge under a small triangle, so one overflow does not
flatten the rest of the curve, and the range follows the losses again as training goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.ui import theme
from playground.ui.loss_axes import (
    MAX_TICKS,
    axis_ticks,
    decade_ticks,
    nice_ceiling,
    plausible_ceiling,
    tick_label,
)
from playground.ui.loss_history import LossHistory
from playground.ui.painting import painting

LOG_FLOOR = 1e-8  # a loss of exactly 0 still has a place on the log axis
MIN_EPOCHS_SHOWN = 10
MIN_RIGHT, MIN_TOP = 10.0, 10.0  # margins right of and above the plotted area, at least
PAD = 2.0  # between the widget's edge and the axis titles
TICK_GAP = 4.0  # between an axis and its tick labels
LABEL_GAP = 12.0  # between two x tick labels, at least
CLIP_MARKER = 4.0  # half the width of the triangle over a clipped entry, pixels
GRID_COLOR = "#e6e6e6"
AXIS_COLOR = "#999999"
TEXT_COLOR = "#555555"
Range = tuple[float, float, float, float]  # x0, x1, y0, y1 (y in decades on the log scale)
TOOLTIP = ("Loss on the training and test points after every epoch.\n"
           "Dotted lines: where the network's shape changed.\n"
           "A triangle at the top: a loss too high to show (training diverged).\n"
           "Point at the curves to read an epoch's losses.")


@dataclass
class AxesLayout:
    """Where the frame's parts go for one size and range, in widget pixels."""

    area: QRectF  # the plotted area
    x_ticks: list[float] = field(default_factory=list)  # tick values, epochs
    y_ticks: list[float] = field(default_factory=list)  # losses, or decades on the log scale
    x_labels: list[tuple[str, QRectF]] = field(default_factory=list)  # text, where it is drawn
    y_labels: list[tuple[str, QRectF]] = field(default_factory=list)
    titles: list[tuple[str, QRectF]] = field(default_factory=list)  # x title, then y (upright)


def _loss_text(loss: float) -> str:
    """A loss in the hover label: 4 significant digits, or what went wrong."""
    if np.isnan(loss):
        return "–"
    return f"{loss:.4g}" if np.isfinite(loss) else "overflow"


class LossPlot(QWidget):
    """Training and test loss curves on shared axes; log scale optional; hover reads an epoch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(200, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)  # hover shows the losses under the pointer
        self.history = LossHistory()
        self.log_scale = False
        self.markers: tuple[int, ...] = ()  # epochs at which the network's shape changed
        self.range: Range = (0.0, float(MIN_EPOCHS_SHOWN), 0.0, 1.0)
        self.axes: AxesLayout | None = None  # ticks, labels and titles; made with the frame
        self._margins = (52.0, MIN_RIGHT, MIN_TOP, 34.0)  # left, right, top, bottom
        # the curves as points in data units, (2, n) x and y each; pixel paths made from them
        self._curves: list[np.ndarray] = []
        self._paths: list[QPainterPath] = []
        self._clipped: list[QPainterPath] = []  # per curve, triangles over clipped entries
        self._marker_lines: list[QLineF] = []
        self._paths_key: tuple | None = None  # the frame the paths were made for
        self._frame: QPixmap | None = None  # axes, grid, ticks, labels and legend
        self._frame_key: tuple | None = None
        self._stale = False  # the history changed since the curves were taken from it
        self._hover_x: float | None = None  # the pointer's x while it is over the plotted area
        self.hover: tuple[QLineF, QRectF, str] | None = None  # guide line, label box, text
        self._marker_pen = QPen(QColor(theme.MARKER_COLOR), 1, Qt.PenStyle.DotLine)
        colors = [QColor(c) for c in (theme.TRAIN_LOSS_COLOR, theme.TEST_LOSS_COLOR)]
        # 1-pixel pens: Qt strokes wider lines through a path stroker, ten times slower
        self._curve_pens = [QPen(color, 1) for color in colors]
        self._clip_brushes = [QBrush(color) for color in colors]
        self._hover_pen = QPen(QColor(TEXT_COLOR), 1)
        self._hover_fill = QColor(255, 255, 255, 230)
        self._area_rect = QRectF()  # the plotted area, remade with the frame
        self.setToolTip(TOOLTIP)

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
            self._paths_key = None
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
        self.range = self._fitted_range(envelope.last_x())
        self._paths_key = None
        self._place_hover()
        self.update()

    # ---- ranges and layout ------------------------------------------------------------------

    def _plausible_extremes(self) -> tuple[float, float]:
        """The lowest and highest drawn loss that is not a divergence (nan, nan: none)."""
        losses = [curve[1] for curve in self._curves]  # (points,) each, a few hundred
        if not self.history.size:
            return float("nan"), float("nan")
        ceiling = plausible_ceiling(self.history.first_losses(), losses)
        # curve by curve, not joined: NumPy lets go of the interpreter lock on arrays of more
        # than 500 elements, and the GUI thread then waits for the training thread
        shown = [y[y <= ceiling] for y in losses]  # also drops NaN
        lows, highs = [y.min() for y in shown if len(y)], [y.max() for y in shown if len(y)]
        if not lows:
            return float("nan"), float("nan")
        return float(min(lows)), float(max(highs))

    def _fitted_range(self, last_epoch: float) -> Range:
        """Every plausible entry in view; the ranges move in coarse steps."""
        low, high = self._plausible_extremes()
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
        left, right, top, bottom = self._margins
        return QRectF(left, top, self.width() - left - right, self.height() - top - bottom)

    def _to_pixels(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates (loss, not its log) to widget pixels."""
        left, right, top, bottom = self._margins
        width, height = self.width() - left - right, self.height() - top - bottom
        x0, x1, y0, y1 = self.range
        if self.log_scale:
            y = np.log10(np.maximum(y, LOG_FLOOR))
        px = left + (x - x0) * (width / (x1 - x0))
        py = top + height - (y - y0) * (height / (y1 - y0))
        return px, py

    def _make_layout(self) -> AxesLayout:
        """Choose ticks that fit, and margins that fit their labels; set the margins."""
        metrics = self.fontMetrics()
        line = float(metrics.height())
        x0, x1, y0, y1 = self.range
        top = max(MIN_TOP, line / 2 + 1)  # the top label is centred on the area's top
        bottom = TICK_GAP + 2 * line + PAD  # tick labels, then the title
        height = self.height() - top - bottom
        most_y = int(np.clip(height // (line + 2) + 1, 2, MAX_TICKS))
        y_ticks = (decade_ticks(y0, y1, most_y) if self.log_scale
                   else axis_ticks(y0, y1, most_y))
        y_texts = [tick_label(y, self.log_scale) for y in y_ticks]
        y_widths = [metrics.horizontalAdvance(text) for text in y_texts]
        left = PAD + line + TICK_GAP + max(y_widths) + TICK_GAP  # title, gap, labels, gap
        # x ticks as many as fit side by side with their labels, at most MAX_TICKS
        most_x = MAX_TICKS
        while True:
            x_ticks = axis_ticks(x0, x1, most_x)
            x_texts = [tick_label(x, False) for x in x_ticks]
            x_widths = [metrics.horizontalAdvance(text) for text in x_texts]
            right = max(MIN_RIGHT, x_widths[-1] / 2 + PAD)  # the last label centred on its tick
            width = self.width() - left - right
            fits = len(x_ticks) * (max(x_widths) + LABEL_GAP) <= width + LABEL_GAP
            if fits or most_x <= 2:
                break
            most_x -= 1
        # whole pixels: crisp axes, and curves on the same pixel grid whatever the labels' widths
        self._margins = tuple(float(np.ceil(m)) for m in (left, right, top, bottom))
        left = self._margins[0]
        layout = AxesLayout(self._area(), x_ticks, y_ticks)
        area = layout.area
        px = self._to_pixels(np.array(x_ticks), np.ones(len(x_ticks)))[0]
        for text, w, x in zip(x_texts, x_widths, px, strict=True):
            layout.x_labels.append((text, QRectF(x - w / 2, area.bottom() + TICK_GAP, w, line)))
        losses = 10.0 ** np.array(y_ticks) if self.log_scale else np.array(y_ticks)
        py = self._to_pixels(np.zeros(len(y_ticks)), losses)[1]
        for text, w, y in zip(y_texts, y_widths, py, strict=True):
            layout.y_labels.append((text, QRectF(left - TICK_GAP - w, y - line / 2, w, line)))
        x_title, y_title = "epoch", "loss (log)" if self.log_scale else "loss"
        w = metrics.horizontalAdvance(x_title)
        layout.titles.append((x_title, QRectF(area.center().x() - w / 2,
                                              area.bottom() + TICK_GAP + line, w, line)))
        w = metrics.horizontalAdvance(y_title)
        layout.titles.append((y_title, QRectF(PAD, area.center().y() - w / 2, line, w)))
        return layout

    # ---- drawing ----------------------------------------------------------------------------

    def _frame_key_now(self) -> tuple:
        return (self.width(), self.height(), self.devicePixelRatioF(), self.range,
                self.log_scale)

    def _ensure_frame(self) -> None:
        """Remake the layout and the frame's picture if the size or the ranges changed."""
        key = self._frame_key_now()
        if key != self._frame_key:
            self.axes = self._make_layout()
            self._frame, self._frame_key = self._draw_frame(self.axes), key
            self._area_rect = self.axes.area

    def paintEvent(self, event: QPaintEvent) -> None:
        """The cached frame, then the markers, curves and hover line, clipped to the area."""
        self._ensure_frame()
        if self._frame_key != self._paths_key:  # new curves, or the same in a new size or range
            self._make_paths()
            self._paths_key = self._frame_key
        with painting(self) as painter:
            painter.drawPixmap(0, 0, self._frame)
            painter.setClipRect(self._area_rect)
            if self._marker_lines:
                painter.setPen(self._marker_pen)
                painter.drawLines(self._marker_lines)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for path, pen in zip(self._paths, self._curve_pens, strict=False):
                painter.setPen(pen)
                painter.drawPath(path)
            for triangles, brush in zip(self._clipped, self._clip_brushes, strict=False):
                if not triangles.isEmpty():
                    painter.fillPath(triangles, brush)
            if self.hover is not None:
                self._draw_hover(painter, *self.hover)

    def _make_paths(self) -> None:
        """Pixel paths of the curves (clipped at the area's edges), their clip marks, markers."""
        area = self._area_rect
        self._paths, self._clipped = [], []
        for curve in self._curves:
            px, py = self._to_pixels(*curve)
            above = py < area.top()  # diverged entries, drawn at the top edge
            # a pixel just outside the area, never 1e300: Qt rasterizes in fixed point, and
            # coordinates that large are past what it can draw
            py = np.clip(py, area.top() - 1, area.bottom() + 1)
            self._paths.append(pg.functions.arrayToQPath(px, py, connect="finite"))
            triangles = QPainterPath()
            triangles.setFillRule(Qt.FillRule.WindingFill)  # overlapping ones stay filled
            # one triangle every few pixels at most, wholly inside the area
            _, first = np.unique(np.round(px[above] / (2 * CLIP_MARKER)), return_index=True)
            xs = np.clip(px[above][first], area.left() + CLIP_MARKER, area.right() - CLIP_MARKER)
            for x in xs.tolist():
                triangles.moveTo(x - CLIP_MARKER, area.top() + 2 * CLIP_MARKER)
                triangles.lineTo(x + CLIP_MARKER, area.top() + 2 * CLIP_MARKER)
                triangles.lineTo(x, area.top())
                triangles.closeSubpath()
            self._clipped.append(triangles)
        epochs = np.array(self.markers, dtype=np.float64)
        xs = self._to_pixels(epochs, np.zeros(len(epochs)))[0]
        self._marker_lines = [QLineF(x, area.top(), x, area.bottom()) for x in xs.tolist()]

    def _draw_frame(self, layout: AxesLayout) -> QPixmap:
        """Background, grid, axes with ticks and labels, and the legend, as one picture."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor("white"))
        area = layout.area
        grid, axis = QPen(QColor(GRID_COLOR), 1), QPen(QColor(AXIS_COLOR), 1)
        text = QColor(TEXT_COLOR)
        # the rects fit their texts; no clipping a pixel off where the font rounds up
        centred = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextDontClip
        with painting(pixmap) as painter:
            painter.setPen(grid)
            for _, rect in layout.x_labels:
                x = rect.center().x()
                painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            for _, rect in layout.y_labels:
                y = rect.center().y()
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(axis)
            painter.drawLine(area.bottomLeft(), area.bottomRight())
            painter.drawLine(area.bottomLeft(), area.topLeft())
            painter.setPen(text)
            for label, rect in layout.x_labels + layout.y_labels + layout.titles[:1]:
                painter.drawText(rect, centred, label)
            y_title, rect = layout.titles[1]  # upright in the layout, drawn turned
            painter.translate(rect.center())
            painter.rotate(-90)
            painter.drawText(QRectF(-rect.height() / 2, -rect.width() / 2, rect.height(),
                                    rect.width()), centred, y_title)
            painter.resetTransform()
            self._draw_legend(painter, area)
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

    # ---- hover ------------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Over the plotted area: show the losses of the epoch under the pointer."""
        x = event.position().x()
        self._hover_x = x if self._area_rect.left() <= x <= self._area_rect.right() else None
        self._place_hover(event.position().y())
        # the tooltip explains the plot from its axes; over the curves the hover label speaks
        tip = TOOLTIP if self.hover is None else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)
        self.update()

    def leaveEvent(self, event: QEvent) -> None:
        """The pointer left: no hover line."""
        self._hover_x = None
        self.hover = None
        self.update()

    def _place_hover(self, pointer_y: float | None = None) -> None:
        """The guide line at the entry nearest the pointer, and its label beside it."""
        if self._hover_x is None:
            self.hover = None
            return
        self._ensure_frame()
        area = self._area_rect
        x0, x1, _, _ = self.range
        entry = None
        if area.width() > 0:
            epoch = x0 + (self._hover_x - area.left()) / area.width() * (x1 - x0)
            entry = self.history.entry_near(epoch)
        if entry is None:
            self.hover = None
            return
        epoch, train, test = entry
        guide_x = float(self._to_pixels(np.array([float(epoch)]), np.zeros(1))[0][0])
        text = f"epoch {epoch:,}\ntraining {_loss_text(train)}\ntest {_loss_text(test)}"
        metrics = self.fontMetrics()
        width = max(metrics.horizontalAdvance(line) for line in text.splitlines()) + 10
        height = 3 * metrics.height() + 6
        if pointer_y is None:  # new data under a still pointer: the label stays where it was
            pointer_y = self.hover[1].center().y() if self.hover else area.center().y()
        left = guide_x + 8 if guide_x + 8 + width <= area.right() else guide_x - 8 - width
        top = float(np.clip(pointer_y - height / 2, area.top(), area.bottom() - height))
        self.hover = (QLineF(guide_x, area.top(), guide_x, area.bottom()),
                      QRectF(max(left, area.left()), top, width, height), text)

    def _draw_hover(self, painter: QPainter, guide: QLineF, box: QRectF, text: str) -> None:
        painter.setPen(self._hover_pen)
        painter.drawLine(guide)
        painter.fillRect(box, self._hover_fill)
        painter.drawRect(box)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

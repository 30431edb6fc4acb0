"""The gradient-health panel: per layer, live sparklines of |weights|, |gradients| and the last
update / weights ratio on a log scale, its dead or saturated units, and warnings in words."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from playground.core.health import MEASURES, HealthReport
from playground.ui import theme
from playground.ui.painting import painting

ROW = 34.0  # pixels per layer: its values on a line, their sparklines under them
HEADER_ROW = 18.0  # the measures' names
NAME_WIDTH = 52.0  # the layer's name column
PAD = 4.0
FLOOR = 1e-12  # zeros on the log scale
WARNING_STYLE = "color: #8a4b00;"


def _fmt(value: float) -> str:
    return f"{value:.1e}" if np.isfinite(value) else "–"


class Sparklines(QWidget):
    """A row per layer, a box per measure: its recent trend on a log scale and its value now.

    Each measure's boxes share one decade range, so the layers can be compared.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.report: HealthReport | None = None
        self._path = QPainterPath()
        self._texts: list[tuple[int, int, str]] = []
        self._frames: list[QRectF] = []
        self._frame_key: tuple | None = None
        self._pen = QPen(QColor(theme.BLUE), 1.2)
        self._frame_pen = QPen(QColor("#dddddd"), 1.0)
        self._text = QColor("#333333")
        self._warn = QColor("#b00020")

    def sizeHint(self) -> QSize:
        """Room for the header and the network's layers."""
        return self.minimumSizeHint()

    def minimumSizeHint(self) -> QSize:
        """The header and every layer."""
        rows = len(self.report.layers) if self.report else 3
        return QSize(160, round(HEADER_ROW + rows * ROW + PAD))

    def set_report(self, report: HealthReport) -> None:
        """Show this report (made by the training thread)."""
        rows_changed = self.report is None or len(self.report.layers) != len(report.layers)
        self.report = report
        if rows_changed:
            self.updateGeometry()
        self._make_shapes()
        self.update()

    def resizeEvent(self, event) -> None:
        """Lay the boxes out for the new size."""
        self._make_shapes()

    def _boxes(self) -> list[list[tuple[float, float, float, float]]]:
        """Per layer, per measure, the box (left, top, right, bottom) of its sparkline."""
        n = len(self.report.layers) if self.report else 0
        width = (self.width() - NAME_WIDTH - PAD) / len(MEASURES)
        return [[(NAME_WIDTH + m * width, HEADER_ROW + r * ROW, NAME_WIDTH + (m + 1) * width - PAD,
                  HEADER_ROW + (r + 1) * ROW - 4) for m in range(len(MEASURES))]
                for r in range(n)]

    def _make_shapes(self) -> None:
        """The sparklines' path and the texts, from the report."""
        report = self.report
        if report is None:
            return
        metrics = self.fontMetrics()
        boxes = self._boxes()
        line = metrics.height()
        width = (self.width() - NAME_WIDTH - PAD) / len(MEASURES)
        self._texts = [(round(NAME_WIDTH + m * width + 2), round(metrics.ascent()), name)
                       for m, name in enumerate(MEASURES)]
        key = (self.width(), self.height(), len(boxes))
        if key != self._frame_key:
            self._frames = [QRectF(left, top, right - left, bottom - top)
                            for row in boxes for left, top, right, bottom in row]
            self._frame_key = key
        trend = np.log10(np.maximum(np.nan_to_num(report.trend, nan=FLOOR, posinf=1e30), FLOOR))
        xs, ys, connect = [], [], []
        for m in range(len(MEASURES)):
            series = trend[:, :, m]  # (T, layers)
            low, high = float(series.min()), float(series.max())
            low, high = np.floor(low), max(np.ceil(high), np.floor(low) + 1)
            for r, layer in enumerate(report.layers):
                left, top, right, bottom = boxes[r][m]
                t = np.linspace(left + 2, right - 2, len(series))
                spark_top = top + line + 1  # the value's line above it
                y = bottom - 2 - (series[:, r] - low) / (high - low) * (bottom - 4 - spark_top)
                xs.append(t)
                ys.append(y)
                c = np.ones(len(t), dtype=bool)
                c[-1] = False
                connect.append(c)
                value = (layer.weight_size, layer.grad_size, layer.update_ratio)[m]
                self._texts.append((round(left + 3), round(top + metrics.ascent() + 1),
                                    _fmt(value)))
        for r, layer in enumerate(report.layers):
            self._texts.append((0, round(boxes[r][0][1] + metrics.ascent() + 1), layer.name))
        self._path = pg.functions.arrayToQPath(np.concatenate(xs), np.concatenate(ys),
                                               connect=np.concatenate(connect)) if xs \
            else QPainterPath()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Box frames, sparklines, then names and values."""
        with painting(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(self._frame_pen)
            painter.drawRects(self._frames)
            painter.setPen(self._pen)
            painter.drawPath(self._path)
            painter.setPen(self._text)
            for x, y, text in self._texts:
                painter.drawText(x, y, text)


class HealthPanel(QWidget):
    """Sparklines over a line per layer's dead or saturated units, then the warnings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sparklines = Sparklines()
        self.sparklines.setToolTip(
            "Per layer, over the last seconds, on a log scale:\n"
            "|weights|: the mean size of its weights; |gradients|: of their gradients;\n"
            "update / weights: how much the last step changed the layer, relative to its size\n"
            "(around 1e-3 is healthy; above 1 training is about to diverge)")
        self.units = QLabel()
        self.units.setWordWrap(True)
        self.units.setToolTip("Dead: a ReLU whose output is 0 on every training point (it no "
                              "longer learns).\nSaturated: a tanh or sigmoid unit on the flat "
                              "part of its curve (|output| > 0.99) on most points")
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        line = self.fontMetrics().lineSpacing()
        self.units.setMinimumHeight(2 * line)  # room kept: the panel does not jump
        self.warnings.setMinimumHeight(3 * line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        title = QLabel("<b>Gradient health</b>")
        layout.addWidget(title)
        layout.addWidget(self.sparklines)
        layout.addWidget(self.units)
        layout.addWidget(self.warnings)
        layout.addStretch(1)

    def set_report(self, report: HealthReport) -> None:
        """Show a new report."""
        self.sparklines.set_report(report)
        units = [f"{layer.name}: {layer.dead} of {layer.neurons} ReLUs dead" if
                 layer.activation == "relu" else
                 f"{layer.name}: {layer.saturated} of {layer.neurons} saturated"
                 for layer in report.layers if layer.activation in ("relu", "tanh", "sigmoid")]
        text = "; ".join(units)
        if self.units.text() != text:
            self.units.setText(text)
        warnings = "<br>".join(f"⚠ {w}" for w in report.warnings)
        if self.warnings.text() != warnings:
            self.warnings.setText(warnings)

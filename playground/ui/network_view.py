"""A drawing of the network: neurons in columns, every weight a line coloured by its sign."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.core.features import FEATURE_LABELS
from playground.ui import theme
from playground.ui.painting import painting

NODE_RADIUS = 5.0
MARGIN = 12.0
LABEL_WIDTH = 44.0  # room for the feature names on the left
OUTPUT_LABEL = "output"
OUTPUT_LABEL_WIDTH = 48.0  # room for it right of the output neuron
WIDTH_STEPS = 6  # line widths: the largest weight gets the widest
Weights = Sequence[tuple[np.ndarray, np.ndarray]]  # per layer: weight (fan_in, fan_out), bias


class NetworkView(QWidget):
    """Draws the latest weights: blue lines positive, orange negative, thicker when larger.

    The shapes (a line per weight, a circle per neuron, the labels) are made when the size or
    the network's shape changes, the pens once: a paint constructs no Qt value, since PySide
    lets go of the interpreter lock to make or free one and the training thread then takes it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("The network: inputs on the left, the output on the right.\n"
                        "Lines are weights: blue positive, orange negative, thicker when larger")
        self._features: tuple[str, ...] = ()
        self._weights: list[np.ndarray] = []
        colors = (QColor(theme.ORANGE), QColor(theme.BLUE))
        self._pens = {(positive, width): QPen(colors[positive], 0.4 + 0.6 * width)
                      for positive in (False, True) for width in range(WIDTH_STEPS)}
        self._node_pen, self._node_brush = QPen(QColor("#666666"), 1.0), QColor("#ffffff")
        self._text_color = QColor("#333333")
        self._shapes_key: tuple | None = None
        self._lines: list[list[list[QLineF]]] = []  # [layer][i][j]: input i to neuron j
        self._nodes = QPainterPath()
        self._labels: list[tuple[int, int, str]] = []  # baseline start x, y and text

    def set_weights(self, features: Sequence[str], weights: Weights) -> None:
        """Show these weights (copies the caller no longer changes)."""
        self._features = tuple(features)
        self._weights = [w for w, _ in weights]
        self.update()

    def _node_positions(self) -> list[list[QPointF]]:
        """Centre of every neuron, one list per layer from the inputs to the output."""
        if not self._weights:
            return []
        sizes = [self._weights[0].shape[0]] + [w.shape[1] for w in self._weights]
        area = QRectF(self.rect()).adjusted(MARGIN + LABEL_WIDTH, MARGIN,
                                            -MARGIN - OUTPUT_LABEL_WIDTH, -MARGIN)
        columns = []
        for i, size in enumerate(sizes):
            x = area.left() + area.width() * i / max(len(sizes) - 1, 1)
            gap = area.height() / size
            columns.append([QPointF(x, area.top() + gap * (j + 0.5)) for j in range(size)])
        return columns

    def _make_shapes(self) -> None:
        """Lines, neuron circles and labels for the current size and network shape."""
        columns = self._node_positions()
        self._lines = [[[QLineF(start, end) for end in right] for start in left]
                       for left, right in itertools.pairwise(columns)]
        self._nodes = QPainterPath()
        for column in columns:
            for center in column:
                self._nodes.addEllipse(center, NODE_RADIUS, NODE_RADIUS)
        metrics = self.fontMetrics()
        middle = (metrics.ascent() - metrics.descent()) / 2  # baseline below a centre line
        right = LABEL_WIDTH + MARGIN - NODE_RADIUS - 4  # names end just left of the inputs
        self._labels = []
        for name, center in zip(self._features, columns[0] if columns else [], strict=False):
            text = FEATURE_LABELS.get(name, name)
            self._labels.append((round(right - metrics.horizontalAdvance(text)),
                                 round(center.y() + middle), text))
        if columns:  # the output neuron is named on its right
            output = columns[-1][0]
            self._labels.append((round(output.x() + NODE_RADIUS + 4), round(output.y() + middle),
                                 OUTPUT_LABEL))

    def paintEvent(self, event: QPaintEvent) -> None:
        """Lines for weights first, neurons on top, feature names on the left, "output" right."""
        key = (self.width(), self.height(), self._features,
               tuple(w.shape for w in self._weights))
        if key != self._shapes_key:
            self._make_shapes()
            self._shapes_key = key
        lines: dict[tuple[bool, int], list[QLineF]] = defaultdict(list)  # (positive, width)
        largest = max((np.abs(w).max() for w in self._weights if w.size), default=0.0)
        scale = WIDTH_STEPS / largest if np.isfinite(largest) and largest > 0 else 0.0
        for weight, layer_lines in zip(self._weights, self._lines, strict=False):
            widths = np.minimum(np.abs(weight) * scale, WIDTH_STEPS - 1)  # (fan_in, fan_out)
            for (i, j), w in np.ndenumerate(weight):
                if np.isfinite(w):
                    lines[bool(w > 0), int(widths[i, j])].append(layer_lines[i][j])
        with painting(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for group, group_lines in lines.items():
                painter.setPen(self._pens[group])
                painter.drawLines(group_lines)
            painter.setPen(self._node_pen)
            painter.setBrush(self._node_brush)
            painter.drawPath(self._nodes)
            painter.setPen(self._text_color)
            for x, y, text in self._labels:
                painter.drawText(x, y, text)

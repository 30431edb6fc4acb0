"""A drawing of the network: neurons in columns, every weight a line coloured by its sign."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.core.features import FEATURE_LABELS
from playground.ui import theme

NODE_RADIUS = 5.0
MARGIN = 12.0
LABEL_WIDTH = 44.0  # room for the feature names on the left
WIDTH_STEPS = 6  # line widths: the largest weight gets the widest
Weights = Sequence[tuple[np.ndarray, np.ndarray]]  # per layer: weight (fan_in, fan_out), bias


class NetworkView(QWidget):
    """Draws the latest weights: blue lines positive, orange negative, thicker when larger."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("The network's weights: blue positive, orange negative, "
                        "thickness for size")
        self._features: tuple[str, ...] = ()
        self._weights: list[np.ndarray] = []

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
        area = QRectF(self.rect()).adjusted(MARGIN + LABEL_WIDTH, MARGIN, -MARGIN, -MARGIN)
        columns = []
        for i, size in enumerate(sizes):
            x = area.left() + area.width() * i / max(len(sizes) - 1, 1)
            gap = area.height() / size
            columns.append([QPointF(x, area.top() + gap * (j + 0.5)) for j in range(size)])
        return columns

    def paintEvent(self, event: QPaintEvent) -> None:
        """Lines for weights first, neurons on top, feature names on the left."""
        columns = self._node_positions()
        # few painter calls: each one lets the training thread take the interpreter lock,
        # and the GUI thread then waits to get it back
        lines: dict[tuple[bool, int], list[QLineF]] = defaultdict(list)  # (positive, width)
        largest = max((np.abs(w).max() for w in self._weights if w.size), default=0.0)
        scale = WIDTH_STEPS / largest if np.isfinite(largest) and largest > 0 else 0.0
        for weight, left, right in zip(self._weights, columns, columns[1:], strict=False):
            for i, start in enumerate(left):
                for j, end in enumerate(right):
                    w = float(weight[i, j])
                    if np.isfinite(w):
                        lines[w > 0, min(int(abs(w) * scale), WIDTH_STEPS - 1)].append(
                            QLineF(start, end))
        nodes = QPainterPath()
        for column in columns:
            for center in column:
                nodes.addEllipse(center, NODE_RADIUS, NODE_RADIUS)

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = (QColor(theme.ORANGE), QColor(theme.BLUE))
        for (positive, width), group in lines.items():
            painter.setPen(QPen(colors[positive], 0.4 + 0.6 * width))
            painter.drawLines(group)
        painter.setPen(QPen(QColor("#666666"), 1.0))
        painter.setBrush(QColor("#ffffff"))
        painter.drawPath(nodes)
        painter.setPen(QColor("#333333"))
        for name, center in zip(self._features, columns[0] if columns else [], strict=False):
            label = QRectF(0, center.y() - 9, LABEL_WIDTH + MARGIN - NODE_RADIUS - 4, 18)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             FEATURE_LABELS.get(name, name))
        painter.end()

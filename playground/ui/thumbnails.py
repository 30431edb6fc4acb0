"""What a node of the network view shows of its neuron: a plug-in per kind of problem.

A plane problem's neuron is a small heatmap of its output over the plane (HeatmapThumbnails);
a function of one variable's is a small curve of its output over x (CurveThumbnails). Both
take the uint8 levels the training thread made, node by node, and paint them into the nodes'
rectangles with no NumPy and no Qt value made per paint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap

from playground.ui import theme


class Thumbnails(Protocol):
    """Levels in, pictures in the nodes out."""

    def set_levels(self, levels: np.ndarray, rects: Sequence[QRectF]) -> None:
        """Show these levels, one per node, in rects (the nodes' squares, in widget pixels)."""

    def set_colors(self, colors: list[int]) -> None:
        """Colour levels with this table of 256 0xffRRGGBB colours."""

    def paint(self, painter: QPainter) -> None:
        """Draw every node's picture."""


class HeatmapThumbnails:
    """(n, rows, cols) levels: one picture of them all, each node a part of it, smoothly scaled."""

    def __init__(self) -> None:
        self._levels: np.ndarray | None = None
        self._colors: list[int] = theme.heatmap_colors(discrete=False)
        self._atlas: QPixmap | None = None
        self._sources: list[QRectF] = []  # node k's part of the atlas
        self._targets: list[QRectF] = []

    def set_levels(self, levels: np.ndarray, rects: Sequence[QRectF]) -> None:
        """Show levels (n, rows, cols) uint8, row 0 at the top, in rects."""
        n, rows, cols = levels.shape
        if self._levels is None or self._levels.shape != levels.shape:
            self._sources = [QRectF(0, k * rows, cols, rows) for k in range(n)]
        self._levels = np.ascontiguousarray(levels)  # (n, rows, cols): one image n*rows tall
        self._targets = list(rects)
        self._make_atlas()

    def set_colors(self, colors: list[int]) -> None:
        """Colour the levels with this table."""
        self._colors = colors
        self._make_atlas()

    def _make_atlas(self) -> None:
        if self._levels is None:
            return
        n, rows, cols = self._levels.shape
        image = QImage(self._levels.data, cols, n * rows, cols, QImage.Format.Format_Indexed8)
        image.setColorTable(self._colors)
        self._atlas = QPixmap.fromImage(image)  # a copy: the array may go

    def paint(self, painter: QPainter) -> None:
        """Every node's part of the atlas, scaled into its square."""
        if self._atlas is None:
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        atlas = self._atlas
        for target, source in zip(self._targets, self._sources, strict=False):
            painter.drawPixmap(target, atlas, source)


class CurveThumbnails:
    """(n, points) levels: each node a curve of its neuron's output over x, over a pale frame."""

    def __init__(self) -> None:
        self._path = QPainterPath()
        self._pen = QPen(QColor(theme.BLUE), 1.2)
        self._background = QColor(theme.NEUTRAL)
        self._targets: list[QRectF] = []

    def set_levels(self, levels: np.ndarray, rects: Sequence[QRectF]) -> None:
        """Show levels (n, points) uint8 (0: -1 at the bottom, 255: +1 at the top) in rects."""
        n, points = levels.shape
        boxes = np.array([[r.left(), r.top(), r.width(), r.height()] for r in rects])  # (n, 4)
        t = np.linspace(0.0, 1.0, points)  # (points,)
        xs = boxes[:, :1] + boxes[:, 2:3] * t  # (n, points)
        ys = boxes[:, 1:2] + boxes[:, 3:4] * (1.0 - levels / 255.0)  # (n, points)
        connect = np.ones((n, points), dtype=bool)
        connect[:, -1] = False  # no line from one node's curve to the next
        self._path = pg.functions.arrayToQPath(xs.ravel(), ys.ravel(), connect=connect.ravel())
        self._targets = list(rects)

    def set_colors(self, colors: list[int]) -> None:
        """A curve has one colour: nothing to do."""

    def paint(self, painter: QPainter) -> None:
        """A pale square per node, then every curve in one path."""
        for target in self._targets:
            painter.fillRect(target, self._background)
        painter.setPen(self._pen)
        painter.drawPath(self._path)


def thumbnails_for(levels: np.ndarray) -> type[HeatmapThumbnails] | type[CurveThumbnails]:
    """The plug-in that shows levels of this shape: (n, rows, cols) heatmaps, (n, x) curves."""
    return HeatmapThumbnails if levels.ndim == 3 else CurveThumbnails

"""What a readable loss plot is, checked the same way by the plot's and the window's tests."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from playground.ui.loss_axes import MAX_TICKS
from playground.ui.loss_plot import LossPlot


def assert_axes_readable(plot: LossPlot) -> None:
    """At most MAX_TICKS labels per axis, in order, whole inside the widget, none overlapping
    another or an axis title; every range finite."""
    plot.grab()  # lays the axes out as a paint does
    axes = plot.axes
    assert all(np.isfinite(plot.range))
    widget = QRectF(plot.rect())
    for labels, log in ((axes.x_labels, False), (axes.y_labels, plot.log_scale)):
        assert 2 <= len(labels) <= MAX_TICKS
        values = [float(text.replace("1e", "")) if log else float(text) for text, _ in labels]
        assert values == sorted(values) and len(set(values)) == len(values)
        for text, rect in labels:
            assert widget.contains(rect), (text, rect)
            assert rect.width() >= plot.fontMetrics().horizontalAdvance(text)
    rects = [rect for _, rect in axes.x_labels + axes.y_labels + axes.titles]
    for i, a in enumerate(rects):
        assert widget.contains(a)
        assert not any(a.intersects(b) for b in rects[i + 1:]), a

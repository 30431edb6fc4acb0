"""The heatmap's colour legend: what the plot's background colours mean."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from playground.ui import theme

BAR_WIDTH, BAR_HEIGHT = 160, 12


class OutputLegend(QWidget):
    """A gradient bar from -1 (orange) to +1 (blue): the network's output under the points.

    Plain QLabels, the bar a picture of its size: Qt draws them without a Python paint handler.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel("network output")
        self.low = QLabel(f"−1 {theme.CLASS_NAMES[0]}")
        self.high = QLabel(f"{theme.CLASS_NAMES[1]} +1")
        for label, color in ((self.low, theme.ORANGE), (self.high, theme.BLUE)):
            label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.bar = QLabel()
        self.bar.setFixedSize(BAR_WIDTH, BAR_HEIGHT)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addStretch(1)
        for widget in (self.caption, self.low, self.bar, self.high):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setToolTip("The background shows the network's output at every place: orange "
                        "near -1 (it predicts the orange class), blue near +1 (blue), pale "
                        "near 0 (undecided).\nWith \"discretize output\": the predicted class "
                        "only.")
        self.set_discrete(False)

    def set_discrete(self, discrete: bool) -> None:
        """Show the colours of the heatmap as drawn: shades, or one flat colour per class."""
        row = np.linspace(0, 255, BAR_WIDTH).round().astype(np.uint8)  # -1 left, +1 right
        levels = np.ascontiguousarray(np.tile(row, (BAR_HEIGHT, 1)))  # (height, width)
        image = QImage(levels.data, BAR_WIDTH, BAR_HEIGHT, BAR_WIDTH,
                       QImage.Format.Format_Indexed8)
        image.setColorTable(theme.heatmap_colors(discrete))
        self.bar.setPixmap(QPixmap.fromImage(image))  # a copy: levels may go

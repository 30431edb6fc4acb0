"""The heatmap's colour legend: what the plot's background colours mean, for each problem type.

Plain QLabels, the bars pictures of their size: Qt draws them without a Python paint handler.
They change only when the problem type, a view option or a regression's scale does.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from playground.core.problems import TWO_CLASSES, Problem
from playground.core.shading import CURVE_LEVELS, class_level_count
from playground.ui import theme

BAR_WIDTH, BAR_HEIGHT = 160, 12
SWATCH = 14  # a class's square, pixels


def _bar(levels: np.ndarray, colors: list[int]) -> QPixmap:
    """A picture of one row of levels (width,) stretched to BAR_HEIGHT, in a colour table."""
    rows = np.ascontiguousarray(np.tile(levels.astype(np.uint8), (BAR_HEIGHT, 1)))
    height, width = rows.shape
    image = QImage(rows.data, width, height, width, QImage.Format.Format_Indexed8)
    image.setColorTable(colors)
    return QPixmap.fromImage(image)  # a copy: rows may go


def _tip(problem: Problem) -> str:
    if problem.kind == "classes":
        return ("The background shows the class the network predicts at every place, pale "
                "where it is unsure (the softmax probability of that class), strong where it is "
                "sure.\nWith \"discretize output\": the predicted class only.")
    if problem.kind == "regression":
        return ("The background shows the value the network predicts at every place, on the "
                "points' colour scale.\nWith \"discretize output\": in flat bands.")
    if problem.kind == "function":
        return ("The dark curve is the network's output over x; the dots are the samples "
                "(hollow: test).\nWith \"show each neuron's part\": what each last-hidden "
                "neuron adds, faint (blue positive weight, orange negative).")
    return ("The background shows the network's output at every place: orange near -1 (it "
            "predicts the orange class), blue near +1 (blue), pale near 0 (undecided).\nWith "
            "\"discretize output\": the predicted class only.")


class OutputLegend(QWidget):
    """A gradient bar (two classes, regression), class swatches (several classes), or the
    curve's key (a function): what the picture under the points means."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.low, self.high = QLabel(), QLabel()
        self.bar = QLabel()
        self.swatches = [QLabel() for _ in theme.CLASS_COLORS]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addStretch(1)
        for widget in (self.caption, self.low, self.bar, *self.swatches, self.high):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._shown: tuple | None = None
        self.problem: Problem = TWO_CLASSES
        self.discrete = False
        self.show_parts = False
        self._show()

    def set_problem(self, problem: Problem) -> None:
        """Explain the picture of this problem."""
        self.problem = problem
        self._show()

    def set_discrete(self, discrete: bool) -> None:
        """Show the colours as drawn: shades, or one flat colour per class (or band)."""
        self.discrete = discrete
        self._show()

    def set_show_parts(self, show: bool) -> None:
        """Say whether a function's parts are drawn."""
        self.show_parts = show
        self._show()

    def _show(self) -> None:
        problem = self.problem
        key = (problem, self.discrete, self.show_parts)
        if key == self._shown:
            return
        self._shown = key
        colors = theme.problem_colors(problem, self.discrete, self.show_parts)
        kind = problem.kind
        self.bar.setVisible(kind != "classes")
        for c, swatch in enumerate(self.swatches):
            swatch.setVisible(kind == "classes" and c < problem.n_classes)
        self.setToolTip(_tip(problem))
        if kind == "classes":
            self._show_classes(problem, colors)
        elif kind == "function":
            self.caption.setText("network's curve")
            self.low.setText("")
            self.high.setText("● samples" + (", faint: each neuron's part" if self.show_parts
                                             else ""))
            self.bar.setPixmap(_bar(np.full(BAR_WIDTH // 4, CURVE_LEVELS[1]), colors))
            self.bar.setFixedSize(BAR_WIDTH // 4, 3)
            self.high.setStyleSheet(f"color: {theme.SAMPLE_COLOR}; font-weight: bold;")
        else:
            self._show_scale(problem, colors)

    def _show_scale(self, problem: Problem, colors: list[int]) -> None:
        """A diverging bar from -1 (orange) to +1 (blue), or -scale to +scale."""
        if problem.kind == "regression":
            scale = problem.scale
            self.caption.setText("predicted value")
            self.low.setText(f"−{scale:g}")
            self.high.setText(f"+{scale:g}")
        else:
            self.caption.setText("network output")
            self.low.setText(f"−1 {theme.CLASS_NAMES[0]}")
            self.high.setText(f"{theme.CLASS_NAMES[1]} +1")
        for label, color in ((self.low, theme.ORANGE), (self.high, theme.BLUE)):
            label.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.bar.setFixedSize(BAR_WIDTH, BAR_HEIGHT)
        self.bar.setPixmap(_bar(np.linspace(0, 255, BAR_WIDTH).round(), colors))

    def _show_classes(self, problem: Problem, colors: list[int]) -> None:
        """A square per class, pale to strong from left to right: unsure to sure."""
        per_class = class_level_count(problem.n_classes)
        self.caption.setText("predicted class")
        self.low.setText("")
        self.high.setText("(pale: unsure)" if not self.discrete else "")
        self.high.setStyleSheet("color: #555555;")
        for c in range(problem.n_classes):
            levels = c * per_class + np.linspace(0, per_class - 1, SWATCH).round()
            swatch = self.swatches[c]
            swatch.setFixedSize(SWATCH, BAR_HEIGHT)
            swatch.setPixmap(_bar(levels, colors))
            swatch.setToolTip(f"class {c + 1}, {theme.CLASS_NAMES[c]}")

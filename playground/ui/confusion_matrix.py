"""The live confusion matrix of several classes, with each class's accuracy at its row's end.

Rows are the true class, columns the predicted one, on the test split (the training split when
there is no test point). A cell is tinted in its row's class colour by its share of the row.
It is redrawn only when the numbers change, at the loss plot's 10 Hz; the cells' rectangles
and colours are made once per size and class count, so a paint makes no Qt value.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from playground.core.problems import Evaluation, SplitMetrics
from playground.ui import theme
from playground.ui.painting import painting

SHADES = 11  # tints of a class colour, by a cell's share of its row: 0%, 10%, ... 100%
ROW_HEIGHT = 20
HEADER = 18  # pixels of the top row (the predicted classes) and the left column
ACCURACY_WIDTH = 40  # the last column: each class's accuracy
TEXT = QColor("#222222")


def _tint(color: str, strength: float) -> QColor:
    c = QColor(color)
    return QColor(*(round(255 + (v - 255) * strength) for v in (c.red(), c.green(), c.blue())))


class ConfusionMatrix(QWidget):
    """Counts of (true class, predicted class) and each class's accuracy, drawn as a table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("How the network classifies each class's points: row = the true "
                        "class, column = the class predicted; the diagonal is right. The last "
                        "column is each class's accuracy")
        self.n_classes = 0
        self.split = "test"  # the split shown: "test", or "training" without test points
        self.metrics = SplitMetrics()
        self._layout_key: tuple[int, int, int] | None = None
        self._cells: list[list[QRect]] = []  # [true][predicted]
        self._row_heads: list[QRect] = []
        self._column_heads: list[QRect] = []
        self._accuracy_cells: list[QRect] = []
        self._tints: list[list[QColor]] = []  # [class][shade]
        self._heads: list[QColor] = []
        self.set_classes(3)

    def set_classes(self, n_classes: int) -> None:
        """Lay out a table for n_classes."""
        if n_classes != self.n_classes:
            self.n_classes = n_classes
            self.metrics = SplitMetrics()
            self._tints = [[_tint(c, 0.06 + 0.6 * s / (SHADES - 1)) for s in range(SHADES)]
                           for c in theme.CLASS_COLORS[:n_classes]]
            self._heads = [QColor(c) for c in theme.CLASS_COLORS[:n_classes]]
            self.setFixedHeight(HEADER + ROW_HEIGHT * n_classes + 2)
            self.update()

    def show_evaluation(self, evaluation: Evaluation) -> None:
        """Show the test split's matrix (the training split's if the test split is empty);
        one of another class count (a snapshot from before a switch) is left out."""
        split, metrics = ("test", evaluation.test) if evaluation.test.confusion else \
            ("training", evaluation.train)
        if len(metrics.confusion) not in (0, self.n_classes):
            return
        if (split, metrics.confusion, metrics.per_class_accuracy) == (
                self.split, self.metrics.confusion, self.metrics.per_class_accuracy):
            return
        self.split, self.metrics = split, metrics
        self.update()

    def _lay_out(self) -> None:
        """The rectangles of every cell for the current size and class count."""
        k = self.n_classes
        width = (self.width() - HEADER - ACCURACY_WIDTH) // max(k, 1)
        left = HEADER
        self._column_heads = [QRect(left + j * width + 2, 2, width - 4, HEADER - 6)
                              for j in range(k)]
        self._row_heads = [QRect(2, HEADER + i * ROW_HEIGHT + 2, HEADER - 6, ROW_HEIGHT - 4)
                           for i in range(k)]
        self._cells = [[QRect(left + j * width, HEADER + i * ROW_HEIGHT, width - 1,
                              ROW_HEIGHT - 1) for j in range(k)] for i in range(k)]
        self._accuracy_cells = [QRect(left + k * width, HEADER + i * ROW_HEIGHT, ACCURACY_WIDTH,
                                      ROW_HEIGHT - 1) for i in range(k)]

    def paintEvent(self, event: QPaintEvent) -> None:
        """Heads in the class colours, cells tinted by their share of the row, numbers."""
        key = (self.width(), self.height(), self.n_classes)
        if key != self._layout_key:
            self._lay_out()
            self._layout_key = key
        confusion = self.metrics.confusion
        accuracy = self.metrics.per_class_accuracy
        centred = Qt.AlignmentFlag.AlignCenter
        with painting(self) as painter:
            for i, head in enumerate(self._heads):
                painter.fillRect(self._column_heads[i], head)
                painter.fillRect(self._row_heads[i], head)
            painter.setPen(TEXT)
            for i, row in enumerate(confusion[:self.n_classes]):
                total = sum(row)
                for j, count in enumerate(row):
                    shade = round((SHADES - 1) * count / total) if total else 0
                    painter.fillRect(self._cells[i][j], self._tints[i][shade])
                    painter.drawText(self._cells[i][j], centred, str(count))
                share = accuracy[i] if i < len(accuracy) else float("nan")
                painter.drawText(self._accuracy_cells[i], centred,
                                 f"{100 * share:.0f}%" if share == share else "–")

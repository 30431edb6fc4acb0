"""The gradient check as a table: each leaf's grad beside its finite difference, flagged."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from playground.core.graph_model import ComputationGraph, GradientCheck

COLUMNS = ("leaf", "grad (backprop)", "finite difference", "difference", "")
COLUMN_WIDTHS = (80, 110, 110, 80, 24)
Index = QModelIndex | QPersistentModelIndex


class CheckModel(QAbstractTableModel):
    """Rows of a GradientCheck; new numbers of the same graph only repaint the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph: ComputationGraph | None = None
        self.check: GradientCheck | None = None
        self._bad = QBrush(QColor("#fde0dc"))

    def set_check(self, graph: ComputationGraph | None, check: GradientCheck | None) -> None:
        """Show this check; same rows: their cells change, else the table is rebuilt."""
        same = (self.check is not None and check is not None and self.graph is not None
                and graph is not None and graph.same_shape(self.graph)
                and len(check.nodes) == len(self.check.nodes))
        if same:
            self.graph, self.check = graph, check
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1,
                                                                len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.graph, self.check = graph, check
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if self.check is None or parent.isValid() else len(self.check.nodes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> str | None:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        check, row, column = self.check, index.row(), index.column()
        if check is None:
            return None
        agree = bool(check.agree[row])
        if role == Qt.ItemDataRole.BackgroundRole and not agree:
            return self._bad
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return ("backprop and the finite difference agree" if agree else
                    "they disagree: a kink (ReLU at 0), or a wrong gradient")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return self.graph.labels[check.nodes[row]]
        if column == 4:
            return "✓" if agree else "✗"
        value = (check.backprop[row], check.numeric[row],
                 abs(check.backprop[row] - check.numeric[row]))[column - 1]
        return f"{value:.3e}" if column == 3 else f"{value:.6f}"

    def node(self, row: int) -> int:
        """The graph node of a row."""
        return int(self.check.nodes[row])


class CheckPanel(QWidget):
    """The table and a line saying how many leaves disagree; a click picks the leaf."""

    nodePicked = Signal(int)  # a value index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CheckModel(self)  # owned by the panel, not by Python's garbage collector
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        # fixed widths: fitting them to the contents would read every cell at each update
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.setToolTip("Each leaf's d loss / d leaf from backpropagation beside a central "
                              "difference (loss(leaf + h) - loss(leaf - h)) / 2h")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self._pending: tuple[ComputationGraph | None, GradientCheck | None] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.table.clicked.connect(self._on_clicked)

    def set_check(self, graph: ComputationGraph | None, check: GradientCheck | None) -> None:
        """Show this check (while hidden, only once shown: a table costs to update)."""
        self._pending = (graph, check)
        if self.isVisible():
            self._show_pending()

    def showEvent(self, event) -> None:
        """Catch up with the check that came while hidden."""
        super().showEvent(event)
        self._show_pending()

    def _show_pending(self) -> None:
        if self._pending is None:
            return
        (graph, check), self._pending = self._pending, None
        self.model.set_check(graph, check)
        if check is None:
            self.summary.setText("")
            return
        bad = check.disagreements
        self.summary.setText(f"{len(check.nodes)} leaves checked: " + (
            "backprop and finite differences agree on every one" if bad == 0 else
            f"{bad} disagree (flagged ✗ here and in the graph)"))

    def _on_clicked(self, index: QModelIndex) -> None:
        self.nodePicked.emit(self.model.node(index.row()))

"""The scratchpad's editor: type named scalars and expressions, see the graph, nudge a leaf."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.scratchpad import EXAMPLES

APPLY_AFTER_MS = 400  # typing pauses this long before the graph is rebuilt
ERROR_STYLE = "background: #fff3cd; color: #664d03; border: 1px solid #e0c060; padding: 6px;"


class ScratchpadPanel(QWidget):
    """The lines, the examples, what is wrong with them, and the nudge of a leaf."""

    textChanged = Signal(str)  # lines to try (the inspector keeps the last good ones)
    nudgeRequested = Signal(str, float)  # leaf label, h

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mono = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.examples = QComboBox()
        self.examples.addItems(list(EXAMPLES))
        self.examples.setToolTip("Load an example (replaces the lines)")
        self.editor = QPlainTextEdit()
        self.editor.setFont(mono)
        self.editor.setPlainText(next(iter(EXAMPLES.values())))
        self.editor.setToolTip("One line each: name = number (a leaf) or name = expression.\n"
                               "+ - * / **, parentheses, and sin cos tan exp log sqrt abs tanh "
                               "relu sigmoid.\nThe last line is the output. c += ... works as "
                               "in Python. Ctrl+Enter applies at once.")
        self.error = QLabel()
        self.error.setFont(mono)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.leaf = QComboBox()
        self.leaf.setToolTip("The leaf to nudge")
        self.h = QDoubleSpinBox()
        self.h.setDecimals(6)
        self.h.setRange(-1e3, 1e3)
        self.h.setValue(0.001)
        self.h.setToolTip("How far to move the leaf")
        nudge = QPushButton("Nudge")
        nudge.setToolTip("Move the leaf by h and see how the output moves: the lecture's "
                         "numerical derivative")
        self.nudge_result = QLabel()
        self.nudge_result.setWordWrap(True)
        self.nudge_result.setFont(mono)
        nudge_row = QHBoxLayout()
        for widget in (QLabel("nudge"), self.leaf, QLabel("by h ="), self.h, nudge):
            nudge_row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.examples)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addLayout(nudge_row)
        layout.addWidget(self.nudge_result)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_AFTER_MS)
        self._timer.timeout.connect(self.apply)
        self.editor.textChanged.connect(self._timer.start)
        self.examples.activated.connect(self._on_example)
        nudge.clicked.connect(self._on_nudge)
        QShortcut(QKeySequence("Ctrl+Return"), self.editor, self.apply)

    def text(self) -> str:
        """The lines as typed."""
        return self.editor.toPlainText()

    @Slot()
    def apply(self) -> None:
        """Offer the lines now."""
        self._timer.stop()
        self.textChanged.emit(self.text())

    def show_error(self, message: str) -> None:
        """Say what is wrong (the graph keeps the last good lines), or hide when message is ''."""
        self.error.setText(message + ("\nthe graph shows the last lines that worked"
                                      if message else ""))
        self.error.setVisible(bool(message))

    def set_leaves(self, labels: list[str]) -> None:
        """The leaves that can be nudged."""
        current = self.leaf.currentText()
        self.leaf.clear()
        self.leaf.addItems(labels)
        if current in labels:
            self.leaf.setCurrentText(current)

    def show_nudge(self, text: str) -> None:
        """What the nudge did."""
        self.nudge_result.setText(text)

    @Slot(int)
    def _on_example(self, index: int) -> None:
        self.editor.setPlainText(EXAMPLES[self.examples.itemText(index)])
        self.apply()

    @Slot()
    def _on_nudge(self) -> None:
        if self.leaf.currentText():
            self.nudgeRequested.emit(self.leaf.currentText(), self.h.value())

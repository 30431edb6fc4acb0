"""The inspector's top: what to show and how (mode, level, layout, follow), search, export."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.sample_graph import LEVELS

LAYERED, FORCE = "layered", "force-directed"
LEVEL_NAMES = {"neuron": "one node per neuron", "elementary": "micrograd's * and +"}
LIVE_TEMPLATE = "frozen at step 00,000,000; training is at step 00,000,000 · loss -0000.0000"
EXPORTS = (("SVG picture…", "svg"), ("PNG picture…", "png"), ("Graphviz DOT text…", "dot"))


class InspectorBar(QWidget):
    """Two rows: the choices, then what the graph is of and the live line (step, loss)."""

    fitRequested = Signal()
    exportRequested = Signal(str)  # "svg", "png" or "dot"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.addItems(["network sample", "scratchpad"])
        self.mode.setToolTip("One sample's loss under the network's weights, or your own lines")
        self.level = QComboBox()
        self.level.addItems([LEVEL_NAMES[level] for level in LEVELS])
        self.level.setToolTip("Each neuron's weighted sum as one node, or spelled out in "
                              "micrograd's elementary * and + nodes")
        self.layout_choice = QComboBox()
        self.layout_choice.addItems([LAYERED, FORCE])
        self.layout_choice.setToolTip("Layered by depth, left to right; or force-directed, "
                                      "settling live (strengths under View)")
        self.follow = QCheckBox("follow training")
        self.follow.setChecked(True)
        self.follow.setToolTip("Take the newest weights as training goes (unticked: frozen at "
                               "the step shown)")
        self.search = QLineEdit()
        self.search.setPlaceholderText("search a label (Ctrl+F, Enter: next)")
        self.search.setClearButtonEnabled(True)
        fit = QPushButton("Fit")
        fit.setToolTip("Show the whole graph, or its loss end when it is too big (F)")
        fit.clicked.connect(self.fitRequested.emit)
        export = QToolButton()
        export.setText("Export")
        export.setToolTip("The graph as an SVG or PNG picture, or as Graphviz DOT text")
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        for text, kind in EXPORTS:
            menu.addAction(text).triggered.connect(
                lambda _=False, k=kind: self.exportRequested.emit(k))
        export.setMenu(menu)
        for widget in (self.mode, self.level, self.layout_choice, self.follow, fit, export):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # keep the arrows for stepping
        self.summary = QLabel()
        self.live = QLabel()
        for label in (self.summary, self.live):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setFixedHeight(label.fontMetrics().height() + 4)
        # a fixed size: a new text then costs no new layout of the window
        self.live.setFixedWidth(self.live.fontMetrics().horizontalAdvance(LIVE_TEMPLATE))
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        choices = QHBoxLayout()
        for widget in (self.mode, self.level, self.layout_choice, self.follow):
            choices.addWidget(widget)
        choices.addWidget(self.search, 1)
        choices.addWidget(fit)
        choices.addWidget(export)
        lines = QHBoxLayout()
        lines.addWidget(self.summary, 1)
        lines.addWidget(self.live)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(choices)
        layout.addLayout(lines)

    def show_lines(self, summary: str, live: str) -> None:
        """What the graph is of, and the live line; texts set only when new."""
        for label, text in ((self.summary, summary), (self.live, live)):
            if text != label.text():
                label.setText(text)
